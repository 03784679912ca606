"""`facesym records` and `facesym clinic` as a clinic's administrator uses them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from cryptography.fernet import Fernet

from recommender import Recommender
from recommender.cli import cli
from recommender.records import ConsultStore, RecordSettings, new_key
from recommender.records.store import utc_now

from .conftest import ROOT, load_example
from .records_support import PASSWORD, Clock, consent, empty_database
from .test_cli_pty import Terminal, environment


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A SQLite file of its own and a key, as a clinic sets them in the environment."""
    return {
        "FACESYM_DATABASE_URL": f"sqlite:///{tmp_path / 'clinic.sqlite3'}",
        "FACESYM_RECORDS_KEY": new_key(),
        "FACESYM_RECORDS_RETENTION_DAYS": "90",
    }


def run(env: dict[str, str], *args: str, typed: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=typed, env=env)


def clean_failure(result: Result, message: str) -> None:
    """Exit code 1, the message on stderr, and no traceback."""
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.fixture
def migrated(env: dict[str, str]) -> dict[str, str]:
    result = run(env, "records", "migrate")
    assert result.exit_code == 0, result.output
    assert "migrated from empty to 0001" in result.stdout
    return env


def save_example(
    env: dict[str, str], recommender: Recommender, example: str, clock: Clock | None = None
) -> str:
    """Save a consult as the web app will; `clock` sets when (now by default)."""
    settings = RecordSettings.from_environment(env)
    answers = load_example(example)
    with ConsultStore.open(settings, recommender=recommender, clock=clock or utc_now) as store:
        return store.save_consult(answers, recommender.recommend(answers), consent(Clock()))


def add_user(env: dict[str, str], name: str, role: str) -> Result:
    return run(env, "clinic", "add-user", name, "--role", role, typed=f"{PASSWORD}\n{PASSWORD}\n")


def test_migrate_sets_up_the_database_once(migrated: dict[str, str]) -> None:
    again = run(migrated, "records", "migrate")
    assert again.exit_code == 0
    assert "is up to date (migration 0001)" in again.stdout


def test_migrate_on_postgresql(tmp_path: Path) -> None:
    url = empty_database("postgresql", tmp_path)
    result = run({"FACESYM_DATABASE_URL": url}, "records", "migrate")
    assert result.exit_code == 0, result.output
    assert "migrated from empty to 0001" in result.stdout


def test_commands_before_migrate_say_what_to_run(env: dict[str, str]) -> None:
    clean_failure(run(env, "records", "purge"), "run `facesym records migrate`")


def test_an_account_is_added_with_a_hidden_password(migrated: dict[str, str]) -> None:
    result = add_user(migrated, "admin.sam", "admin")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Added admin account admin.sam."
    clean_failure(add_user(migrated, "admin.sam", "admin"), "name: an account called")
    short = run(migrated, "clinic", "add-user", "jo", typed="short\nshort\n")
    clean_failure(short, "password: use at least 12 characters")


def test_an_unknown_role_is_a_usage_error_naming_the_choices(migrated: dict[str, str]) -> None:
    result = run(migrated, "clinic", "add-user", "jo", "--role", "owner")
    assert result.exit_code == 2
    assert "'owner' is not one of 'clinician', 'admin'" in result.stderr


def test_an_admin_erases_a_record_and_reads_the_access_log(
    migrated: dict[str, str], recommender: Recommender
) -> None:
    add_user(migrated, "admin.sam", "admin")
    reference = save_example(migrated, recommender, "m1-weak-side-subtle")
    shown = f"{reference[:5]}-{reference[5:]}"

    noted = reference.lower()  # as an admin might type it from a note
    erased = run(migrated, "records", "erase", noted, "--user", "admin.sam", typed=PASSWORD + "\n")
    assert erased.exit_code == 0, erased.output
    assert f"Erased record {shown}." in erased.stdout
    clean_failure(
        run(migrated, "records", "erase", shown, "--user", "admin.sam", typed=PASSWORD + "\n"),
        f"no record {shown}",
    )

    log = run(migrated, "records", "show-access-log", "--user", "admin.sam", typed=PASSWORD + "\n")
    assert log.exit_code == 0, log.output
    [line] = log.stdout.splitlines()
    assert line.endswith(f"UTC  erase  {shown}  admin.sam")
    as_json = run(
        migrated,
        "records",
        "show-access-log",
        "--user",
        "admin.sam",
        "--format",
        "json",
        typed=PASSWORD + "\n",
    )
    [entry] = json.loads(as_json.stdout)
    assert (entry["user"], entry["reference"], entry["action"]) == ("admin.sam", reference, "erase")


