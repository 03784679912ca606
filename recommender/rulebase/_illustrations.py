"""The exercise drawings: check each SVG file once at load, and mark the person's side.

A drawing is shown inline in web pages and drawn into the PDF, so a file that a clinic puts in
its rule base must not be able to run a script, fetch anything or smuggle in a photograph.
The check is an allow-list, not a search for known bad things: plain SVG shapes with their
drawing attributes, parsed with `defusedxml` (no DTD, no entities). What is shown is the
checked tree serialised again, never the file's own bytes, so nothing the check skipped
(comments, whitespace, the XML declaration) reaches a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree import ElementTree

import defusedxml.ElementTree as SafeTree
from defusedxml import DefusedXmlException

SVG_NS = "http://www.w3.org/2000/svg"
MAX_BYTES = 32 * 1024
"""A drawing is a few kilobytes; anything much larger is not a line drawing."""

ELEMENTS = frozenset(
    {
        "svg",
        "title",
        "desc",
        "g",
        "path",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "rect",
    }
)
ATTRIBUTES = frozenset(
    {
        "viewBox", "width", "height", "transform",
        "d", "points", "cx", "cy", "r", "rx", "ry", "x", "y", "x1", "y1", "x2", "y2",
        "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
        "stroke-dasharray", "opacity", "fill-opacity", "stroke-opacity",
    }
)  # fmt: skip
"""Shapes and how they are drawn: no `href`, `style`, `id`, event handler or `class`."""

_SAFE_VALUE = re.compile(r"^[A-Za-z0-9#.,\s()+-]*$")
"""Numbers, colours, path data and transforms; no `url(`, no `:` (so no scheme), no quotes."""

SIDE_MARK_COLOUR = "#7c3aed"


class IllustrationError(ValueError):
    """A drawing file that is not a safe, well-formed SVG with a title."""


@dataclass(frozen=True)
class Drawing:
    """One checked drawing: its file, its SVG as checked, its size and its words."""

    file: str
    root: ElementTree.Element
    view_box: tuple[float, float, float, float]
    title: str
    description: str
    markups: dict[tuple[str | None, str], str] = field(
        default_factory=dict, compare=False, repr=False
    )
    """`svg_markup`'s results, by side and label: a client view is built on every request
    and writing a drawing out takes about 60 us, so each variant is written once."""


class _Builder(ElementTree.TreeBuilder):
    """A tree builder that notes processing instructions, which the tree itself drops when
    they stand before the root element."""

    def __init__(self) -> None:
        super().__init__()
        self.instructions: list[str] = []

    def pi(self, target: str, text: str | None = None) -> ElementTree.Element:
        self.instructions.append(target)
        return super().pi(target, text)


def _local(tag: str) -> str:
    namespace, _, name = tag.rpartition("}")
    if namespace != "{" + SVG_NS:
        raise IllustrationError(f"<{tag}> is not an SVG element")
    return name


def _check_element(element: ElementTree.Element) -> None:
    name = _local(element.tag)
    if name not in ELEMENTS:
        raise IllustrationError(f"has a <{name}> element; only plain shapes are allowed")
    if name not in ("title", "desc") and (element.text or "").strip():
        raise IllustrationError(f"has text inside <{name}>; words go in <title> and <desc>")
    if (element.tail or "").strip():
        raise IllustrationError(f"has text after <{name}>; words go in <title> and <desc>")
    for attribute, value in element.attrib.items():
        if attribute not in ATTRIBUTES:
            raise IllustrationError(
                f"<{name}> has the attribute {attribute!r}, which is not allowed"
            )
        if not _SAFE_VALUE.match(value) or "url" in value.lower():
            raise IllustrationError(f"<{name} {attribute}> has a value that is not allowed")
    for child in element:
        _check_element(child)


def _view_box(root: ElementTree.Element) -> tuple[float, float, float, float]:
    parts = root.get("viewBox", "").replace(",", " ").split()
    try:
        x, y, width, height = (float(part) for part in parts)
    except ValueError:
        raise IllustrationError("needs a viewBox of four numbers") from None
    if width <= 0 or height <= 0:
        raise IllustrationError("needs a viewBox with a positive width and height")
    return x, y, width, height


def _text_of(root: ElementTree.Element, name: str) -> str:
    found = root.find(f"{{{SVG_NS}}}{name}")
    return " ".join((found.text or "").split()) if found is not None else ""


def check_drawing(file: str, data: bytes) -> Drawing:
    """Parse and check one drawing; raise `IllustrationError` saying what is wrong."""
    if len(data) > MAX_BYTES:
        raise IllustrationError(f"is {len(data):,} bytes; a drawing may be at most {MAX_BYTES:,}")
    builder = _Builder()
    parser = SafeTree.DefusedXMLParser(target=builder, forbid_dtd=True)
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as error:
        raise IllustrationError(f"is not allowed XML ({type(error).__name__})") from None
    except ElementTree.ParseError as error:
        raise IllustrationError(f"is not well-formed XML ({error})") from None
    if builder.instructions:
        raise IllustrationError("has a processing instruction (it could load a stylesheet)")
    if root.tag != f"{{{SVG_NS}}}svg":
        raise IllustrationError(
            "is not an SVG drawing (its root is not <svg> in the SVG namespace)"
        )
    _check_element(root)
    first = next(iter(root), None)
    title = _text_of(root, "title")
    if first is None or first.tag != f"{{{SVG_NS}}}title" or not title:
        raise IllustrationError("needs a <title> with words as its first element")
    return Drawing(file, root, _view_box(root), title, _text_of(root, "desc"))


def svg_markup(drawing: Drawing, side: str | None = None, label: str = "") -> str:
    """The drawing as SVG text for a page or a PDF, with the side mark added when `side` is
    `left` or `right`. Front views are drawn as the person sees themselves in a mirror, so
    their left is on the picture's left. `label` becomes the drawing's accessible name."""
    key = (side if side in ("left", "right") else None, label)
    found = drawing.markups.get(key)
    if found is None:
        found = drawing.markups[key] = _written(drawing, key[0], label)
    return found


def _written(drawing: Drawing, side: str | None, label: str) -> str:
    extra = {"role": "img", "aria-label": label} if label else {}
    mark = ""
    if side is not None:
        x, y, width, height = drawing.view_box
        edge = x + 5 if side == "left" else x + width - 5
        mark = (
            f'<line x1="{edge:g}" x2="{edge:g}" y1="{y + height * 0.12:g}" '
            f'y2="{y + height * 0.88:g}" stroke="{SIDE_MARK_COLOUR}" stroke-width="6" '
            'stroke-linecap="round"/>'
        )
    return _serialise(drawing.root, {"xmlns": SVG_NS, **extra}, mark)


def without_words(markup: str) -> str:
    """The markup of `svg_markup` without its title and description, for a renderer that
    takes the text alternative separately (the PDF's alt text)."""
    return _WORDS.sub("", markup)


_WORDS = re.compile(r"<(title|desc)>[^<]*</\1>")
"""`_serialise` writes these two elements with escaped text only, so no `<` inside."""


def escape(text: str) -> str:
    """XML text with `&`, `<` and `>` escaped: what `xml.sax.saxutils.escape` writes, which is
    not imported because it imports urllib.request (http, ssl: some 30 ms of every start-up);
    tests/test_illustrations.py checks the two agree."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(value: str) -> str:
    """A quoted XML attribute value, as `xml.sax.saxutils.quoteattr` writes it."""
    escaped = escape(value).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in escaped:
        return f'"{escaped}"'
    if "'" not in escaped:
        return f"'{escaped}'"
    return '"{}"'.format(escaped.replace('"', "&quot;"))


def _serialise(element: ElementTree.Element, extra: dict[str, str], inside: str = "") -> str:
    """One checked element as SVG text (the standard serialiser cannot write a default
    namespace with plain attribute names)."""
    name = _local(element.tag)
    attributes = "".join(
        f" {key}={quoteattr(value)}" for key, value in {**extra, **element.attrib}.items()
    )
    text = escape(" ".join(element.text.split())) if element.text and element.text.strip() else ""
    children = "".join(_serialise(child, {}) for child in element)
    return f"<{name}{attributes}>{text}{children}{inside}</{name}>"
