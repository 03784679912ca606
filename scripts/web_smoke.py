"""A short smoke test against a running `facesym serve` (CI runs it; not a pytest test).

Bounded: a fixed set of requests, each with a timeout. Checks, through the pages as a
browser without scripts uses them: a whole questionnaire to its result (through the consent
page, saying yes, when the site keeps records: the result shows a reference), and a red flag
that ends the questionnaire at once with nothing to book; and through the JSON API: a
recommendation, and a cross-site request refused. Exits 1 on the first failure.

    python scripts/web_smoke.py http://127.0.0.1:8765 --wait 60
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from web_client import Browser, answer_all, read_page, wait_until_answering

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
STROKE = {"age": 67, "stroke_signs": "yes"}


def example(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
    return loaded


def check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)
    print(f"ok  {what}")


def smoke(base_url: str) -> None:
    visitor = Browser(base_url)
    last = answer_all(visitor, example("m1-weak-side-subtle"))
    check(last.kind == "check", "a whole questionnaire reaches 'check your answers'")
    status, html = visitor.get("/result")
    if 'data-page="consent"' in html:  # the site keeps consult records
        page = read_page(html)
        check("How long:" in html and "Who sees them" in html, "consent says what is kept")
        status, html = visitor.post_form("/consent", {"csrf_token": page.token, "choice": "given"})
        check('class="reference-code"' in html, "with consent, the result shows a reference")
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:8765")
    parser.add_argument("--wait", type=float, default=0, help="seconds to wait for the site")
    args = parser.parse_args()
    if args.wait:
        wait_until_answering(args.base_url, args.wait)
    try:
        smoke(args.base_url.rstrip("/"))
    except (AssertionError, OSError) as error:
        print(f"FAILED  {error}", file=sys.stderr)
        return 1
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
