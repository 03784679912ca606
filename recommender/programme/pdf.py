"""The personal programme as a PDF a person can print and keep beside the mirror.

Built with fpdf2 from the client view only (`ClientProgramme`), so nothing a clinician alone
may see can reach the page. The standard PDF fonts cover Latin-1 only; a character outside
it (a clinic's own rule base could use curly quotes) is replaced by a plain equivalent
rather than failing the whole document.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ..rulebase._illustrations import without_words
from ..views.client import ClientExercise, ClientProgramme
from ._text import (
    exercise_heading,
    long_date,
    phase_session,
    review_phases,
    seconds_words,
    session_lines,
)

DRAWING_WIDTH = 56.0
DRAWING_HEIGHT = 52.0
"""The largest box a drawing takes beside its steps, in millimetres (a face is 40 wide)."""

FONT = "Helvetica"
LINE = 5.5
"""Line height in millimetres for 11-point body text."""

_PLAIN = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def plain(text: str) -> str:
    """Text the standard fonts can draw: typographic marks made plain, the rest replaced."""
    return " ".join(text.translate(_PLAIN).split()).encode("latin-1", "replace").decode("latin-1")


class _Page(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self._footer_text = footer_text
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=18)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, size=8)
        self.set_text_color(90)
        self.cell(0, 5, plain(f"{self._footer_text}  -  page {self.page_no()}"), align="C")
        self.set_text_color(0)


def _heading(pdf: FPDF, text: str, size: int = 14) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(0, size * 0.5, plain(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _para(pdf: FPDF, text: str, style: str = "", indent: float = 0, width: float = 0) -> None:
    """A paragraph; `width` 0 runs to the right margin."""
    pdf.set_font(FONT, style, 11)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(width, LINE, plain(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _bullets(pdf: FPDF, items: list[str], indent: float = 4, width: float = 0) -> None:
    pdf.set_font(FONT, "", 11)
    for item in items:
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(5, LINE, "-")
        right = width - indent - 5 if width else 0
        pdf.multi_cell(right, LINE, plain(item), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _drawing_size(exercise: ClientExercise) -> tuple[float, float]:
    """The drawing's width and height on the page in millimetres: `DRAWING_HEIGHT` tall,
    or narrower than `DRAWING_WIDTH` for a wide one (two faces side by side)."""
    box = exercise.illustration.svg.split('viewBox="', 1)[1].split('"', 1)[0].split()
    ratio = float(box[2]) / float(box[3])
    width = min(DRAWING_WIDTH, DRAWING_HEIGHT * ratio)
    return width, width / ratio


def _exercises(pdf: FPDF, programme: ClientProgramme) -> None:
    _heading(pdf, "Your exercises, in order")
    if programme.illustration_note:
        _para(pdf, programme.illustration_note, "I")
    for exercise in programme.exercises:
        lines = 3 + len(exercise.steps) + (2 if exercise.caution else 0)
        picture_width, picture = _drawing_size(exercise)
        text_width = pdf.epw - picture_width - 6
        if pdf.will_page_break(max(LINE * lines, picture + 4)):  # steps and drawing together
            pdf.add_page()
        pdf.ln(2)
        top = pdf.get_y()
        _para(pdf, exercise_heading(exercise.number, exercise.name), "B", width=text_width)
        _para(
            pdf,
            f"How much: {exercise.dose} (about {seconds_words(exercise.seconds)})",
            width=text_width,
        )
        _bullets(pdf, list(exercise.steps), width=text_width)
        if exercise.caution:
            _para(pdf, f"Take care: {exercise.caution}", "I", indent=4, width=text_width)
        bottom = pdf.get_y()
        drawing = exercise.illustration
        pdf.image(
            BytesIO(without_words(drawing.svg).encode("utf-8")),
            x=pdf.l_margin + pdf.epw - picture_width,
            y=top,
            w=picture_width,
            h=picture,
            keep_aspect_ratio=True,
            title=plain(exercise.name),
            alt_text=plain(drawing.text),
        )
        pdf.set_y(max(bottom, top + picture))


def _schedule(pdf: FPDF, programme: ClientProgramme) -> None:
    _heading(pdf, "Your 20-week schedule")
    pdf.set_font(FONT, "", 10)
    headings = ("Weeks", "Stage", "How often", "Each session", "What happens")
    with pdf.table(
        col_widths=(16, 30, 32, 26, 70),
        line_height=5,
        text_align="LEFT",
        first_row_as_headings=True,
    ) as table:
        table.row(headings)
        for phase in programme.schedule:
            stage = phase.phase + (" (review)" if phase.review else "")
            cells = (phase.weeks, stage, phase.frequency, phase_session(phase), phase.what)
            table.row([plain(cell) for cell in cells])
    pdf.ln(2)
    _para(pdf, "Reviews with the clinic:", "B")
    _bullets(pdf, [f"Week {phase.weeks}: {phase.what}" for phase in review_phases(programme)])


def programme_pdf(programme: ClientProgramme, made: date, rulebase: str) -> bytes:
    """The whole printout: exercises with steps, schedule and reviews, and when to stop.

    `rulebase` names the rule base and its version, printed so a clinic can tell which
    rules made this plan; `made` is the date it was made."""
    made_line = f"Made on {long_date(made)} with the rule base {rulebase}."
    pdf = _Page(footer_text=f"Your facial exercise programme - {made_line}")
    pdf.set_title("Your facial exercise programme")
    pdf.set_creator("facesym")
    pdf.add_page()
    _heading(pdf, "Your facial exercise programme", size=18)
    _para(pdf, made_line)
    _para(pdf, f"Areas: {', '.join(programme.areas)}.")
    _heading(pdf, "Each session")
    for text in session_lines(programme):
        _para(pdf, text)
        pdf.ln(1)
    _heading(pdf, "Which side", size=12)
    _para(pdf, programme.side_emphasis)
    _exercises(pdf, programme)
    _schedule(pdf, programme)
    _heading(pdf, "When to stop and get help")
    _bullets(pdf, list(programme.stop_if))
    return bytes(pdf.output())
