"""`facesym serve` (issues 14 and 15): settings from options and the environment, production's
refusals (no secret key, rules not signed off) with the reason named, and real servers:
gunicorn in production, Flask's development server with a banner under --dev."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from recommender.cli import cli
from recommender.records import new_key
from recommender.web.settings import ServeSettingError, ServeSettings

from .booking_site.forms import block_form, read_page
from .web.served import SECRET, cookie_of, get, post_form, serving, signed_rules

VERSION = re.compile(r"\d+\.\d+|python", re.IGNORECASE)


def serve(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["serve", *args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


# -- settings --------------------------------------------------------------------------------


def test_options_come_first_then_the_environment_then_defaults() -> None:
    env = {"FACESYM_HOST": "0.0.0.0", "FACESYM_PORT": "9000", "FACESYM_WORKERS": "3"}
    assert ServeSettings.gather(environ=env).bind == "0.0.0.0:9000"
    assert ServeSettings.gather(environ=env).workers == 3
    chosen = ServeSettings.gather(host="::1", port=8080, workers=1, environ=env)
    assert (chosen.bind, chosen.workers) == ("[::1]:8080", 1)
    default = ServeSettings.gather(environ={})
    assert (default.bind, default.workers, default.secret_key) == ("127.0.0.1:8000", 2, None)


@pytest.mark.parametrize(
    ("name", "value"),
    [("FACESYM_PORT", "eighty"), ("FACESYM_PORT", "70000"), ("FACESYM_WORKERS", "0")],
)
def test_a_bad_number_names_the_variable_and_the_range(name: str, value: str) -> None:
    with pytest.raises(ServeSettingError, match=rf"{name} is '{value}': expected a whole number"):
        ServeSettings.gather(environ={name: value})


def test_a_bad_variable_is_a_clean_error_on_the_command_line() -> None:
    code, output = serve(env={"FACESYM_WORKERS": "many", "FACESYM_SITE_SECRET": SECRET})
    assert code == 1
    assert "Error: FACESYM_WORKERS is 'many': expected a whole number from 1 to 64" in output
    assert "Traceback" not in output


# -- production's refusals -------------------------------------------------------------------


@pytest.mark.parametrize("secret", ["", "short"])
def test_production_refuses_to_start_without_a_secret_key(secret: str) -> None:
    code, output = serve(env={"FACESYM_SITE_SECRET": secret})
    assert code == 1
    assert "FACESYM_SITE_SECRET" in output and "secrets.token_hex(32)" in output
    assert "Traceback" not in output


def test_production_refuses_unsigned_rules_naming_them(tmp_path: Path) -> None:
    code, output = serve(env={"FACESYM_SITE_SECRET": SECRET})  # the shipped, unsigned rules
    assert code == 1
    assert "not signed off for production" in output
    assert "gate.r1_stroke_signs" in output and "--dev" in output


def test_production_refuses_a_rule_changed_since_it_was_signed(tmp_path: Path) -> None:
    rules = signed_rules(tmp_path / "rules")
    gate = rules / "stages" / "10-gate.yaml"
    text = gate.read_text(encoding="utf-8")
    changed = text.replace("it says call 999.", "it says call 999 at once.", 1)
    assert changed != text
    gate.write_text(changed, encoding="utf-8")
    code, output = serve("--rules", str(rules), env={"FACESYM_SITE_SECRET": SECRET})
    assert code == 1
    assert "changed since signed off (1)" in output
    assert "never signed off" not in output


def test_production_refuses_a_records_database_that_is_not_migrated(tmp_path: Path) -> None:
    rules = signed_rules(tmp_path / "rules")
    env = {
        "FACESYM_SITE_SECRET": SECRET,
        "FACESYM_RECORDS_KEY": new_key(),
        "FACESYM_DATABASE_URL": f"sqlite:///{tmp_path / 'records.sqlite3'}",
    }
    code, output = serve("--rules", str(rules), env=env)
    assert code == 1
    assert "has no record tables yet: run `facesym records migrate`" in output


def test_workers_are_for_the_production_server_only() -> None:
    code, output = serve("--dev", "--workers", "2")
    assert code == 2
    assert "--workers is for the production server" in output


# -- real servers ----------------------------------------------------------------------------


@pytest.mark.slow
def test_production_runs_gunicorn_with_signed_rules(tmp_path: Path) -> None:
    rules = signed_rules(tmp_path / "rules")
    env = {"FACESYM_SITE_SECRET": SECRET, "FACESYM_RULES": str(rules), "FACESYM_WORKERS": "1"}
    with serving([], env, tmp_path / "server.log") as port:
        status, headers, html = get(port, "/")
        assert status == 200
        assert 'data-page="questionnaire"' in html
        assert 'data-banner="development"' not in html
        assert headers["cache-control"] == "no-store"
        form = block_form(read_page(html), {"age": 40})
        status, posted = post_form(port, "/questionnaire", form, cookie_of(headers))
        assert status == 303
        assert "secure" in posted["set-cookie"].lower().split("; ")
        assert "httponly" in posted["set-cookie"].lower().split("; ")
        for name, value in headers.items():
            assert not VERSION.search(value) or name in {"date", "content-security-policy"}, (
                f"{name}: {value}"
            )
    assert "Booting worker" in (tmp_path / "server.log").read_text()  # gunicorn served it


@pytest.mark.slow
def test_dev_runs_flasks_server_with_a_banner_on_every_page(tmp_path: Path) -> None:
    with serving(["--dev"], {"FACESYM_SITE_SECRET": ""}, tmp_path / "server.log") as port:
        for path in ("/", "/check-answers"):
            status, headers, html = get(port, path)
            if status == 303:
                status, headers, html = get(port, headers["location"])
            assert status == 200
            assert "Development mode, not for clients: 124 rules are not signed off." in html
        assert headers["server"] == "facesym"
        form = block_form(read_page(html), {"age": 40})
        _, posted = post_form(port, "/questionnaire", form, cookie_of(headers))
        assert "secure" not in posted["set-cookie"].lower().split("; ")  # plain HTTP here


# -- in a terminal, as a person starting the server meets it ----------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_in_a_terminal_each_refusal_is_one_clear_message() -> None:
    from .test_cli_pty import Terminal, environment

    for env, words in (
        ({"FACESYM_SITE_SECRET": ""}, "Error: FACESYM_SITE_SECRET is not set"),
        ({"FACESYM_SITE_SECRET": SECRET}, "rules never signed off (124): gate.r1_stroke_signs"),
    ):
        terminal = Terminal("serve", env=environment(**env))
        try:
            code = terminal.finish()
        finally:
            terminal.close()
        text = " ".join(terminal.transcript.split())
        assert code == 1 and words in text, terminal.transcript
        assert "Traceback" not in terminal.transcript
