"""`facesym verify` proves the client view clean, and names the part at fault when it is not.

A whole-space walk (under a minute each on two cores), so marked slow like tests/test_verify.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from recommender.verify import render, verify
from recommender.yamlio import load_yaml

from .verify_fixtures import copy_rules


@pytest.mark.slow
def test_verify_finds_a_code_in_a_card_a_client_sees(tmp_path: Path) -> None:
    root = copy_rules(tmp_path / "rules")
    manifest = load_yaml((root / "rulebase.yaml").read_text(encoding="utf-8"))
    path = root / manifest["catalogue"]["cards"]
    data = load_yaml(path.read_text(encoding="utf-8"))
    # A card that books a service is shown on a non-red-flag path, so a replay reaches it.
    card_id, card = next((i, c) for i, c in data["cards"].items() if c.get("booking"))
    card["detail"] += f" Ask for {card['booking']}."
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    report = verify(root)
    found = report.by_kind("client_text")
    text = render(report)
    assert not report.ok
    assert any(f"card {card_id} detail" in f.message and not f.assignment for f in found), text
    replayed = [f for f in found if f.assignment]
    assert any("cards.detail" in f.message for f in replayed), text
    assert any("client text output" in f.message for f in replayed), text
    assert report.client_parts > 0
