"""The report's page furniture: text flowing down pages with a type scale, headings that are
never left alone at a page's bottom, tables whose rows wrap and whose header comes again on the
next page, matplotlib charts laid in as vectors, and footers numbered "3 / 12" once the page
count is known.

Charts are matplotlib figures printed by matplotlib's own PDF backend and laid onto the pages
that Qt wrote (pypdf), so they stay vectors. Drawing them through an SVG and QSvgRenderer was
tried first: its hatch patterns become bitmap tiles, 2-4 MB and 2-3 s per chart at 1200 dpi.
Footers and the cover's contents are drawn the same way, on pages of their own merged onto the
report's, because Qt cannot go back to a page to write the page count on it."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPen, QTextOption

from journeymapper.exporters.charts import quiet_glyphs
from journeymapper.ui.canvas.card_text import font
from journeymapper.ui.export.pdf import FOOTER, INK, MUTED, PdfDocument

# The type scale, in points (whole points: fonts are set in whole pixels, one per point here).
COVER, H1, H2, BODY, TABLE, SMALL = 34, 22, 14, 10, 9, 8
INSET = 16.0  # points inside the page margins: the report's margins are ~18 mm
RULE = QColor("#d5dbe3")
BAND = QColor("#f3f5f8")
CELL_PAD = 4.0
HEADING_BEFORE = 10.0  # points above a heading that does not start its page
KEEP_WHOLE = 4  # rows: a table this short is never split
PHOTO_DPI = 300
CHART_LEAST = 0.8  # a chart shrinks to the room left on a page down to this share of its size


class ReportDocument(PdfDocument):
    """A PdfDocument that remembers each page's footer instead of drawing it: the report draws
    them all at the end, when it knows how many pages there are."""

    def __init__(self, page_size: str, orientation: str, title: str) -> None:
        self.footers: list[str] = []
        super().__init__(page_size, orientation, title)

    def _draw_footer(self) -> None:
        self.footers.append(self.footer)


class FurnitureDocument(PdfDocument):
    """Pages holding what is drawn once the page count is known, to lay over the report's
    pages: each page's footer, "text ........ Page N / M", and on the first, the contents."""

    def __init__(self, page_size: str, orientation: str, total: int,
                 contents: Sequence[tuple[str, int]], area: QRectF | None) -> None:
        super().__init__(page_size, orientation, "furniture")
        self.total = total
        self.contents = contents
        self.area = area

    def _draw_footer(self) -> None:
        p = self.painter
        p.save()
        f = font(SMALL)
        p.setFont(f)
        band = QRectF(INSET, self.height - FOOTER + 4, self.width - 2 * INSET, FOOTER - 4)
        # "Page": without a word before it, pdftotext reads a lone "2 / 8" as "2/8".
        number = f"Page {self.page} / {self.total}"
        fm = QFontMetricsF(f)
        # On a narrow page the left text gives way to the page number, never over it.
        left = fm.elidedText(self.footer, Qt.TextElideMode.ElideMiddle,
                             band.width() - fm.horizontalAdvance(number) - 16)
        p.setPen(QPen(RULE, 0.6))
        p.drawLine(band.left(), band.top() - 3, band.right(), band.top() - 3)
        p.setPen(MUTED)
        p.drawText(band, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, left)
        p.drawText(band, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, number)
        if self.page == 1 and self.area is not None and self.contents:
            self._draw_contents(self.area)
        p.restore()

    def _draw_contents(self, area: QRectF) -> None:
        p = self.painter
        step = min(BODY * 1.9, (area.height() - 2 * BODY) / len(self.contents))
        p.setFont(font(SMALL, bold=True))
        p.setPen(MUTED)
        p.drawText(QRectF(area.left(), area.top(), area.width(), BODY * 1.6),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, "Contents")
        f = font(BODY if step >= BODY * 1.4 else SMALL)
        fm = QFontMetricsF(f)
        p.setFont(f)
        y = area.top() + BODY * 2
        for title, page in self.contents:
            row = QRectF(area.left(), y, area.width(), step)
            number = str(page)
            room = area.width() - fm.horizontalAdvance(number) - 12
            p.setPen(INK)
            p.drawText(row, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(title, Qt.TextElideMode.ElideRight, room))
            p.setPen(MUTED)
            p.drawText(row, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, number)
            p.setPen(QPen(RULE, 0.6))
            p.drawLine(row.left(), row.bottom(), row.right(), row.bottom())
            y += step


