"""`facesym verify` proves the client view clean, and names the part at fault when it is not.

It reads the broken copy shared with tests/test_verify.py (one whole-space walk), so it is
marked slow like them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from recommender.proof.verify import Report, render


@pytest.mark.slow
def test_verify_finds_a_code_in_a_card_a_client_sees(
    broken_structure: tuple[Path, Report, dict[str, str]],
) -> None:
    """A booking card of the shared broken copy names its service code in its text."""
    _, report, ids = broken_structure
    card_id = ids["client_card"]
    found = report.by_kind("client_text")
    text = render(report)
    assert not report.ok
    assert any(f"card {card_id} detail" in f.message and not f.assignment for f in found), text
    replayed = [f for f in found if f.assignment]
    assert any("cards.detail" in f.message for f in replayed), text
    assert any("client text output" in f.message for f in replayed), text
    assert report.client_parts > 0
