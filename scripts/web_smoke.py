"""A short smoke test against a running `facesym serve` (CI runs it; not a pytest test).

Bounded: a fixed set of requests, each with a timeout. Checks, through the pages as a
browser without scripts uses them: a whole questionnaire to its result (through the consent
page, saying yes, when the site keeps records: the result shows a reference), and a red flag
that ends the questionnaire at once with nothing to book; and through the JSON API: a
recommendation, and a cross-site request refused; with `--user`, a clinician signs in and
reads the consult just saved. Exits 1 on the first failure.

    python scripts/web_smoke.py http://127.0.0.1:8765 --wait 60
    FACESYM_SMOKE_PASSWORD=... python scripts/web_smoke.py http://127.0.0.1:8765 --user smoke.admin
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from web_client import Browser, answer_all, read_page, wait_until_answering

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
STROKE = {"age": 67, "stroke_signs": "yes"}
PASSWORD_ENV = "FACESYM_SMOKE_PASSWORD"


def example(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
    return loaded


def check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)
    print(f"ok  {what}")


def smoke(base_url: str, account: tuple[str, str] | None) -> None:
    visitor = Browser(base_url)
    reference = ""
    last = answer_all(visitor, example("m1-weak-side-subtle"))
    check(last.kind == "check", "a whole questionnaire reaches 'check your answers'")
    status, html = visitor.get("/result")
    if 'data-page="consent"' in html:  # the site keeps consult records
        page = read_page(html)
        check("How long:" in html and "Who sees them" in html, "consent says what is kept")
        status, html = visitor.post_form("/consent", {"csrf_token": page.token, "choice": "given"})
        check('class="reference-code"' in html, "with consent, the result shows a reference")
        reference = html.split('class="reference-code">', 1)[1].split("<", 1)[0]
    check(status == 200 and 'data-page="result"' in html, "the result page is shown")
    check('class="button download-pdf"' in html, "the result offers the programme")

    stopped = answer_all(Browser(base_url), STROKE)
    check(stopped.kind == "stop", "a stroke warning ends the questionnaire at once")

    status, body = Browser(base_url).post_json("/api/recommendation", example("s1-skeletal-bite"))
    check(status == 200 and isinstance(body, dict) and "next_step" in body, "the JSON API answers")
    status, _, _ = Browser(base_url).request(
        "POST",
        "/api/recommendation",
        json.dumps(STROKE),
        {"Content-Type": "application/json", "Origin": "https://elsewhere.example"},
    )
    check(status == 403, "a cross-site JSON request is refused")
    if account is not None and reference:
        clinician_reads(base_url, account, reference)


def clinician_reads(base_url: str, account: tuple[str, str], reference: str) -> None:
    """Sign in to /clinic/ and open the consult just saved, then sign out."""
    staff = Browser(base_url)
    _, html = staff.get("/clinic/")
    check('data-page="clinic-login"' in html, "/clinic/ asks anyone not signed in to sign in")
    name, password = account
    form: dict[str, object] = {
        "csrf_token": read_page(html).token,
        "name": name,
        "password": password,
    }
    _, html = staff.post_form("/clinic/login", form)
    check('data-page="clinic-consults"' in html and reference in html, "a clinician signs in")
    status, html = staff.get(f"/clinic/consults/{reference}")
    check(status == 200 and f'data-reference="{reference}"' in html, "and reads the consult")
    _, html = staff.post_form("/clinic/logout", {"csrf_token": read_page(html).token})
    check('data-page="clinic-login"' in html, "and signs out")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:8765")
    parser.add_argument("--wait", type=float, default=0, help="seconds to wait for the site")
    parser.add_argument(
        "--user", help=f"a clinic account to sign in with (its password in ${PASSWORD_ENV})"
    )
    args = parser.parse_args()
    account = None
    if args.user:
        password = os.environ.get(PASSWORD_ENV, "")
        if not password:
            parser.error(f"--user needs the account's password in ${PASSWORD_ENV}")
        account = (args.user, password)
    if args.wait:
        wait_until_answering(args.base_url, args.wait)
    try:
        smoke(args.base_url.rstrip("/"), account)
    except (AssertionError, OSError) as error:
        print(f"FAILED  {error}", file=sys.stderr)
        return 1
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
