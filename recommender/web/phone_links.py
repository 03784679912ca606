"""Emergency and NHS numbers in page text as `tel:` links, so a phone can call them in one tap."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_NUMBERS = re.compile(r"\b(999|111)\b")


def phone_links(text: str) -> Markup:
    """The text, escaped, with each 999 and 111 made a link that dials it."""
    escaped = str(escape(text))
    return Markup(_NUMBERS.sub(r'<a class="tel" href="tel:\1">\1</a>', escaped))
