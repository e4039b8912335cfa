"""``export --format pptx``: the deck for the client meeting (DESIGN.md "Sharing"), built from
the project and the maps as PNG bytes (drawn by ui.export, which owns Qt): a title slide, per
segment its map, its story lanes, its weak touchpoints and its competitor chart, then the
action plan.

Every word is text (titles, tables, the chart's labels), so the deck can be edited, searched
and read aloud; tables are PowerPoint tables and the chart a native chart, which PowerPoint,
Keynote and LibreOffice Impress all draw and let the user restyle. Type is sized for the back
of a meeting room (nothing under 12 pt) in Arial, which every one of them has or maps to a
metric twin (Liberation Sans)."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.parts.image import Image
from pptx.util import Emu, Inches, Pt, lazyproperty
from xlsxwriter import Workbook

from journeymapper.analysis.comparison import competitor_comparison
from journeymapper.analysis.stats import metric_for
from journeymapper.exporters.charts import OKABE_ITO
from journeymapper.exporters.share_rows import (
    NONE,
    ActionRow,
    Figures,
    action_rows,
    count,
    no_weak_rows,
    segment_hex,
    weak_rows,
    xml_safe,
)
from journeymapper.model import Project

FONT = "Arial"
INK = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x5B, 0x67, 0x78)
RULE = RGBColor(0xD5, 0xDB, 0xE3)
BAND = RGBColor(0xF3, 0xF5, 0xF8)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
VERDICT = {"weak": RGBColor(0xC6, 0x28, 0x28), "watch": RGBColor(0xB2, 0x6A, 0x00)}
# Competitors in greys, so that "us" in the segment's colour stands out.
THEIRS = ("#8A96A5", "#4A5562", "#BCC5D0", "#2F3842")

SLIDE_W, SLIDE_H = Emu(12192000), Inches(7.5)  # 16:9, as PowerPoint makes it (13⅓ × 7½ in)
LEFT, TOP = Inches(0.5), Inches(1.5)
BODY_W, BODY_H = SLIDE_W - 2 * LEFT, Inches(5.35)
TITLE_PT, BODY_PT, SMALL_PT = 30, 14, 12
# Layouts of python-pptx's default template.
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5


def _clean(text: object) -> str:
    return xml_safe(str(text)).replace("\r\n", " ").replace("\n", " ").replace("\t", " ")


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def segment_colour(project: Project, segment_id: str) -> RGBColor:
    return _rgb(segment_hex(project, segment_id))


# -- text ---------------------------------------------------------------------------------


def _run(paragraph, text: str, size: int, *, bold: bool = False,  # noqa: ANN001
         colour: RGBColor = INK) -> None:
    run = paragraph.add_run()
    run.text = _clean(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour


def _lines(frame, lines: Sequence[tuple[str, int, bool, RGBColor]]) -> None:  # noqa: ANN001
    """One paragraph per (text, size, bold, colour), replacing what the frame held."""
    frame.word_wrap = True
    for i, (text, size, bold, colour) in enumerate(lines):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if i == 0:
            for r in list(p.runs):
                r._r.getparent().remove(r._r)
        _run(p, text, size, bold=bold, colour=colour)


def _textbox(slide, left: int, top: int, width: int, height: int,  # noqa: ANN001
             lines: Sequence[tuple[str, int, bool, RGBColor]]):  # noqa: ANN202
    box = slide.shapes.add_textbox(left, top, width, height)
    _lines(box.text_frame, lines)
    return box


def _bar(slide, colours: Sequence[RGBColor]) -> None:  # noqa: ANN001
    """The slide's left edge in the colours of the segments it is about."""
    height = SLIDE_H // max(1, len(colours))
    for i, colour in enumerate(colours):
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, i * height, Inches(0.18),
                                     SLIDE_H - i * height if i == len(colours) - 1 else height)
        bar.fill.solid()
        bar.fill.fore_color.rgb = colour
        bar.line.fill.background()


