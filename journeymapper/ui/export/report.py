"""The PDF report: per segment its map, its weak touchpoints ranked with their reasons, which
touchpoint killed the sale (when an event log gave the segment journeys) and the competitor
comparison; then the segments compared (one chart for all segments).

Charts are matplotlib figures printed by matplotlib's own PDF backend and laid onto the pages
that Qt wrote (pypdf), so they stay vectors. Drawing them through an SVG and QSvgRenderer was
tried first: its hatch patterns become bitmap tiles, 2-4 MB and 2-3 s per chart at 1200 dpi."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QPen

from journeymapper.analysis.attribution import SegmentAttribution, currency, segment_attribution
from journeymapper.analysis.stats import fmt_number
from journeymapper.analysis.weakness import Assessment, assess_segment, ranked
from journeymapper.model import Project
from journeymapper.ui.canvas.card_text import font
from journeymapper.ui.export.compose import MapPicture
from journeymapper.ui.export.pdf import INK, MUTED, PdfDocument, footer_for
from journeymapper.ui.overlays import pretty

WEAK = QColor("#c62828")
WATCH = QColor("#b26a00")
RULE = QColor("#d5dbe3")
KILLED_NOTE = ("From the segment's event log: the chance that a journey at the touchpoint still "
               "converts; the removal effect, the share of conversions lost if no journey "
               "reached it; the sales lost on the way in, Σ count(u → t)·(p(u) − p(t)), most "
               "first; and what they are worth.")
VARIANTS_SHOWN = 10
RANKING_NOTE = ("Weakest first: past a metric's weak line, then trailing a competitor, then a "
                "drop-off that stands out; within each, by how far past the line in standard "
                "errors. Weak: past the line at 90 % one-sided confidence. Watch: past the line "
                "but not yet conclusive.")


@dataclass
class Placed:
    """A chart waiting to be laid onto a page: where (points, from the paint rect's top left)."""

    page: int  # 0-based
    area: QRectF
    pdf: bytes


def figure_pdf(figure) -> bytes:  # noqa: ANN001 - a matplotlib Figure (imported lazily)
    # Named so that a frozen build (PyInstaller) bundles the backend savefig picks by name.
    import matplotlib.backends.backend_pdf  # noqa: F401

    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf", facecolor=figure.get_facecolor())
    return buffer.getvalue()


def fit(area: QRectF, width: float, height: float) -> QRectF:
    scale = min(area.width() / width, area.height() / height)
    return QRectF(area.left(), area.top(), width * scale, height * scale)


def lay_charts(pdf: bytes, placed: list[Placed], margins: QMarginsF) -> bytes:
    """Put each chart's PDF page onto its report page, scaled: both stay vectors (hatches too,
    which Qt's SVG renderer would have turned into bitmap tiles)."""
    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for chart in placed:
        source = PdfReader(io.BytesIO(chart.pdf)).pages[0]
        page = writer.pages[chart.page]
        w, h = float(source.mediabox.width), float(source.mediabox.height)
        box = fit(chart.area, w, h)
        page_h = float(page.mediabox.height)
        x = margins.left() + box.left()
        y = page_h - margins.top() - box.bottom()
        scale = box.width() / w
        page.merge_transformed_page(source, Transformation().scale(scale, scale).translate(x, y))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class Report:
    def __init__(self, doc: PdfDocument, project: Project, metric_key: str) -> None:
        self.doc = doc
        self.project = project
        self.metric_key = metric_key
        self.y = 0.0
        self.footer = ""
        self.charts: list[Placed] = []

    def _page(self, footer: str) -> None:
        self.doc.new_page(footer)
        self.footer = footer
        self.y = 0.0

    def _room(self, height: float) -> None:
        if self.y + height > self.doc.body.height():
            self._page(self.footer)

    def heading(self, text: str, size: float = 18.0) -> None:
        self.y += self.doc.text(0, self.y, self.doc.width, text, size, bold=True) + 6

    # -- sections ------------------------------------------------------------------------

    def segment(self, picture: MapPicture, tile: bool) -> None:
        from journeymapper.exporters.charts import competitor_figure

        footer = footer_for(picture)
        self.doc.map(picture, footer, tile)
        segment_id = picture.scene.segment_id
        self._page(footer)
        self.weak_list(picture.segment_name, segment_id)
        journeys = segment_attribution(self.project, segment_id)
        if journeys is not None and journeys.journeys:
            self._page(footer)
            self.killed(picture.segment_name, journeys)
        if self.project.competitors:
            self._page(footer)
            self.chart(competitor_figure(self.project, segment_id, self.metric_key))

    def weak_list(self, segment_name: str, segment_id: str) -> None:
        doc = self.doc
        self.heading(f"Weak touchpoints — {segment_name}")
        self.y += doc.text(0, self.y, doc.width, RANKING_NOTE, 9, colour=MUTED) + 12
        assessments = assess_segment(self.project, segment_id)
        listed = ranked(self.project, segment_id, assessments)
        if not listed:
            doc.text(0, self.y, doc.width, "No weak or watch touchpoints in this segment.", 11)
            return
        stage_of = self._stage_names(segment_id)
        for rank, a in enumerate(listed, start=1):
            self.entry(rank, a, stage_of.get(a.touchpoint_id, ""))
        if not self.project.competitors:
            self.y += 6
            doc.text(0, self.y, doc.width, "No competitors in this project: no competitor "
                     "comparison.", 9, colour=MUTED)

    def entry(self, rank: int, a: Assessment, stage: str) -> None:
        doc = self.doc
        indent = 28.0
        verdict = "WEAK" if a.weak else "WATCH"
        title = f"{a.name}"
        reasons = [f"• {pretty(r)}" for r in a.reasons] or ["• (no reason recorded)"]
        need = doc.text_height(title, 12, doc.width - indent - 70, bold=True) + 4
        need += sum(doc.text_height(r, 10, doc.width - indent - 12) + 2 for r in reasons) + 12
        self._room(need)
        top = self.y
        p = doc.painter
        doc.text(0, top, indent, f"{rank}.", 12, bold=True, colour=MUTED)
        h = doc.text(indent, top, doc.width - indent - 70, title, 12, bold=True)
        colour = WEAK if a.weak else WATCH
        tag = QRectF(doc.width - 60, top, 60, 16)
        p.setPen(QPen(colour, 1.2))
        p.setBrush(QColor(colour.red(), colour.green(), colour.blue(), 28))
        p.drawRoundedRect(tag, 3, 3)
        p.setFont(font(9, bold=True))
        p.drawText(tag, Qt.AlignmentFlag.AlignCenter, verdict)
        y = top + h + 1
        if stage:
            y += doc.text(indent, y, doc.width - indent, f"Stage: {stage}", 9, colour=MUTED) + 2
        for reason in reasons:
            y += doc.text(indent + 4, y, doc.width - indent - 12, reason, 10, colour=INK) + 2
        y += 6
        p.setPen(QPen(RULE, 0.6))
        p.drawLine(0, y, doc.width, y)
        self.y = y + 6

    def killed(self, segment_name: str, journeys: SegmentAttribution) -> None:
        """The attribution's ranking as a table, then the most frequent variants."""
        doc = self.doc
        self.heading(f"Which touchpoint killed the sale — {segment_name}")
        rate = fmt_number(100 * (journeys.rate or 0.0))
        self.y += doc.text(0, self.y, doc.width, f"{journeys.journeys:,} journeys, "
                           f"{journeys.converted:,} converted ({rate} %).", 11) + 4
        a = journeys.attribution
        if a is not None and a.ranking:
            self.y += doc.text(0, self.y, doc.width, KILLED_NOTE, 9, colour=MUTED) + 8
            sign = currency(self.project)
            self.table(["Touchpoint", "Chance to convert", "Removal effect", "Sales lost",
                        "Value at stake"], [
                [journeys.names.get(t, t), f"{fmt_number(100 * a.chance[t])} %",
                 "—" if a.removal_effect[t] is None
                 else f"{fmt_number(100 * a.removal_effect[t])} %",
                 pretty(f"{round(a.sales_lost[t]):,}"),
                 f"{sign}{a.value_at_stake[t]:,.0f}" if t in a.value_at_stake else "—"]
                for t in a.ranking])
        else:
            self.y += doc.text(0, self.y, doc.width, "No goal in the event log: no chance to "
                               "convert or sales lost (import it with --goal).", 10,
                               colour=MUTED) + 8
        if journeys.variants:
            self.y += 10
            self._room(60)
            self.heading("Most frequent paths", 13)
            self.table(["Path", "Journeys", "Converted", "Conversion"], [
                [f"{i}. " + " → ".join(names) + (" …" if cut else ""), f"{n:,}", f"{k:,}",
                 f"{fmt_number(100 * k / n)} %" if n else "—"]
                for i, (names, n, k, cut) in enumerate(journeys.variants[:VARIANTS_SHOWN], 1)])

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        """The first column takes what the others leave; numbers right-aligned."""
        doc = self.doc
        p = doc.painter
        other = 92.0
        first = doc.width - other * (len(header) - 1)
        xs = [0.0] + [first + other * i for i in range(len(header) - 1)]
        widths = [first - 8] + [other - 4] * (len(header) - 1)

        def line(cells: list[str], bold: bool, colour: QColor) -> None:
            heights = [doc.text_height(c, 9.5, w, bold) for c, w in zip(cells, widths,
                                                                        strict=True)]
            self._room(max(heights) + 6)
            for i, (c, x, w) in enumerate(zip(cells, xs, widths, strict=True)):
                if i == 0:
                    doc.text(x, self.y, w, c, 9.5, bold=bold, colour=colour)
                else:
                    p.setFont(font(9.5, bold))
                    p.setPen(colour)
                    p.drawText(QRectF(x, self.y, w, heights[i]),
                               Qt.AlignmentFlag.AlignRight | Qt.TextFlag.TextWordWrap, c)
            self.y += max(heights) + 3
            p.setPen(QPen(RULE, 0.6))
            p.drawLine(0, self.y, doc.width, self.y)
            self.y += 3

        line(header, True, MUTED)
        for row in rows:
            line(row, False, INK)

    def chart(self, figure) -> None:  # noqa: ANN001 - a matplotlib Figure
        area = QRectF(0, self.y, self.doc.width, self.doc.body.height() - self.y)
        pdf = figure_pdf(figure)
        w, h = figure.get_size_inches()
        self.charts.append(Placed(self.doc.page - 1, area, pdf))
        self.y += fit(area, w, h).height()

    def comparison(self, footer: str) -> None:
        from journeymapper.exporters.charts import segment_comparison_figure

        self._page(footer)
        self.chart(segment_comparison_figure(self.project, self.metric_key))

    # -- data ----------------------------------------------------------------------------

    def _stage_names(self, segment_id: str) -> dict[str, str]:
        stages = {s.id: s.name for s in self.project.stages_of(segment_id)}
        return {t.id: stages.get(t.stage_id, "") for t in self.project.touchpoints_of(segment_id)}


def report_bytes(pictures: list[MapPicture], project: Project, page_size: str,
                 orientation: str, tile: bool, metric_key: str = "nps") -> bytes:
    doc = PdfDocument(page_size, orientation, f"{project.name} — report")
    report = Report(doc, project, metric_key)
    try:
        for picture in pictures:
            report.segment(picture, tile)
        if len(project.segments) > 1 and pictures:
            report.comparison(f"{project.name} · segments compared · "
                              f"{pictures[0].date.isoformat()}")
    finally:
        pdf = doc.close()
    return lay_charts(pdf, report.charts, doc.margins_pt()) if report.charts else pdf
