"""How many questions each reference person is asked, as given and made 16 years old.

The five reference people are the examples in examples/; each is walked through
`Recommender.next_question` exactly as the CLI and the site ask, answering from the file:

    python scripts/questions_asked.py

Run it on two checkouts (or before and after a change to rules/catalogue/questions.yaml) to compare;
`facesym verify` reports the median over all end classes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from recommender import Recommender

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def asked(recommender: Recommender, source: dict[str, Any]) -> int:
    """The number of questions asked before the questionnaire ends (complete or stopped)."""
    answers: dict[str, Any] = {}
    while (question := recommender.next_question(answers)) is not None:
        answers[question.field] = source.get(question.field)
    return len(answers)


def main() -> None:
    recommender = Recommender.default()
    print(f"{'person':40} {'as given':>9} {'aged 16':>8}")
    for path in sorted(EXAMPLES.glob("*.json")):
        person = json.loads(path.read_text(encoding="utf-8"))
        young = person | {"age": 16}
        print(f"{path.stem:40} {asked(recommender, person):9} {asked(recommender, young):8}")


if __name__ == "__main__":
    main()
