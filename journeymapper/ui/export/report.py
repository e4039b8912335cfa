"""The PDF report, a document a client keeps: a cover; a summary (the weakest touchpoints
across segments, what is at stake, the top actions, and once, what is not measured yet); per
segment its map, its weak touchpoints with their reasons, which touchpoint killed the sale
(when an event log gave it journeys), its competitor chart, its story lanes and its persona;
the segments compared; the action plan. A section without data is left out, never a page that
says only "no values yet" (report_data decides which are in)."""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF

from journeymapper.analysis.attribution import SegmentAttribution, currency
from journeymapper.analysis.stats import fmt_number, metric_for
from journeymapper.exporters.charts import (
    competitor_figure,
    segment_colours,
    segment_comparison_figure,
)
from journeymapper.exporters.share_rows import NONE, count
from journeymapper.model import Project
from journeymapper.ui.canvas.card_text import font
from journeymapper.ui.canvas.lane_items import emotion_text
from journeymapper.ui.export.compose import MapPicture
from journeymapper.ui.export.pdf import INK, MUTED, footer_for
from journeymapper.ui.export.report_data import (
    Plan,
    SegmentPlan,
    Weak,
    cover_line,
    plan,
    story_rows,
)
from journeymapper.ui.export.report_flow import (
    BODY,
    COVER,
    H1,
    H2,
    INSET,
    SMALL,
    Cell,
    Column,
    Flow,
    ReportDocument,
    finish,
    furniture_pdf,
)
from journeymapper.ui.overlays import pretty

VERDICT = {"weak": QColor("#c62828"), "watch": QColor("#b26a00")}
KILLED_NOTE = ("From the segment's event log: the chance that a journey at the touchpoint still "
               "converts; the removal effect, the share of conversions lost if no journey "
               "reached it; the sales lost on the way in, Σ count(u → t)·(p(u) − p(t)), most "
               "first; and what they are worth.")
VARIANTS_SHOWN = 10
RANKING_NOTE = ("Weakest first: past a metric's weak line, then trailing a competitor, then a "
                "drop-off that stands out; within each, by how far past the line in standard "
                "errors. Weak: past the line at 90 % one-sided confidence. Watch: past the line "
                "but not yet conclusive.")
STAGES_WIDE, STAGES_TALL = 7, 5  # stage columns at most in one story table, landscape, portrait
SUMMARY_REASONS = 2  # per touchpoint on the summary page: its segment's list has them all
PHOTO = 96.0  # points: the persona's photo


def story_text(cell: str | float) -> str:
    """A lane's cell: its text, or the feeling typed in as the map's emotion lane writes it."""
    return cell if isinstance(cell, str) else emotion_text(cell)


