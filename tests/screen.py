"""What a terminal would show for some output: enough of a terminal to judge a progress bar.

Handles the only controls facesym's progress line writes (carriage return, erase to the end
of the line) plus newlines and colour codes, which are dropped. Text written after a bar
without a carriage return lands on the bar's line, exactly as a real terminal puts it there,
so a glued or half-overwritten line shows up in `lines`.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\x1b\[K|\x1b\[[0-9;?]*[A-Za-z]|\r\n|\r|\n|[^\x1b\r\n]+")


def screen_lines(output: str) -> list[str]:
    """Every line the terminal ends up showing, the last one included if not empty."""
    lines: list[str] = []
    current: list[str] = []
    column = 0
    for token in _TOKEN.findall(output):
        if token in ("\n", "\r\n"):
            lines.append("".join(current).rstrip())
            current, column = [], 0
        elif token == "\r":
            column = 0
        elif token == "\x1b[K":
            del current[column:]
        elif token.startswith("\x1b"):
            continue  # colour and other styling
        else:
            for char in token:
                if column < len(current):
                    current[column] = char
                else:
                    current.append(char)
                column += 1
    if "".join(current).strip():
        lines.append("".join(current).rstrip())
    return lines
