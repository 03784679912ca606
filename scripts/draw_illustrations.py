"""Draw the exercise illustrations in rules/catalogue/illustrations/ from shared parts.

Every drawing is built here from the same face, hands and arrow styles, so the fourteen
pictures match and stay small; change a part once and run this again to redraw them all:

    python scripts/draw_illustrations.py            # rewrite rules/catalogue/illustrations/*.svg
    python scripts/draw_illustrations.py --check    # exit 1 if a file differs from its drawing

Titles and text alternatives come from the exercise catalogue that rules/rulebase.yaml names
(rules/catalogue/exercises.yaml: each exercise's name and its `illustration.text`), so the
picture and its words have one source; file names there are relative to rules/. Front views
show the face as the person sees it in a mirror; facesym adds the side mark at display time
(`recommender.rulebase.illustrations`), so these files never show a side.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

RULES = Path(__file__).resolve().parent.parent / "rules"

INK = "#1f2937"
MOVE = "#0f766e"
START = "#6b7280"
SKIN = "#fde3d3"
SKIN_EDGE = "#9a3412"

FRONT = (200, 260)
PAIR = (420, 260)
PROFILE = (240, 200)

Part = str


# --- shared parts --------------------------------------------------------------------------


def group(parts: Iterable[Part], **style: str | float) -> Part:
    attributes = "".join(f' {key.replace("_", "-")}="{value}"' for key, value in style.items())
    return f"<g{attributes}>{''.join(parts)}</g>"


def path(d: str) -> Part:
    return f'<path d="{d}"/>'


def mirrored(d_left: str) -> str:
    """The same path on the other half of a front view (x -> 200 - x). Paths here use only
    absolute M, L, Q, C and Z, whose numbers are x, y pairs."""
    result, is_x = [], True
    for token in re.findall(r"[A-Za-z]|-?\d*\.?\d+", d_left):
        if token.isalpha():
            result.append(token)
            is_x = True
        else:
            result.append(_fmt(200 - float(token)) if is_x else token)
            is_x = not is_x
    return " ".join(result)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def both_sides(d_left: str) -> list[Part]:
    return [path(d_left), path(mirrored(d_left))]


def face(eyes: str = "open", mouth: str = "rest") -> Part:
    """The shared front-view face: outline, ears, brows, eyes, nose and one of the mouths."""
    outline = (
        "M100 20 C150 20 172 62 170 118 C168 172 140 216 100 220"
        " C60 216 32 172 30 118 C28 62 50 20 100 20 Z"
    )
    parts = [path(outline)]
    parts += both_sides("M31 104 C20 104 20 136 33 138")  # ears
    parts += both_sides("M54 88 Q69 79 86 86")  # brows
    parts += EYES[eyes]()
    parts.append(path("M100 106 L94 146 Q100 151 106 146"))  # nose
    parts.append(MOUTHS[mouth])
    return group(
        parts,
        fill="none",
        stroke=INK,
        stroke_width=3,
        stroke_linecap="round",
        stroke_linejoin="round",
    )


def _eyes_open() -> list[Part]:
    almond = "M57 106 Q70 96 83 106 Q70 114 57 106 Z"
    return [
        *both_sides(almond),
        '<circle cx="70" cy="105.5" r="3.5" fill="#1f2937"/>',
        '<circle cx="130" cy="105.5" r="3.5" fill="#1f2937"/>',
    ]


def _eyes_wide() -> list[Part]:
    almond = "M55 106 Q70 91 85 106 Q70 118 55 106 Z"
    return [
        *both_sides(almond),
        '<circle cx="70" cy="105" r="4.5" fill="#1f2937"/>',
        '<circle cx="130" cy="105" r="4.5" fill="#1f2937"/>',
    ]


def _eyes_closed() -> list[Part]:
    return both_sides("M57 105 Q70 113 83 105")


def _eyes_squeezed() -> list[Part]:
    return [
        *both_sides("M56 104 Q70 112 84 104"),
        *both_sides("M60 99 L66 102"),
        *both_sides("M60 112 L66 109"),
    ]


def _eyes_squint() -> list[Part]:
    return [*both_sides("M57 105 Q70 99 83 105 Q70 107 57 105 Z")]


EYES: dict[str, Callable[[], list[Part]]] = {
    "open": _eyes_open,
    "wide": _eyes_wide,
    "closed": _eyes_closed,
    "squeezed": _eyes_squeezed,
    "squint": _eyes_squint,
}

MOUTHS = {
    "rest": path("M84 178 Q100 183 116 178"),
    "smile": path("M80 172 Q100 190 120 172"),
    "small_smile": path("M86 175 Q100 184 114 175"),
    "long_o": '<ellipse cx="100" cy="180" rx="9" ry="15"/>',
    # Lips pushed forward: a small round mouth inside the rounded lips.
    "pucker": (
        '<ellipse cx="100" cy="178" rx="10" ry="8"/><ellipse cx="100" cy="178" rx="3.5" ry="3"/>'
    ),
    "wide_e": path("M74 176 Q100 188 126 176 Q100 182 74 176 Z"),
    "pressed": path("M84 177 Q100 180 116 177") + path("M88 181 Q100 183 112 181"),
}


def fingertip(x: float, y: float, angle: float = 0) -> Part:
    return (
        f'<ellipse cx="{_fmt(x)}" cy="{_fmt(y)}" rx="6" ry="8.5" '
        f'transform="rotate({_fmt(angle)} {_fmt(x)} {_fmt(y)})"/>'
    )


def fingertips(points: Iterable[tuple[float, float, float]]) -> Part:
    return group((fingertip(*p) for p in points), fill=SKIN, stroke=SKIN_EDGE, stroke_width=2)


def arrow(points: str, end: tuple[float, float], toward: tuple[float, float]) -> Part:
    """A movement arrow: a line (or curve, `points` being its path) and a filled head at
    `end`, pointing along the direction from `toward` to `end`."""
    angle = math.atan2(end[1] - toward[1], end[0] - toward[0])
    size, spread = 10, 0.5
    left = (end[0] - size * math.cos(angle - spread), end[1] - size * math.sin(angle - spread))
    right = (end[0] - size * math.cos(angle + spread), end[1] - size * math.sin(angle + spread))
    head = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in (end, left, right))
    return f'<path d="{points}" fill="none"/><polygon points="{head}" fill="{MOVE}" stroke="none"/>'


def straight(x1: float, y1: float, x2: float, y2: float) -> Part:
    return arrow(f"M{_fmt(x1)} {_fmt(y1)} L{_fmt(x2)} {_fmt(y2)}", (x2, y2), (x1, y1))


def curved(x1: float, y1: float, cx: float, cy: float, x2: float, y2: float) -> Part:
    d = f"M{_fmt(x1)} {_fmt(y1)} Q{_fmt(cx)} {_fmt(cy)} {_fmt(x2)} {_fmt(y2)}"
    return arrow(d, (x2, y2), (cx, cy))


def moves(parts: Iterable[Part]) -> Part:
    return group(parts, stroke=MOVE, stroke_width=3.5, stroke_linecap="round")


def front(*parts: Part) -> tuple[tuple[int, int], str]:
    return FRONT, "".join(parts)


def pair(left: Part, right: Part) -> tuple[tuple[int, int], str]:
    """Two front views, the start and the end, with an arrow from one to the other."""
    between = moves([straight(196, 120, 224, 120)])
    shifted = f'<g transform="translate(220 0)">{right}</g>'
    return PAIR, left + between + shifted


def profile_head(dashed: bool = False, transform: str = "", width: float = 3) -> Part:
    """The shared side view of a head and neck, facing right; its neck ends at about
    (107, 196), the point to turn it around."""
    outline = (
        "M70 40 C100 18 150 24 160 58 C164 72 166 82 174 96 C177 101 172 104 167 104 "
        "C168 112 166 116 162 118 C165 124 162 130 156 132 C154 146 140 150 126 146 "
        "C124 160 126 176 130 196 M84 196 C86 170 80 150 66 132 C50 110 48 62 70 40"
    )
    eye = path("M142 70 Q148 67 153 71")
    ear = path("M96 82 C88 80 86 98 96 100")
    style: dict[str, str | float] = {
        "fill": "none",
        "stroke": START if dashed else INK,
        "stroke_width": width,
        "stroke_linecap": "round",
        "stroke_linejoin": "round",
    }
    if dashed:
        style["stroke_dasharray"] = "7 6"
    if transform:
        style["transform"] = transform
    return group([path(outline), eye, ear], **style)


def lying(turn: float, dashed: bool) -> Part:
    """The shared head lying face up on the floor (feet to the right): the side view turned
    `turn` degrees about its neck; -90 rests on the floor, nearer 0 lifts it chin first."""
    where = f"translate(130 140) rotate({_fmt(turn)}) scale(0.55) translate(-107 -196)"
    return profile_head(dashed=dashed, transform=where, width=3 / 0.55)


def body_lying() -> Part:
    """The shoulders and body of a person lying on the floor, for the neck moves."""
    floor = path("M8 178 L232 178")
    body = path("M130 127 C150 114 200 112 232 116 M130 153 C140 168 152 174 172 174 L232 174")
    return group(
        [floor, body],
        fill="none",
        stroke=INK,
        stroke_width=3,
        stroke_linecap="round",
        stroke_linejoin="round",
    )


# --- the drawings -----------------------------------------------------------------------


def e1() -> tuple[tuple[int, int], str]:
    return front(
        face(mouth="long_o"),
        fingertips([(60, 132, -20), (140, 132, 20)]),
        moves([straight(44, 172, 44, 138), straight(156, 172, 156, 138)]),
    )


def e2() -> tuple[tuple[int, int], str]:
    return front(
        face(mouth="smile"),
        fingertips([(76, 174, -30), (124, 174, 30)]),
        moves([curved(68, 166, 52, 150, 60, 126), curved(132, 166, 148, 150, 140, 126)]),
    )


def e3() -> tuple[tuple[int, int], str]:
    return front(
        face(mouth="long_o"),
        fingertips([(56, 128, -15), (70, 124, 0), (144, 128, 15), (130, 124, 0)]),
        moves([straight(100, 199, 100, 214)]),
    )


def e4() -> tuple[tuple[int, int], str]:
    return front(
        face(mouth="pucker"), moves([straight(22, 156, 50, 156), straight(178, 156, 150, 156)])
    )


def e5() -> tuple[tuple[int, int], str]:
    return PROFILE, (
        body_lying()
        + lying(-90, dashed=True)
        + lying(-62, dashed=False)
        + moves([curved(46, 124, 40, 92, 62, 70)])
    )


def e6() -> tuple[tuple[int, int], str]:
    return PROFILE, (
        profile_head(dashed=True)
        + profile_head(transform="translate(-18 0)")
        + moves([straight(222, 100, 196, 100)])
    )


def e7() -> tuple[tuple[int, int], str]:
    return pair(face(mouth="long_o"), face(mouth="wide_e"))


def e8() -> tuple[tuple[int, int], str]:
    palms = group(
        [path("M58 232 C70 214 130 214 142 232 C120 240 80 240 58 232 Z")],
        fill=SKIN,
        stroke=SKIN_EDGE,
        stroke_width=2,
    )
    return front(
        face(),
        palms,
        moves(
            [straight(46, 256, 46, 228), straight(154, 256, 154, 228), straight(100, 190, 100, 208)]
        ),
    )


def e9() -> tuple[tuple[int, int], str]:
    tips = [(x, 95, 0) for x in (58, 70, 82)] + [(200 - x, 95, 0) for x in (58, 70, 82)]
    return front(
        face(eyes="closed"),
        fingertips(tips),
        moves([straight(70, 50, 70, 74), straight(130, 50, 130, 74)]),
    )


def e10() -> tuple[tuple[int, int], str]:
    return front(
        face(),
        fingertips([(90, 60, 0), (110, 60, 0)]),
        moves([curved(86, 48, 60, 40, 42, 64), curved(114, 48, 140, 40, 158, 64)]),
    )


def e11() -> tuple[tuple[int, int], str]:
    rings = group(
        [f'<ellipse cx="{x}" cy="105" rx="22" ry="17"/>' for x in (70, 130)],
        fill="none",
        stroke=SKIN_EDGE,
        stroke_width=3,
        stroke_dasharray="4 4",
    )
    return front(
        face(eyes="squint"),
        rings,
        moves([straight(70, 140, 70, 124), straight(130, 140, 130, 124)]),
    )


def e12() -> tuple[tuple[int, int], str]:
    return pair(face(eyes="squeezed"), face(eyes="wide"))


def e13() -> tuple[tuple[int, int], str]:
    return front(
        face(mouth="small_smile"), moves([straight(82, 186, 66, 170), straight(118, 186, 134, 170)])
    )


def e14() -> tuple[tuple[int, int], str]:
    return front(
        face(mouth="pressed"), moves([straight(100, 154, 100, 170), straight(100, 206, 100, 189)])
    )


DRAWINGS: dict[str, Callable[[], tuple[tuple[int, int], str]]] = {
    "E1": e1,
    "E2": e2,
    "E3": e3,
    "E4": e4,
    "E5": e5,
    "E6": e6,
    "E7": e7,
    "E8": e8,
    "E9": e9,
    "E10": e10,
    "E11": e11,
    "E12": e12,
    "E13": e13,
    "E14": e14,
}


def svg(size: tuple[int, int], body: str, title: str, text: str) -> str:
    width, height = size
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">\n'
        f"<title>{escape(title)}</title>\n<desc>{escape(text)}</desc>\n{body}\n</svg>\n"
    )


def drawings(rules: Path = RULES) -> dict[Path, str]:
    """Each illustration file the catalogue names, with the SVG text drawn for it."""
    manifest = yaml.safe_load((rules / "rulebase.yaml").read_text(encoding="utf-8"))
    exercises = rules / manifest["catalogue"]["exercises"]
    catalogue = yaml.safe_load(exercises.read_text(encoding="utf-8"))
    out = {}
    for exercise_id, exercise in catalogue["exercises"].items():
        size, body = DRAWINGS[exercise_id]()
        picture = exercise["illustration"]
        out[rules / picture["file"]] = svg(size, body, exercise["name"], picture["text"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    arguments = parser.parse_args(argv)
    stale = []
    for target, text in drawings().items():
        if arguments.check:
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                stale.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target.relative_to(RULES.parent)} ({len(text.encode()):,} bytes)")
    for target in stale:
        print(
            f"{target} differs from its drawing: run scripts/draw_illustrations.py", file=sys.stderr
        )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