class Deck:
    def __init__(self, project: Project, date: dt.date) -> None:
        self.project = project
        self.date = date
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = SLIDE_W, SLIDE_H
        self.figures = Figures(project)
        self.left_out: list[str] = []

    def slide(self, title: str, colour: RGBColor, subtitle: str = ""):  # noqa: ANN201
        """A content slide: its title as the slide's title (the outline and screen readers
        read it), a bar in the segment's colour, a subtitle and the footer."""
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[TITLE_ONLY_LAYOUT])
        _bar(slide, [colour])
        heading = slide.shapes.title
        heading.left, heading.top = LEFT, Inches(0.3)
        heading.width, heading.height = BODY_W, Inches(0.75)
        heading.text_frame.vertical_anchor = MSO_ANCHOR.TOP
        _lines(heading.text_frame, [(title, TITLE_PT, True, INK)])
        heading.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
        if subtitle:
            _textbox(slide, LEFT, Inches(0.98), BODY_W, Inches(0.4),
                     [(subtitle, BODY_PT, False, MUTED)])
        number = len(self.prs.slides)
        _textbox(slide, LEFT, SLIDE_H - Inches(0.5), BODY_W, Inches(0.35),
                 [(f"{self.project.name} · {self.date.isoformat()} · {number}", SMALL_PT,
                   False, MUTED)])
        return slide

    def title_slide(self, segment_ids: Sequence[str]) -> None:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[TITLE_LAYOUT])
        _bar(slide, [segment_colour(self.project, sid) for sid in segment_ids])
        title, subtitle = slide.placeholders[0], slide.placeholders[1]
        title.left, title.top, title.width, title.height = (LEFT, Inches(2.2), BODY_W,
                                                            Inches(1.6))
        title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
        _lines(title.text_frame, [(self.project.name, 44, True, INK)])
        title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
        subtitle.left, subtitle.top, subtitle.width, subtitle.height = (
            LEFT, Inches(4.0), BODY_W, Inches(2.6))
        subtitle.text_frame.vertical_anchor = MSO_ANCHOR.TOP
        _lines(subtitle.text_frame, [(f"Customer journeys · {self.date.isoformat()}", 22,
                                      False, MUTED)])
        p = subtitle.text_frame.add_paragraph()
        for i, sid in enumerate(segment_ids):
            name = next(s.name for s in self.project.segments if s.id == sid)
            _run(p, ("  ·  " if i else "") + name, 20, bold=True,
                 colour=segment_colour(self.project, sid))
        for p in subtitle.text_frame.paragraphs:
            p.alignment = PP_ALIGN.LEFT
            p.space_before = Pt(8)
        self._title_subtitle = subtitle

    def note_left_out(self) -> None:
        """What the deck has no slide for, said once on the title slide, instead of slides
        that hold only "no values yet"."""
        if not self.left_out:
            return
        frame = self._title_subtitle.text_frame
        p = frame.add_paragraph()
        p.space_before = Pt(18)
        _run(p, "Not in this deck yet: " + "; ".join(self.left_out) + ".", SMALL_PT + 2,
             colour=MUTED)
        p.alignment = PP_ALIGN.LEFT

    # -- per segment ----------------------------------------------------------------------

    def map_slide(self, segment_id: str, png: bytes) -> None:
        colour = segment_colour(self.project, segment_id)
        name = self._segment_name(segment_id)
        slide = self.slide(f"{name}: the journey", colour)
        w, h = Image.from_blob(png).size
        scale = min(BODY_W / w, (BODY_H + Inches(0.45)) / h)
        width, height = round(w * scale), round(h * scale)
        slide.shapes.add_picture(io.BytesIO(png), LEFT + (BODY_W - width) // 2,
                                 Inches(1.1), width, height)
        slide.shapes[-1].name = f"Map of {_clean(name)}"

    def story_slides(self, segment_id: str) -> None:
        """The segment's text lanes as a table, a row per lane and a column per stage: the
        map shows them too, but too small to read across a room."""
        stages = self.project.stages_of(segment_id)
        lanes = [(lane.name, cells) for lane in self.project.lanes_of(segment_id)
                 if lane.kind == "text" and not lane.hidden
                 and (cells := self.project.cells_of(lane.id))]
        if not lanes or not stages:
            return
        table = Table(("Lane", *(s.name for s in stages)), (1.8, *(2.0,) * len(stages)),
                      rows=[[[(name, SMALL_PT + 1, True, INK)]] + [
                          [(line, SMALL_PT, False, INK) for line in cells[s.id].splitlines()]
                          if s.id in cells else [("", SMALL_PT, False, INK)] for s in stages]
                          for name, cells in lanes])
        self.table_slides(f"{self._segment_name(segment_id)}: the story", "What the customer "
                          "wants, does, thinks and feels at each stage",
                          segment_colour(self.project, segment_id), table)

    def weak_slides(self, segment_id: str) -> None:
        name = self._segment_name(segment_id)
        rows = weak_rows(self.figures, segment_id)
        if not rows:
            self.left_out.append(f"weak touchpoints of {name} "
                                 f"({no_weak_rows(self.project, segment_id)})")
            return
        money = self.figures.money
        table = Table(
            ("#", "Touchpoint", "Why", "Sales lost", "Value at stake"),
            (0.95, 3.1, 5.15, 1.45, 1.7), numeric=(3, 4),
            rows=[[[(str(r.rank), BODY_PT, True, VERDICT[r.verdict]),
                    (r.verdict.upper(), SMALL_PT, True, VERDICT[r.verdict])],
                   [(r.name, BODY_PT, True, INK)] + ([(r.stage, SMALL_PT, False, MUTED)]
                                                    if r.stage else []),
                   [(f"• {reason}", SMALL_PT + 1, False, INK) for reason in r.reasons]
                   or [("(no reason recorded)", SMALL_PT + 1, False, MUTED)],
                   [(count(r.sales_lost), BODY_PT, False, INK)],
                   [(money(r.value_at_stake), BODY_PT, False, INK)]] for r in rows])
        weak = sum(r.verdict == "weak" for r in rows)
        subtitle = f"{weak} weak, {len(rows) - weak} on watch; weakest first"
        journeys = self.figures.journeys(segment_id)
        if journeys is None or journeys.attribution is None:
            subtitle += " · sales lost need an event log with a goal"
        self.table_slides(f"{name}: weak touchpoints", subtitle,
                          segment_colour(self.project, segment_id), table)

    def competitor_slide(self, segment_id: str, metric_key: str) -> None:
        name = self._segment_name(segment_id)
        metric = metric_for(self.project, metric_key)
        if not self.project.competitors:
            return
        rows = [r for r in competitor_comparison(self.project, segment_id, metric_key)
                if r.ours is not None or any(v is not None for v in r.competitors.values())]
        if not rows:
            self.left_out.append(f"competitor chart of {name} (no {metric.label} values)")
            return
        factor = 100.0 if metric.fraction else 1.0
        data = _TextChartData()
        data.categories = [_clean(r.touchpoint) for r in rows]
        series = [("Us", [r.ours for r in rows])] + [
            (c.name, [r.competitors.get(c.name) for r in rows]) for c in self.project.competitors]
        values = []
        for label, found in series:
            shown = [None if v is None else round(v.value * factor, 2) for v in found]
            values += [x for x in shown if x is not None]
            data.add_series(_clean(label), shown)
        colour = segment_colour(self.project, segment_id)
        unit = "%" if metric.fraction else ("" if metric.unit in ("", "pts") else metric.unit)
        slide = self.slide(f"{name}: {metric.label} against competitors", colour,
                           f"{metric.label}{f' ({unit})' if unit else ''} per touchpoint, "
                           "us and each competitor")
        frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, LEFT, TOP, BODY_W, BODY_H,
                                       data)
        chart = frame.chart
        chart.font.name = FONT
        chart.font.size = Pt(SMALL_PT)
        chart.font.color.rgb = INK
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(BODY_PT)
        plot = chart.plots[0]
        plot.gap_width = 60
        plot.overlap = 0
        for i, s in enumerate(plot.series):
            s.format.fill.solid()
            s.format.fill.fore_color.rgb = colour if i == 0 else _rgb(THEIRS[(i - 1) %
                                                                            len(THEIRS)])
            s.invert_if_negative = False
        # Our values written at our bars only: a label on every bar would overlap its
        # neighbours' at the sizes a room reads; theirs show against the grid.
        labels = plot.series[0].data_labels
        labels.show_value = True
        labels.number_format = "0" if max(map(abs, values), default=0) >= 10 else "0.0"
        labels.number_format_is_linked = False
        labels.font.size = Pt(SMALL_PT)
        labels.font.bold = True
        labels.font.color.rgb = INK
        # Bars read top to bottom in map order, as on the map.
        chart.category_axis.reverse_order = True
        # The names at the left edge, not at zero, where negative bars would cross them.
        chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        chart.category_axis.tick_labels.font.size = Pt(SMALL_PT)
        chart.category_axis.format.line.color.rgb = RULE
        value_axis = chart.value_axis
        value_axis.has_major_gridlines = True
        value_axis.major_gridlines.format.line.color.rgb = RULE
        value_axis.format.line.fill.background()
        value_axis.tick_labels.font.size = Pt(SMALL_PT)
        value_axis.tick_labels.font.color.rgb = MUTED

    # -- the plan -------------------------------------------------------------------------

    def action_slides(self, segment_ids: Sequence[str]) -> None:
        rows: list[ActionRow] = action_rows(self.figures, segment_ids)
        if not rows:
            self.left_out.append("the action plan (no actions yet)")
            return
        money = self.figures.money
        table = Table(
            ("Action", "For", "Owner", "Due", "Status", "Effort", "Votes", "Value at stake"),
            (3.4, 2.5, 1.5, 1.25, 1.0, 0.8, 0.8, 1.3), numeric=(6, 7),
            rows=[[[(a.title, BODY_PT, True, INK)], [(a.for_, SMALL_PT + 1, False, INK)],
                   [(a.owner or NONE, SMALL_PT + 1, False, INK)],
                   [(a.due or NONE, SMALL_PT + 1, False, INK)],
                   [(a.status, SMALL_PT + 1, False, INK)],
                   [(a.effort or NONE, SMALL_PT + 1, False, INK)],
                   [(str(a.votes), BODY_PT, False, INK)],
                   [(money(a.value_at_stake), BODY_PT, False, INK)]] for a in rows])
        self.table_slides("Action plan", f"{len(rows)} action{'s' if len(rows) != 1 else ''}, "
                          "in the plan's order", _rgb(OKABE_ITO[0]) if len(segment_ids) != 1
                          else segment_colour(self.project, segment_ids[0]), table)

    def table_slides(self, title: str, subtitle: str, colour: RGBColor, table: Table) -> None:
        """The table over as many slides as it needs, each continuing one "(continued)"."""
        for i, chunk in enumerate(table.chunks()):
            slide = self.slide(title if i == 0 else f"{title} (continued)", colour, subtitle)
            table.draw(slide, chunk)

    def _segment_name(self, segment_id: str) -> str:
        return next(s.name for s in self.project.segments if s.id == segment_id)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