def test_a_wrong_password_or_a_clinician_is_refused(migrated: dict[str, str]) -> None:
    add_user(migrated, "nurse.jo", "clinician")
    wrong = run(migrated, "records", "show-access-log", "--user", "nurse.jo", typed="nope\n")
    clean_failure(wrong, "wrong account name or password")
    clinician = run(
        migrated, "records", "show-access-log", "--user", "nurse.jo", typed=PASSWORD + "\n"
    )
    clean_failure(clinician, "only an admin may do this")


def test_purge_deletes_what_has_expired_and_says_how_many(
    migrated: dict[str, str], recommender: Recommender
) -> None:
    save_example(migrated, recommender, "s1-skeletal-bite", clock=Clock())  # March: expired
    save_example(migrated, recommender, "m1-weak-side-subtle")  # now: kept for 90 days
    result = run(migrated, "records", "purge")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Purged 1 expired record(s)."
    assert run(migrated, "records", "purge").stdout.strip() == "Purged 0 expired record(s)."


def test_new_key_prints_a_working_key_and_rotate_key_reseals(
    migrated: dict[str, str], recommender: Recommender
) -> None:
    result = run(migrated, "records", "new-key")
    key = result.stdout.strip()
    Fernet(key.encode())  # a valid key
    reference = save_example(migrated, recommender, "m1-weak-side-subtle")
    rotated = {**migrated, "FACESYM_RECORDS_KEY": f"{key},{migrated['FACESYM_RECORDS_KEY']}"}
    resealed = run(rotated, "records", "rotate-key")
    assert resealed.stdout.strip() == "Sealed 1 record(s) again with the newest key."
    newest_only = RecordSettings.from_environment({**migrated, "FACESYM_RECORDS_KEY": key})
    with ConsultStore.open(newest_only) as store:
        viewer = store.add_user("nurse.jo", PASSWORD, "clinician")
        assert store.read_consult(reference, viewer).answers == load_example("m1-weak-side-subtle")


def test_settings_errors_name_the_variable(migrated: dict[str, str]) -> None:
    clean_failure(
        run({**migrated, "FACESYM_RECORDS_KEY": ""}, "records", "rotate-key"),
        "FACESYM_RECORDS_KEY is not set",
    )
    clean_failure(
        run({**migrated, "FACESYM_RECORDS_RETENTION_DAYS": "soon"}, "records", "purge"),
        "FACESYM_RECORDS_RETENTION_DAYS must be a whole number of days",
    )
    clean_failure(
        run({**migrated, "FACESYM_DATABASE_URL": "not a url"}, "records", "purge"),
        "FACESYM_DATABASE_URL is not a database URL",
    )


def test_without_the_web_extra_the_commands_name_it(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [name for name in sys.modules if name.startswith("recommender.records")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)  # as if it were not installed
    for args in (["records", "migrate"], ["records", "purge"], ["clinic", "add-user", "jo"]):
        clean_failure(run(env, *args), "need the `web` extra")
        assert "pip install 'facesym[web]'" in run(env, *args).stderr


def test_add_user_in_a_terminal_never_shows_the_password(migrated: dict[str, str]) -> None:
    terminal = Terminal("clinic", "add-user", "nurse.jo", env=environment(**migrated), cwd=ROOT)
    try:
        position = terminal.expect("Password for nurse.jo (at least 12 characters): ", 0)
        terminal.type(PASSWORD + "\n")
        position = terminal.expect("Repeat for confirmation: ", position)
        terminal.type(PASSWORD + "\n")
        assert terminal.finish() == 0
    finally:
        terminal.close()
    assert "Added clinician account nurse.jo." in terminal.transcript
    assert PASSWORD not in terminal.transcript
    assert "Warning" not in terminal.transcript
