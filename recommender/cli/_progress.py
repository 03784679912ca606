"""A one-line progress bar on stderr that other lines can be printed above.

A bar drawn with a carriage return shares its line with whatever is printed next, so an
error line written while it shows would be glued to it or half overwritten. Every line
printed during a run goes through `ProgressLine.show`, which wipes the bar, prints the line
whole on a line of its own, and draws the bar again below it. On a stream that is not a
terminal nothing is drawn and lines are printed as they are.
"""

from __future__ import annotations

import os
from types import TracebackType
from typing import IO, Any

from ..views.style import NARROWEST, WIDEST, is_terminal

CLEAR = "\r\x1b[K"
"""Back to the start of the line and erase it (every terminal facesym supports has these)."""


def stream_columns(stream: IO[Any]) -> int:
    """The width of the terminal `stream` is on, clamped as the rest of the output is."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, OSError, ValueError):
        columns = 80
    return min(max(columns, NARROWEST), WIDEST)


class ProgressLine:
    """`label [####----]  42% (5 of 12)` on a terminal, redrawn only when it changes."""

    def __init__(self, label: str, total: int, stream: IO[Any], unit: str = "") -> None:
        self.label = label
        self.total = max(total, 0)
        self.stream = stream
        self.unit = unit
        self.done = 0
        self.live = is_terminal(stream)
        self.width = stream_columns(stream) - 1  # a full line would wrap on some terminals
        self._drawn = ""

    def __enter__(self) -> ProgressLine:
        self._draw()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def text(self) -> str:
        """The bar as it is drawn now, never wider than the terminal."""
        share = self.done / self.total if self.total else 0.0
        count = f"{self.done} of {self.total}{f' {self.unit}' if self.unit else ''}"
        tail = f" {share:4.0%} ({count})"
        room = self.width - len(self.label) - len(tail) - 3
        if room < 10:  # too narrow for a bar: the figures alone
            return f"{self.label}{tail}"[: self.width]
        filled = round(room * share)
        return f"{self.label} [{'#' * filled}{'-' * (room - filled)}]{tail}"

    def update(self, done: int, total: int | None = None) -> None:
        """Move the bar to `done` (of `total`, when the total becomes known on the way)."""
        if total is not None:
            self.total = max(total, 0)
        self.done = min(max(done, 0), self.total) if self.total else max(done, 0)
        self._draw()

    def advance(self, step: int = 1) -> None:
        self.update(self.done + step)

    def show(self, text: str, stream: IO[Any] | None = None) -> None:
        """Print `text` as whole lines above the bar (on `stream`, stderr by default)."""
        target = self.stream if stream is None else stream
        if target is not self.stream and not is_terminal(target):
            target.write(text + "\n")  # redirected: it never reaches the screen
            return
        if self._drawn:
            self.stream.write(CLEAR)
            self.stream.flush()
        target.write(text + "\n")
        target.flush()
        if self._drawn:
            self._drawn = ""
            self._draw()

    def close(self) -> None:
        """Wipe the bar, leaving the terminal as it was before the run."""
        if self._drawn:
            self.stream.write(CLEAR)
            self.stream.flush()
            self._drawn = ""
        self.live = False

    def _draw(self) -> None:
        if not self.live:
            return
        text = self.text()
        if text != self._drawn:
            self.stream.write(CLEAR + text)
            self.stream.flush()
            self._drawn = text
