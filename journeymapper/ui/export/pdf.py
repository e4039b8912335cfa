"""Vector PDF through QPdfWriter: maps fitted to a page or tiled across pages at natural size,
and the page furniture (footer, text blocks) the report builds on. Coordinates are points."""

from __future__ import annotations

import math

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter

from journeymapper.errors import JourneyMapperError
from journeymapper.ui.canvas.card_text import font
from journeymapper.ui.export.compose import MapPicture

# Device units per inch. Only precision depends on it (the output is vector), but the canvas
# leaves text out below a level of detail of 0.35 device units per scene pixel: at 1200 a map
# fitted to an A4 page keeps its text up to ~37,000 scene pixels wide.
RESOLUTION = 1200
PT = RESOLUTION / 72.0
MARGIN_MM = 12.0
FOOTER = 18.0  # points kept at the bottom of each page for the footer
NATURAL = 0.75  # points per scene pixel when tiled: the canvas at 96 dpi

PAGE_SIZES = {
    "A3": QPageSize.PageSizeId.A3, "A4": QPageSize.PageSizeId.A4,
    "A5": QPageSize.PageSizeId.A5, "Letter": QPageSize.PageSizeId.Letter,
    "Legal": QPageSize.PageSizeId.Legal, "Tabloid": QPageSize.PageSizeId.Tabloid,
}
MUTED = QColor("#5b6778")
INK = QColor("#121821")


class PdfDocument:
    """A QPdfWriter with a painter whose unit is the point, and a page count for footers.

    It writes into memory, not into the file: QPdfWriter does not report a failed write (a
    full disk gave a 0-byte file and success), so :meth:`close` hands the bytes to the caller
    for the atomic writer, which does."""

    def __init__(self, page_size: str, orientation: str, title: str) -> None:
        self.buffer = QBuffer()
        self.buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.writer = QPdfWriter(self.buffer)
        self.writer.setResolution(RESOLUTION)
        self.writer.setPageSize(QPageSize(PAGE_SIZES[page_size]))
        self.writer.setPageOrientation(QPageLayout.Orientation.Landscape
                                       if orientation == "landscape"
                                       else QPageLayout.Orientation.Portrait)
        self.writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                   QPageLayout.Unit.Millimeter)
        self.writer.setTitle(title)
        self.writer.setCreator("JourneyMapper")
        self.painter = QPainter()
        if not self.painter.begin(self.writer):
            raise JourneyMapperError("could not start the PDF")
        self.painter.scale(PT, PT)
        self.page = 0  # pages started so far
        self.footer = ""
        rect = self.writer.pageLayout().paintRect(QPageLayout.Unit.Point)
        self.width, self.height = rect.width(), rect.height()

    def margins_pt(self) -> QMarginsF:
        return self.writer.pageLayout().margins(QPageLayout.Unit.Point)

    @property
    def body(self) -> QRectF:
        """Where content goes on a page (the footer's band excluded)."""
        return QRectF(0, 0, self.width, self.height - FOOTER)

    def new_page(self, footer: str) -> None:
        if self.page:
            self.writer.newPage()
        self.page += 1
        self.footer = footer
        self._draw_footer()

    def _draw_footer(self) -> None:
        p = self.painter
        p.save()
        f = font(8)
        p.setFont(f)
        p.setPen(MUTED)
        band = QRectF(0, self.height - FOOTER + 6, self.width, FOOTER - 6)
        number = f"page {self.page}"
        fm = QFontMetricsF(f)
        # On a narrow page the left text gives way to the page number, never over it.
        left = fm.elidedText(self.footer, Qt.TextElideMode.ElideMiddle,
                             self.width - fm.horizontalAdvance(number) - 16)
        p.drawText(band, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, left)
        p.drawText(band, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, number)
        p.restore()

    def close(self) -> bytes:
        """Ends the document; its bytes."""
        if self.painter.isActive() and not self.painter.end():
            raise JourneyMapperError("could not finish the PDF")
        return bytes(self.buffer.data())

    # -- text ----------------------------------------------------------------------------

    def text_height(self, text: str, size: float, width: float, bold: bool = False) -> float:
        self.painter.setFont(font(size, bold))
        flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
        return self.painter.boundingRect(QRectF(0, 0, width, 1e6), flags, text).height()

    def text(self, x: float, y: float, width: float, text: str, size: float,
             bold: bool = False, colour: QColor = INK) -> float:
        """Draw wrapped text with its top at ``y``; returns its height."""
        p = self.painter
        p.setFont(font(size, bold))
        p.setPen(colour)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
        rect = p.boundingRect(QRectF(x, y, width, 1e6), flags, text)
        p.drawText(QRectF(x, y, width, rect.height()), flags, text)
        return rect.height()

    # -- maps ----------------------------------------------------------------------------

    def map_fitted(self, picture: MapPicture, footer: str) -> None:
        self.new_page(footer)
        body = self.body
        size = picture.size()
        scale = min(body.width() / size.width(), body.height() / size.height())
        p = self.painter
        p.save()
        p.translate((body.width() - size.width() * scale) / 2, 0)
        p.scale(scale, scale)
        picture.paint(p)
        p.restore()

    def map_tiled(self, picture: MapPicture, footer: str) -> None:
        """At natural size (96 dpi), cut into as many pages as it takes, row by row."""
        body = self.body
        size = picture.size()
        tile_w, tile_h = body.width() / NATURAL, body.height() / NATURAL
        cols = max(1, math.ceil(size.width() / tile_w - 1e-6))
        rows = max(1, math.ceil(size.height() / tile_h - 1e-6))
        p = self.painter
        for r in range(rows):
            for c in range(cols):
                where = f" · part {r * cols + c + 1} of {rows * cols} (row {r + 1}, col " \
                        f"{c + 1})" if rows * cols > 1 else ""
                self.new_page(footer + where)
                p.save()
                p.setClipRect(body)
                p.scale(NATURAL, NATURAL)
                p.translate(-c * tile_w, -r * tile_h)
                picture.paint(p)
                p.restore()

    def map(self, picture: MapPicture, footer: str, tile: bool) -> None:
        (self.map_tiled if tile else self.map_fitted)(picture, footer)


def footer_for(picture: MapPicture) -> str:
    return f"{picture.project_name} · {picture.segment_name} · {picture.date.isoformat()}"


def maps_pdf_bytes(pictures: list[MapPicture], page_size: str, orientation: str,
                   tile: bool) -> bytes:
    title = pictures[0].project_name if pictures else "JourneyMapper"
    doc = PdfDocument(page_size, orientation, title)
    try:
        for picture in pictures:
            doc.map(picture, footer_for(picture), tile)
    finally:
        pdf = doc.close()
    return pdf