def furniture_pdf(footers: Sequence[str], page_size: str, orientation: str,
                  contents: Sequence[tuple[str, int]] = (),
                  area: QRectF | None = None) -> bytes:
    """The footers (and the cover's contents in ``area``) as pages of their own."""
    doc = FurnitureDocument(page_size, orientation, len(footers), contents, area)
    try:
        for text in footers:
            doc.new_page(text)
    finally:
        pdf = doc.close()
    return pdf


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
    with quiet_glyphs():
        figure.savefig(buffer, format="pdf", facecolor=figure.get_facecolor())
    return buffer.getvalue()


def fit(area: QRectF, width: float, height: float) -> QRectF:
    scale = min(area.width() / width, area.height() / height)
    return QRectF(area.left(), area.top(), width * scale, height * scale)


def finish(pdf: bytes, placed: list[Placed], furniture: bytes, margins: QMarginsF) -> bytes:
    """Put each chart's PDF page onto its report page, scaled (both stay vectors, hatches
    too), and each page of furniture (footer, contents) over its page."""
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
    for page, over in zip(writer.pages, PdfReader(io.BytesIO(furniture)).pages, strict=True):
        page.merge_page(over)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class Cell:
    text: str
    bold: bool = False
    colour: QColor = field(default_factory=lambda: QColor(INK))
    size: int = TABLE
    note: str = ""  # a second, muted line under the text (a touchpoint's stage)


@dataclass(frozen=True)
class Column:
    title: str
    weight: float  # share of the table's width
    right: bool = False  # numbers: right-aligned


