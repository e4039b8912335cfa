"""PNG and SVG documents of one map picture, as bytes for the atomic writer."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QImage, QPainter

from journeymapper.errors import JourneyMapperError
from journeymapper.ui.export.compose import MapPicture
from journeymapper.ui.export.png import encode_png
from journeymapper.ui.export.svg import svg_document

# 1 GB of pixels: a 4x export of a very big map is refused with advice instead of failing in
# the allocator.
MAX_PIXELS = 250_000_000


def _pixel_size(picture: MapPicture, scale: float) -> tuple[int, int]:
    size = picture.size()
    w, h = max(1, round(size.width() * scale)), max(1, round(size.height() * scale))
    if w * h > MAX_PIXELS:
        raise JourneyMapperError(f"the image would be {w}x{h} pixels: use a smaller --scale "
                                 "or export SVG or PDF")
    return w, h


def render_png(picture: MapPicture, scale: float) -> QImage:
    """The whole picture at ``scale`` as one image, 96 × scale dpi."""
    w, h = _pixel_size(picture, scale)
    opaque = picture.scene.page_colour is not None
    # Opaque maps need no alpha channel: less to draw through and to compress.
    image = QImage(w, h, QImage.Format.Format_RGB32 if opaque
                   else QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise JourneyMapperError(f"not enough memory for a {w}x{h} image: use a smaller "
                                 "--scale or export SVG or PDF")
    if opaque:
        image.fill(picture.scene.page_colour)
    else:
        image.fill(0)
    image.setDotsPerMeterX(round(96 * scale / 0.0254))
    image.setDotsPerMeterY(round(96 * scale / 0.0254))
    painter = QPainter(image)
    painter.scale(w / picture.size().width(), h / picture.size().height())
    picture.paint(painter, page_filled=True)
    painter.end()
    return image


def png_bytes(picture: MapPicture, scale: float) -> bytes:
    return encode_png(render_png(picture, scale))


def svg_bytes(picture: MapPicture) -> bytes:
    """The picture as an SVG document with named layers (ui/export/svg.py)."""
    size = picture.size()
    return svg_document(QSize(round(size.width()), round(size.height())),
                        QRectF(0, 0, size.width(), size.height()), picture.heading(),
                        f"JourneyMapper map, {picture.subheading()}",
                        lambda painter, layers: picture.paint(painter, layers=layers))
