"""The exercise drawings: drawn from shared parts, checked at load, shown where the programme is.

A drawing goes inline into web pages and into the PDF, so the loader's check is tried here
with each kind of unsafe file a clinic could put in its rule base; each must fail the whole
load naming the file and the exercise.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from recommender import Recommender, RuleBaseError
from recommender.programme.pdf import programme_pdf
from recommender.proof.client_check import ClientProof
from recommender.rulebase._illustrations import IllustrationError, check_drawing, svg_markup
from recommender.rulebase.loader import load_rulebase
from recommender.views.client import ClientRecommendation
from recommender.views.render import render_client

from .conftest import EXAMPLES, ROOT

GOOD = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 260">'
    "<title>Cheek lifter</title><desc>A face.</desc>{body}</svg>"
)
ALL_REGIONS = ["jawline", "chin", "cheeks", "brows", "eyes", "lips"]


def answers(side: str, regions: list[str] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "m1-weak-side-subtle.json").read_text())
    return data | {"side": side, "regions": regions or ALL_REGIONS}


def client_view(recommender: Recommender, side: str) -> ClientRecommendation:
    return recommender.for_client(recommender.recommend(answers(side)))


# --- the drawings in the rule base ----------------------------------------------------------


def test_every_drawing_is_the_one_the_shared_parts_draw() -> None:
    """The files are made by scripts/draw_illustrations.py; a hand edit or a change to a part
    without redrawing shows here."""
    script = ROOT / "scripts" / "draw_illustrations.py"
    done = subprocess.run([sys.executable, script, "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_every_exercise_has_a_small_titled_drawing_with_words(recommender: Recommender) -> None:
    rulebase = recommender.rulebase
    assert set(rulebase.drawings) == set(rulebase.exercises.exercises)
    for exercise_id, exercise in rulebase.exercises.exercises.items():
        file = rulebase.path / exercise.illustration.file
        assert file.stat().st_size < 4096, file  # a few kilobytes
        drawing = rulebase.drawings[exercise_id]
        assert drawing.title == exercise.name
        assert drawing.description == " ".join(exercise.illustration.text.split())
        assert len(exercise.illustration.text.split()) >= 12  # says what moves, not "a face"


# --- the loader's check: every unsafe kind fails the whole load ---------------------------

UNSAFE = {
    "script": ("<script>alert(1)</script>", "<script>"),
    "event handler": ('<path d="M0 0 L1 1" onload="alert(1)"/>', "onload"),
    "external link": ('<use href="https://example.org/face.svg#a"/>', "<use>"),
    "linked image": ('<image href="photo.jpg" width="10" height="10"/>', "<image>"),
    "embedded raster": (
        '<image href="data:image/png;base64,AAAA" width="1" height="1"/>',
        "<image>",
    ),
    "external paint": ('<path d="M0 0 L1 1" fill="url(http://example.org/p)"/>', "value"),
    "style sheet": ("<style>@import url(http://example.org/a.css);</style>", "<style>"),
    "foreign html": ("<foreignObject><p>hi</p></foreignObject>", "<foreignObject>"),
    "text outside title": ("<g>Buy now</g>", "text inside <g>"),
}


@pytest.mark.parametrize("kind", sorted(UNSAFE))
def test_an_unsafe_drawing_fails_the_load_naming_file_and_exercise(
    rules_copy: Path, kind: str
) -> None:
    body, reason = UNSAFE[kind]
    (rules_copy / "catalogue" / "illustrations" / "E3.svg").write_text(GOOD.format(body=body))
    with pytest.raises(RuleBaseError) as caught:
        load_rulebase(rules_copy)
    assert caught.value.file == "catalogue/illustrations/E3.svg"
    assert "exercise E3" in str(caught.value)
    assert reason in str(caught.value)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><path d="M0 0"/></svg>',
            "<title>",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><title> </title></svg>',
            "<title>",
        ),
        ('<svg viewBox="0 0 9 9"><title>A</title></svg>', "SVG namespace"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><title>A</title></svg>', "viewBox"),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><title>A</title>',
            "well-formed",
        ),
        (
            '<?xml-stylesheet href="http://example.org/a.css"?>'
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><title>A</title></svg>',
            "processing instruction",
        ),
        (
            '<!DOCTYPE svg [<!ENTITY a "aaaa">]>'
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><title>&a;</title></svg>',
            "not allowed XML",
        ),
    ],
)
def test_a_drawing_that_is_not_a_plain_titled_svg_is_refused(text: str, reason: str) -> None:
    with pytest.raises(IllustrationError, match=re.escape(reason)):
        check_drawing("x.svg", text.encode())


def test_a_huge_drawing_is_refused_before_it_is_parsed() -> None:
    body = '<path d="M0 0 L1 1"/>' * 5000
    with pytest.raises(IllustrationError, match="at most"):
        check_drawing("x.svg", GOOD.format(body=body).encode())


def test_a_missing_drawing_fails_the_load(rules_copy: Path) -> None:
    (rules_copy / "catalogue" / "illustrations" / "E12.svg").unlink()
    with pytest.raises(RuleBaseError, match="exercise E12's drawing: file not found"):
        load_rulebase(rules_copy)


def test_a_drawing_whose_words_promise_results_fails_the_load(rules_copy: Path) -> None:
    text = GOOD.replace("<desc>A face.</desc>", "<desc>Guaranteed results in a week.</desc>")
    (rules_copy / "catalogue" / "illustrations" / "E1.svg").write_text(text.format(body=""))
    with pytest.raises(RuleBaseError, match="exercise E1's drawing: client-facing text"):
        load_rulebase(rules_copy)


def test_a_drawing_is_part_of_the_rule_base_fingerprint(rules_copy: Path) -> None:
    before = load_rulebase(rules_copy).fingerprint
    drawing = rules_copy / "catalogue" / "illustrations" / "E1.svg"
    drawing.write_text(drawing.read_text().replace('stroke-width="3"', 'stroke-width="4"', 1))
    assert load_rulebase(rules_copy).fingerprint != before


def test_what_is_shown_is_the_checked_tree_not_the_file(rules_copy: Path) -> None:
    comment = "<!-- made with a drawing program -->"
    drawing = rules_copy / "catalogue" / "illustrations" / "E1.svg"
    drawing.write_text(comment + drawing.read_text())
    markup = svg_markup(load_rulebase(rules_copy).drawings["E1"])
    assert "<!--" not in markup and markup.startswith("<svg xmlns=")


# --- the side mark ------------------------------------------------------------------------


def _mark_x(svg: str) -> float | None:
    found = re.search(r'<line x1="([0-9.]+)"[^>]*stroke="#7c3aed"', svg)
    return float(found.group(1)) if found else None


def test_the_side_the_person_noticed_is_marked_mirrored_on_front_views(
    recommender: Recommender,
) -> None:
    catalogue = recommender.rulebase.exercises.exercises
    captions = recommender.rulebase.exercises.illustration_side_marks
    marks = {side: client_view(recommender, side).exercise_programme for side in ("left", "right")}
    for side, programme in marks.items():
        assert programme is not None
        assert programme.illustration_note == getattr(captions, side)
        assert programme.illustration_note is not None
        assert f"your {side} side" in programme.illustration_note
    left, right = marks["left"], marks["right"]
    assert left is not None and right is not None
    names = {exercise.name: exercise_id for exercise_id, exercise in catalogue.items()}
    for on_left, on_right in zip(left.exercises, right.exercises, strict=True):
        picture = catalogue[names[on_left.name]].illustration
        x_left, x_right = _mark_x(on_left.illustration.svg), _mark_x(on_right.illustration.svg)
        if not picture.shows_side:
            assert x_left is None and x_right is None, on_left.name
            continue
        view_box = re.search(r'viewBox="0 0 ([0-9.]+)', on_left.illustration.svg)
        assert view_box is not None
        width = float(view_box.group(1))
        assert x_left is not None and x_right is not None
        assert x_left < width / 2 < x_right  # mirror view: the person's left on the left
        assert x_left == pytest.approx(width - x_right)


@pytest.mark.parametrize("side", ["both", "not_sure"])
def test_no_side_is_marked_when_the_person_did_not_name_one(
    recommender: Recommender, side: str
) -> None:
    programme = client_view(recommender, side).exercise_programme
    assert programme is not None and programme.illustration_note is None
    assert all(_mark_x(e.illustration.svg) is None for e in programme.exercises)


def test_every_drawing_a_client_can_get_is_one_the_proof_knows(recommender: Recommender) -> None:
    proof = ClientProof(recommender.rulebase)
    assert proof.catalogue_problems() == []
    for side in ("left", "right", "both", "not_sure"):
        view = client_view(recommender, side)
        assert proof.view_problems(view, "") == []
    tampered = view.model_copy(deep=True)
    assert tampered.exercise_programme is not None
    first = tampered.exercise_programme.exercises[0].illustration
    object.__setattr__(first, "svg", first.svg.replace("</svg>", "<script/></svg>"))
    found = proof.view_problems(tampered, "")
    assert any("holds a drawing not checked at load" in problem for problem in found)


# --- where the programme appears --------------------------------------------------------


def test_the_pdf_draws_every_exercise_with_its_text_alternative(
    recommender: Recommender,
) -> None:
    programme = client_view(recommender, "right").exercise_programme
    assert programme is not None
    reader = PdfReader(BytesIO(programme_pdf(programme, date(2026, 12, 1), "rules 0")))
    figures: list[tuple[str, int]] = []

    def collect(node: Any) -> None:
        node = node.get_object()
        if node.get("/S") == "/Figure":
            page_number = reader.get_page_number(node["/Pg"].get_object())
            assert page_number is not None
            figures.append((str(node["/Alt"]), page_number))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                collect(kid)

    root = reader.trailer["/Root"]
    assert isinstance(root, DictionaryObject)
    collect(root["/StructTreeRoot"])
    assert [alt for alt, _ in figures] == [e.illustration.text for e in programme.exercises]
    for exercise, (_, page) in zip(programme.exercises, figures, strict=True):
        heading = f"{exercise.number}. {exercise.name}"
        assert heading in " ".join(reader.pages[page].extract_text().split())


def test_the_cli_text_names_where_the_drawings_are(recommender: Recommender) -> None:
    text = " ".join(render_client(client_view(recommender, "left")).split())
    assert "facesym programme" in text and "--pdf" in text
    assert "<svg" not in text


@pytest.mark.parametrize(
    "text",
    ["", "plain", "a & b < c > d", 'say "hi"', "it's", "both ' and \"", "tab\there\nnew\rline",
     "&amp; already", "<script>alert('x')</script>", "\u00e9\u2014\U0001f600"],
)  # fmt: skip
def test_escaping_is_the_standard_librarys(text: str) -> None:
    """The drawings' own escape and quoteattr write what xml.sax.saxutils writes."""
    from xml.sax import saxutils

    from recommender.rulebase._illustrations import escape, quoteattr

    assert escape(text) == saxutils.escape(text)
    assert quoteattr(text) == saxutils.quoteattr(text)