class Report:
    def __init__(self, doc: ReportDocument, project: Project, metric_key: str,
                 date: dt.date, found: Plan) -> None:
        self.doc = doc
        self.project = project
        self.metric_key = metric_key
        self.date = date
        self.found = found
        self.flow = Flow(doc)
        self.colour = {k: QColor(v) for k, v in segment_colours(project).items()}
        self.money = found.figures.money
        self.contents: list[tuple[str, int]] = []  # (section, its first page)
        self.contents_area: QRectF | None = None

    def footer(self, what: str) -> str:
        return f"{self.project.name} · {what} · {self.date.isoformat()}"

    # -- the front -----------------------------------------------------------------------

    def cover(self) -> None:
        """Title, date, the segments in their colours, the report in a sentence; room kept
        for the contents, drawn at the end (:attr:`contents_area`), when pages are known."""
        f = self.flow
        f.page(self.footer("report"))
        p = self.doc.painter
        segments = self.found.segments
        # A band in the segments' colours, as the deck's title slide has.
        band = f.width / max(1, len(segments))
        for i, s in enumerate(segments):
            p.fillRect(QRectF(f.left + i * band, INSET, band, 8), self.colour[s.segment_id])
        wide = f.width > f.bottom  # landscape: the contents in a column on the right
        full = f.width
        if wide:
            f.width = full * 0.56
        f.y = f.bottom * (0.26 if wide else 0.16)
        top = f.y
        f.text(self.project.name, COVER, bold=True, after=10)
        f.text(f"Customer journey report · {self.date.isoformat()}", H2, colour=MUTED,
               after=24)
        f.text("Segments", SMALL, bold=True, colour=MUTED, after=4)
        self.chips()
        f.space(16)
        f.text(cover_line(self.found), BODY + 1, after=4)
        f.width = full
        if wide:
            x = f.left + full * 0.64
            self.contents_area = QRectF(x, top, f.left + full - x, f.bottom - top)
        else:
            f.space(24)
            self.contents_area = QRectF(f.left, f.y, full, f.bottom - f.y)

    def chips(self) -> None:
        """The segments as chips (a swatch of its colour and its name), as many to a line as
        fit: a project of ten RFM segments keeps its cover on one page."""
        f = self.flow
        p = self.doc.painter
        metrics = QFontMetricsF(font(BODY + 2))
        x = 0.0
        line = metrics.height() + 6
        for s in self.found.segments:
            width = 18 + metrics.horizontalAdvance(s.name) + 18
            if x and x + width > f.width:
                x = 0.0
                f.y += line
            p.fillRect(QRectF(f.left + x, f.y + (line - 6 - 11) / 2, 11, 11),
                       self.colour[s.segment_id])
            p.setFont(font(BODY + 2))
            p.setPen(INK)
            p.drawText(QRectF(f.left + x + 18, f.y, width, line - 6),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, s.name)
            x += width
        f.y += line

    def summary(self) -> None:
        f = self.flow
        found = self.found
        f.page(self.footer("summary"))
        self.contents.append(("Summary", self.doc.page))
        f.heading("Summary", H1)
        if found.weakest:
            several = len(found.segments) > 1
            f.heading("The weakest touchpoints" + (" across segments" if several else ""))
            f.text("Ranked as in each segment's list (past a weak line first, then behind a "
                   "competitor, then a drop-off), by how far past the line.", SMALL,
                   colour=MUTED, after=6, hold=True)
            self.weak_table(found.weakest, with_segment=several, continued="Weakest",
                            reasons=SUMMARY_REASONS)
        none = found.none_weak()
        if none and found.weakest:
            f.text(f"Nothing weak or on watch in {', '.join(none)}.", BODY, after=6)
        elif none:
            f.heading("The weakest touchpoints")
            f.text(f"No touchpoint is weak or on watch in {', '.join(none)}.", BODY)
        if found.stakes:
            note = ("From the event logs: the steps that lose the most sales on the way into "
                    "a touchpoint, Σ count(u → t)·(p(u) − p(t)), and what they are worth at the "
                    "value of a conversion.")
            columns = [Column("Segment", 2), Column("Journeys", 1, True),
                       Column("Converted", 1.3, True), Column("Sales lost at", 2.4),
                       Column("Sales lost", 1, True), Column("Value at stake", 1.3, True)]
            rows = []
            for s in found.stakes:
                share = f"{s.converted:,} ({fmt_number(100 * s.converted / s.journeys)} %)"
                head = [Cell(s.segment, True), Cell(f"{s.journeys:,}"), Cell(share)]
                blank = [Cell("")] * 3
                losses = s.losses or [(NONE, None, None)]
                rows += [(head if i == 0 else blank)
                         + [Cell(name), Cell(pretty(count(lost))), Cell(self.money(value))]
                         for i, (name, lost, value) in enumerate(losses)]
            self.short_table("What is at stake", note, columns, rows)
        if found.top_actions:
            columns = [Column("Action", 3.2), Column("For", 2.4), Column("Owner", 1.6),
                       Column("Status", 1), Column("Votes", 0.8, True),
                       Column("Value at stake", 1.3, True)]
            rows = [[Cell(a.title, True), Cell(a.for_), Cell(a.owner or NONE), Cell(a.status),
                     Cell(str(a.votes)), Cell(self.money(a.value_at_stake))]
                    for a in found.top_actions]
            self.short_table("Top actions", "Open actions with the most votes, then the most "
                             "value at stake.", columns, rows)
        lines = found.gaps.lines()
        if lines:
            f.heading("Not in this report yet")
            for line in lines:
                f.text(line, BODY, colour=MUTED, after=6)

    def short_table(self, title: str, note: str, columns: list[Column],
                    rows: list[list[Cell]]) -> None:
        """A heading, a note and a table of a few rows, kept on one page together."""
        f = self.flow
        f.heading(title)
        f.text(note, SMALL, colour=MUTED, after=6, hold=True)
        f.table(columns, rows, continued=title)

    def weak_table(self, rows: list[Weak], with_segment: bool, continued: str,
                   reasons: int | None = None) -> None:
        """Rank, touchpoint and stage, (segment), verdict, the reasons (the first ``reasons``,
        the rest counted), and the sales lost and value at stake where an event log measured
        them. Across segments (``with_segment``) the rank is the row's."""
        money = any(w.sales_lost is not None for w in rows)
        columns = [Column("#", 0.45), Column("Touchpoint", 2.2)]
        columns += [Column("Segment", 1.5)] if with_segment else []
        columns += [Column("Verdict", 0.9), Column("Why", 5.2 if not money else 4.2)]
        columns += [Column("Sales lost", 0.95, True), Column("Value at stake", 1.2, True)] \
            if money else []
        table = []
        for i, w in enumerate(rows, start=1):
            why = [f"• {pretty(r)}" for r in w.reasons[:reasons]]
            if len(w.reasons) > len(why):  # the segment's own list has them all
                why[-1] += f" (+{len(w.reasons) - len(why)} more)"
            row = [Cell(f"{i if with_segment else w.rank}."), Cell(w.name, True, note=w.stage)]
            row += [Cell(w.segment, colour=self._segment_ink(w.segment_id))] \
                if with_segment else []
            row += [Cell(w.verdict.upper(), True, VERDICT[w.verdict]),
                    Cell("\n".join(why) or "(no reason recorded)")]
            row += [Cell(pretty(count(w.sales_lost))), Cell(self.money(w.value_at_stake))] \
                if money else []
            table.append(row)
        self.flow.table(columns, table, continued=continued)

    def _segment_ink(self, segment_id: str) -> QColor:
        """The segment's colour for text: its hue, dark enough to read on white."""
        c = self.colour.get(segment_id, INK)
        return c if c.lightness() < 110 else c.darker(170)

    # -- per segment ---------------------------------------------------------------------

    def segment(self, picture: MapPicture, part: SegmentPlan) -> None:
        f = self.flow
        if not part.drawn():
            return  # an empty map: named on the summary page
        footer = footer_for(picture)
        self.contents.append((part.name, self.doc.page + 1))
        # Fitted to its page, the legend outside the map (in the picture's title block): a
        # tiled map would leave pages of blank tiles in a document meant to be read.
        self.doc.map_fitted(picture, footer)
        f.footer = footer
        if not part.sections():
            return  # its map says all there is: the rest is named on the summary page
        f.page()
        colour = self.colour[part.segment_id]
        f.heading(part.name, H1, colour=colour)
        stages = self.project.stages_of(part.segment_id)
        touchpoints = self.project.touchpoints_of(part.segment_id)
        weak = sum(w.verdict == "weak" for w in part.weak)
        facts = [f"{len(touchpoints)} touchpoints in {len(stages)} stages"]
        if part.measured:
            facts.append(f"{weak} weak, {len(part.weak) - weak} on watch")
        f.text(" · ".join(facts), BODY, colour=MUTED, after=8)
        if part.weak:
            f.heading("Weak touchpoints")
            f.text(RANKING_NOTE, SMALL, colour=MUTED, after=6, hold=True)
            self.weak_table(part.weak, with_segment=False,
                            continued=f"Weak touchpoints — {part.name}")
        elif part.measured:
            f.text("No touchpoint of this segment is weak or on watch.", BODY, after=8)
        journeys = self.found.figures.journeys(part.segment_id)
        if part.journeys and journeys is not None:
            self.killed(part.name, journeys)
        if part.competitors:
            metric = metric_for(self.project, self.metric_key)
            figure = competitor_figure(self.project, part.segment_id, self.metric_key,
                                       us_colour=colour.name(), titled=False)
            f.heading(f"{metric.label} against competitors — {part.name}")
            f.chart(figure)
        if part.lanes:
            self.lanes(part)
        if part.persona:
            self.persona(part)

    def killed(self, segment_name: str, journeys: SegmentAttribution) -> None:
        """The attribution's ranking as a table, then the most frequent variants."""
        f = self.flow
        f.heading(f"Which touchpoint killed the sale — {segment_name}")
        rate = fmt_number(100 * (journeys.rate or 0.0))
        f.text(f"{journeys.journeys:,} journeys, {journeys.converted:,} converted ({rate} %).",
               BODY, hold=True)
        a = journeys.attribution
        if a is not None and a.ranking:
            f.text(KILLED_NOTE, SMALL, colour=MUTED, after=6, hold=True)
            sign = currency(self.project)
            f.table([Column("Touchpoint", 3), Column("Chance to convert", 1.2, True),
                     Column("Removal effect", 1.2, True), Column("Sales lost", 1, True),
                     Column("Value at stake", 1.3, True)], [
                [Cell(journeys.names.get(t, t), True),
                 Cell(f"{fmt_number(100 * a.chance[t])} %"),
                 Cell(NONE if a.removal_effect[t] is None
                      else f"{fmt_number(100 * a.removal_effect[t])} %"),
                 Cell(pretty(f"{round(a.sales_lost[t]):,}")),
                 Cell(f"{sign}{a.value_at_stake[t]:,.0f}" if t in a.value_at_stake else NONE)]
                for t in a.ranking], continued="Which touchpoint killed the sale")
        else:
            f.text("No goal in the event log: no chance to convert or sales lost (import it "
                   "with --goal).", BODY, colour=MUTED)
        if journeys.variants:
            f.heading("Most frequent paths")
            f.table([Column("Path", 5), Column("Journeys", 1, True),
                     Column("Converted", 1, True), Column("Conversion", 1, True)], [
                [Cell(f"{i}. " + " → ".join(names) + (" …" if cut else "")), Cell(f"{n:,}"),
                 Cell(f"{k:,}"), Cell(f"{fmt_number(100 * k / n)} %" if n else NONE)]
                for i, (names, n, k, cut) in enumerate(journeys.variants[:VARIANTS_SHOWN], 1)],
                continued="Most frequent paths")

    def lanes(self, part: SegmentPlan) -> None:
        """The lanes as a table, a row per lane and a column per stage (the map shows them
        too, but small); a journey of many stages in several tables of a few stages."""
        f = self.flow
        stages = self.project.stages_of(part.segment_id)
        lanes = story_rows(self.project, part.segment_id)
        most = STAGES_WIDE if f.width > f.bottom else STAGES_TALL
        # As few tables as the page takes, of even size (7 stages: 4 and 3, not 6 and 1).
        per_table = math.ceil(len(stages) / max(1, math.ceil(len(stages) / most)))
        parts = [stages[i:i + per_table] for i in range(0, len(stages), per_table)]
        title = f"The story — {part.name}"
        f.heading(title)
        f.text("What the customer wants, does, thinks and feels at each stage.", SMALL,
               colour=MUTED, after=6, hold=True)
        for k, shown in enumerate(parts):
            if len(parts) > 1:
                first, last = k * per_table + 1, k * per_table + len(shown)
                which = f"Stage {first}" if first == last else f"Stages {first}–{last}"
                f.text(f"{which} of {len(stages)}", SMALL, bold=True, colour=MUTED, after=2,
                       hold=True)
            f.table([Column("Lane", 1.3)] + [Column(s.name, 2) for s in shown],
                    [[Cell(name, True)] + [Cell(story_text(cells.get(s.id, ""))) for s in shown]
                     for name, cells in lanes], continued=title)

    def persona(self, part: SegmentPlan) -> None:
        f = self.flow
        persona = self.project.persona_of(part.segment_id)
        if persona is None:
            return
        blocks = [(persona.name, H2, True, INK, 6.0)]
        quote = persona.quote.strip().strip('"“”')
        if quote:
            blocks.append((f"“{quote}”", BODY + 1, False, INK, 8.0))
        if persona.description:
            blocks.append((persona.description, BODY, False, INK, 8.0))
        for title, text in (("Goals", persona.goals), ("Needs", persona.needs)):
            if text:
                blocks.append((title, SMALL, True, MUTED, 2.0))
                blocks.append((text, BODY, False, INK, 8.0))
        indent = PHOTO + 16 if persona.photo else 0.0
        width = f.width - indent
        need = sum(f.measure(t, s, width, b) + a for t, s, b, _, a in blocks)
        f.heading("Persona")
        f.start(min(max(need, PHOTO if persona.photo else 0.0), f.bottom / 2))
        top = f.y
        photo = f.image(persona.photo, 0, top, PHOTO) if persona.photo else 0.0
        for text, size, bold, colour, after in blocks:
            f.text(text, size, bold, colour, indent=indent if photo else 0.0, after=after)
        f.y = max(f.y, top + photo + 8)

    # -- the end -------------------------------------------------------------------------

    def comparison(self) -> None:
        f = self.flow
        f.page(self.footer("segments compared"))
        metric = metric_for(self.project, self.metric_key)
        self.contents.append((f"Segments compared: {metric.label}", self.doc.page))
        figure = segment_comparison_figure(self.project, self.metric_key, titled=False)
        f.heading(f"Segments compared: {metric.label}", H1)
        f.text("The same touchpoint (by name) in each segment, each segment in its colour.",
               SMALL, colour=MUTED, after=6, hold=True)
        f.chart(figure)

    def action_plan(self) -> None:
        f = self.flow
        f.page(self.footer("action plan"))
        self.contents.append(("Action plan", self.doc.page))
        rows = self.found.actions
        f.heading("Action plan", H1)
        f.text(f"{len(rows)} action{'s' if len(rows) != 1 else ''}, in the plan's order.",
               BODY, colour=MUTED, after=8, hold=True)
        f.table([Column("Action", 3), Column("For", 2.2), Column("Owner", 1.5),
                 Column("Due", 1.2), Column("Status", 0.9), Column("Effort", 0.7),
                 Column("Votes", 0.7, True), Column("Value at stake", 1.2, True)],
                [[Cell(a.title, True), Cell(a.for_), Cell(a.owner or NONE), Cell(a.due or NONE),
                  Cell(a.status), Cell(a.effort or NONE), Cell(str(a.votes)),
                  Cell(self.money(a.value_at_stake))] for a in rows], continued="Action plan")


def report_bytes(pictures: list[MapPicture], project: Project, page_size: str,
                 orientation: str, metric_key: str = "nps") -> bytes:
    date = pictures[0].date if pictures else dt.date.today()
    found = plan(project, [p.scene.segment_id for p in pictures], metric_key)
    doc = ReportDocument(page_size, orientation, f"{project.name} — report")
    report = Report(doc, project, metric_key, date, found)
    try:
        report.cover()
        report.summary()
        parts = {s.segment_id: s for s in found.segments}
        for picture in pictures:
            report.segment(picture, parts[picture.scene.segment_id])
        if found.comparison:
            report.comparison()
        if found.actions:
            report.action_plan()
    finally:
        pdf = doc.close()
    furniture = furniture_pdf(doc.footers, page_size, orientation, report.contents,
                              report.contents_area)
    return finish(pdf, report.flow.charts, furniture, doc.margins_pt())