class Flow:
    """Blocks laid top to bottom in the page's body, a new page when the next does not fit.

    Headings and the notes under them are held until the block they introduce comes: then
    they go where its start goes, so a heading never ends a page."""

    def __init__(self, doc: ReportDocument) -> None:
        self.doc = doc
        self.footer = ""
        self.y = 0.0
        self.charts: list[Placed] = []
        self.held: list[tuple[float, Callable[[], None]]] = []  # (height, draw)
        self.left = INSET
        self.width = doc.width - 2 * INSET
        self.bottom = doc.body.height() - 6

    # -- pages ---------------------------------------------------------------------------

    def page(self, footer: str | None = None) -> None:
        self.doc.new_page(self.footer if footer is None else footer)
        self.footer = self.doc.footer
        self.y = INSET

    def fits(self, height: float) -> bool:
        return self.y + height <= self.bottom

    def room(self, height: float) -> None:
        """A new page unless ``height`` fits below (a block taller than a page starts one)."""
        if not self.fits(height) and self.y > INSET:
            self.page()

    def start(self, height: float) -> None:
        """Before a block whose start is ``height`` tall: the headings and notes held for it,
        and it, on this page if they fit, else on the next."""
        self.room(sum(h for h, _ in self.held) + height)
        held, self.held = self.held, []
        for _, draw in held:
            draw()

    def space(self, height: float) -> None:
        self.y = min(self.y + height, self.bottom)

    # -- text ----------------------------------------------------------------------------

    @staticmethod
    def _option(right: bool = False) -> QTextOption:
        # Words wrap at spaces, and a word wider than its column (a long compound, a URL) at
        # any letter: with word wrap alone Qt would clip it at the column's edge.
        option = QTextOption(Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        return option

    def measure(self, text: str, size: int, width: float | None = None,
                bold: bool = False) -> float:
        p = self.doc.painter
        p.setFont(font(size, bold))
        box = QRectF(0, 0, self.width if width is None else width, 1e6)
        return p.boundingRect(box, text, self._option()).height()

    def draw(self, x: float, y: float, width: float, text: str, size: int, bold: bool = False,
             colour: QColor = INK, right: bool = False) -> float:
        """Wrapped text with its top at ``y``; its height."""
        p = self.doc.painter
        p.setFont(font(size, bold))
        p.setPen(colour)
        height = self.measure(text, size, width, bold)
        p.drawText(QRectF(x, y, width, height), text, self._option(right))
        return height

    def text(self, text: str, size: int = BODY, bold: bool = False, colour: QColor = INK,
             indent: float = 0.0, after: float = 4.0, hold: bool = False) -> None:
        """Wrapped text; ``hold``: a note under a heading, kept with what follows it."""
        width = self.width - indent
        height = self.measure(text, size, width, bold)

        def draw() -> None:
            self.y += self.draw(self.left + indent, self.y, width, text, size, bold,
                                colour) + after

        if hold:
            self.held.append((height + after, draw))
            return
        self.start(height)
        draw()

    def heading(self, text: str, size: int = H2, colour: QColor | None = None) -> None:
        """A heading, held for the block it introduces. ``colour``: a bar before it."""
        height = self.measure(text, size, self.width, True)

        def draw() -> None:
            if self.y > INSET:
                self.y += HEADING_BEFORE
            x = self.left
            if colour is not None:
                self.doc.painter.fillRect(QRectF(x, self.y + 2, 5, height - 4), colour)
                x += 12
            self.y += self.draw(x, self.y, self.width - (x - self.left), text, size, True) \
                + size * 0.4

        self.held.append((HEADING_BEFORE + height + size * 0.4, draw))

    # -- tables --------------------------------------------------------------------------

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[Cell]],
              continued: str = "") -> None:
        """Rows wrap in their cells; a row never splits, and on a new page the header comes
        again (after ``continued``, the section's title, marked as continued)."""
        header = self._header(columns)
        widths = self._widths(columns, [header, *rows])
        xs = [self.left + sum(widths[:i]) for i in range(len(columns))]

        def draw(cells: Sequence[Cell], band: bool) -> None:
            h = self._row_height(cells, widths)
            p = self.doc.painter
            if band:
                p.fillRect(QRectF(self.left, self.y, self.width, h), BAND)
            for c, x, w, col in zip(cells, xs, widths, columns, strict=True):
                top = self.y + CELL_PAD
                for text, size, bold, colour in ((c.text, c.size, c.bold, c.colour),
                                                 (c.note, SMALL, False, MUTED)):
                    if text:
                        top += self.draw(x + CELL_PAD, top, w - 2 * CELL_PAD, text, size, bold,
                                         colour, col.right)
            self.y += h
            p.setPen(QPen(RULE, 0.6))
            p.drawLine(self.left, self.y, self.left + self.width, self.y)

        head = self._row_height(header, widths)
        # A row taller than a page (a lane cell of pages of text) is cut to one, marked "…".
        tallest = self.bottom - INSET - head - 2 * SMALL - 6
        rows = [self._fit(row, widths, tallest) for row in rows]
        heights = [self._row_height(r, widths) for r in rows]
        # Its start: the whole of a short table, else the header and two rows (no row alone).
        whole = head + sum(heights)
        self.start(whole if len(rows) <= KEEP_WHOLE and whole <= self.bottom - INSET
                   else head + sum(heights[:2]))
        draw(header, False)
        last = len(rows) - 1
        for i, (row, h) in enumerate(zip(rows, heights, strict=True)):
            # No last row alone on a page: the one before it goes along.
            widow = 1 < i == last - 1 and self.fits(h) and not self.fits(h + heights[last])
            if widow or not self.fits(h):
                self.page()
                if continued:
                    self.text(f"{continued} (continued)", SMALL, colour=MUTED)
                draw(header, False)
            draw(row, i % 2 == 1)
        self.y += 6

    @staticmethod
    def _header(columns: Sequence[Column]) -> list[Cell]:
        return [Cell(c.title, bold=True, colour=MUTED, size=SMALL) for c in columns]

    def _cell_heights(self, cell: Cell, width: float) -> tuple[float, float]:
        inner = width - 2 * CELL_PAD
        main = self.measure(cell.text, cell.size, inner, cell.bold) if cell.text else 0.0
        note = self.measure(cell.note, SMALL, inner) if cell.note else 0.0
        return main, note

    def _fit(self, cells: Sequence[Cell], widths: Sequence[float],
             tallest: float) -> Sequence[Cell]:
        if self._row_height(cells, widths) <= tallest:
            return cells
        fitted = []
        for c, w in zip(cells, widths, strict=True):
            main, note = self._cell_heights(c, w)
            room = tallest - note - 2 * CELL_PAD
            if main > room:
                lo, hi = 0, len(c.text)  # the longest start of the text that fits with "…"
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    if self.measure(c.text[:mid] + "…", c.size, w - 2 * CELL_PAD,
                                    c.bold) <= room:
                        lo = mid
                    else:
                        hi = mid - 1
                c = replace(c, text=c.text[:lo].rstrip() + "…")
            fitted.append(c)
        return fitted

    def _row_height(self, cells: Sequence[Cell], widths: Sequence[float]) -> float:
        return max(sum(self._cell_heights(c, w)) for c, w in zip(cells, widths, strict=True)) \
            + 2 * CELL_PAD

    def _widths(self, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> list[float]:
        """The columns' shares of the width, but none narrower than its longest word (a date, a
        sum of money), which would wrap inside: the room comes from the columns that can spare
        it."""
        total = sum(c.weight for c in columns)
        widths = [self.width * c.weight / total for c in columns]
        least = []
        for i in range(len(columns)):
            words = [(w, c.size, c.bold) for row in rows for c in row[i:i + 1]
                     for w in c.text.split()]
            least.append(max((QFontMetricsF(font(size, bold)).horizontalAdvance(w)
                              for w, size, bold in words), default=0.0) + 2 * CELL_PAD + 1)
        if sum(least) > self.width:
            # Too many long words for the row (they wrap anywhere then): none asks for more
            # than an equal share, so the short words keep theirs.
            least = [min(m, self.width / len(columns)) for m in least]
        short = sum(max(0.0, m - w) for m, w in zip(least, widths, strict=True))
        spare = sum(max(0.0, w - m) for m, w in zip(least, widths, strict=True))
        if short <= 0 or spare <= 0:
            return widths
        take = min(1.0, short / spare)
        return [m if m > w else w - (w - m) * take for m, w in zip(least, widths, strict=True)]

    # -- pictures ------------------------------------------------------------------------

    def chart(self, figure) -> None:  # noqa: ANN001 - a matplotlib Figure
        """The figure at the body's width, shrunk to the room left on this page when it keeps
        at least CHART_LEAST of that size; else on the next page, shrunk to fit one."""
        w, h = figure.get_size_inches()
        self.start(CHART_LEAST * min(self.width * h / w, self.bottom - INSET))
        area = QRectF(self.left, self.y, self.width, self.bottom - self.y)
        box = fit(area, w, h)
        area = QRectF(self.left + (self.width - box.width()) / 2, self.y, box.width(),
                      box.height())
        self.charts.append(Placed(self.doc.page - 1, area, figure_pdf(figure)))
        self.y += box.height() + 8

    def image(self, data: bytes, x: float, y: float, side: float) -> float:
        """A photo fitted in a square at (x, y) from the body's left; its height (0: none)."""
        picture = QImage.fromData(data)
        if picture.isNull():
            return 0.0
        # At most ~300 dpi where it is printed: a 2 MB photo need not weigh the PDF down.
        most = round(side * PHOTO_DPI / 72)
        if max(picture.width(), picture.height()) > most:
            picture = picture.scaled(most, most, Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation)
        scale = side / max(picture.width(), picture.height())
        w, h = picture.width() * scale, picture.height() * scale
        self.doc.painter.drawImage(QRectF(self.left + x, y, w, h), picture)
        return h