Cell = list[tuple[str, int, bool, RGBColor]]  # its paragraphs: text, size, bold, colour
LINE_IN = 1.22 / 72  # a line of text is 1.22 em high: inches per point of type
PAD_IN = 0.16  # a cell's top and bottom margins together


@dataclass
class Table:
    header: tuple[str, ...]
    widths: tuple[float, ...]  # inches
    rows: list[list[Cell]]
    numeric: tuple[int, ...] = ()  # right-aligned columns

    def __post_init__(self) -> None:
        total = sum(self.widths)
        self.emu = [round(BODY_W * w / total) for w in self.widths]

    def _height(self, row: list[Cell]) -> float:
        """The row's height in inches, as wrapped at the column widths (Arial's average
        character is about half its size wide, 0.55 em to stay on the safe side)."""
        tallest = 0.0
        for cell, width in zip(row, self.emu, strict=True):
            inches = Emu(width).inches - 0.2
            lines = 0.0
            for text, size, _, _ in cell:
                per_line = max(1, int(inches * 72 / (0.55 * size)))
                lines += max(1, math.ceil(len(text) / per_line)) * size * LINE_IN
            tallest = max(tallest, lines)
        return tallest + PAD_IN

    def chunks(self) -> list[list[list[Cell]]]:
        room = Emu(BODY_H).inches - self._height([[(h, BODY_PT, True, WHITE)]
                                                  for h in self.header])
        chunks: list[list[list[Cell]]] = [[]]
        used = 0.0
        for row in self.rows:
            need = self._height(row)
            if chunks[-1] and used + need > room:
                chunks.append([])
                used = 0.0
            chunks[-1].append(row)
            used += need
        return chunks

    def draw(self, slide, rows: list[list[Cell]]) -> None:  # noqa: ANN001
        shape = slide.shapes.add_table(len(rows) + 1, len(self.header), LEFT, TOP, BODY_W,
                                       Inches(0.4) * (len(rows) + 1))
        table = shape.table
        table.first_row = True
        table.horz_banding = False
        for c, width in enumerate(self.emu):
            table.columns[c].width = width
        for c, text in enumerate(self.header):
            self._fill(table.cell(0, c), [(text, BODY_PT, True, WHITE)], INK, c)
        for r, row in enumerate(rows, start=1):
            table.rows[r].height = Inches(self._height(row))
            for c, cell in enumerate(row):
                self._fill(table.cell(r, c), cell, WHITE if r % 2 else BAND, c)
        table.rows[0].height = Inches(0.45)

    def _fill(self, cell, lines: Cell, background: RGBColor, column: int) -> None:  # noqa: ANN001
        cell.fill.solid()
        cell.fill.fore_color.rgb = background
        cell.margin_left = cell.margin_right = Inches(0.08)
        cell.margin_top = cell.margin_bottom = Inches(0.05)
        cell.vertical_anchor = MSO_ANCHOR.TOP
        _lines(cell.text_frame, lines)
        for p in cell.text_frame.paragraphs:
            p.alignment = PP_ALIGN.RIGHT if column in self.numeric else PP_ALIGN.LEFT


class _TextWorkbookWriter(CategoryWorkbookWriter):
    """The chart's embedded workbook (PowerPoint's "Edit data") with names as text: XlsxWriter
    would store a touchpoint named "=SUM(A1)" as a formula."""

    @contextmanager
    def _open_worksheet(self, xlsx_file):  # noqa: ANN001, ANN202
        workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class _TextChartData(CategoryChartData):
    @lazyproperty
    def _workbook_writer(self) -> _TextWorkbookWriter:
        return _TextWorkbookWriter(self)


def deck_bytes(project: Project, maps: Sequence[tuple[str, bytes]], date: dt.date,
               metric_key: str = "nps") -> bytes:
    """The deck for these segments: ``maps`` holds (segment id, the map as PNG) in order."""
    deck = Deck(project, date)
    segment_ids = [sid for sid, _ in maps]
    deck.title_slide(segment_ids)
    for segment_id, png in maps:
        deck.map_slide(segment_id, png)
        deck.story_slides(segment_id)
        deck.weak_slides(segment_id)
        deck.competitor_slide(segment_id, metric_key)
    deck.action_slides(segment_ids)
    deck.note_left_out()
    return deck.save()

