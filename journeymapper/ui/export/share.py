"""The deck and the web page: their maps drawn here with Qt (a PNG at 2× per slide, a layered
SVG per tab), the rest assembled without Qt by exporters.pptx_export and html_export."""

from __future__ import annotations

from journeymapper.model import Project
from journeymapper.ui.export.compose import MapPicture
from journeymapper.ui.export.images import png_bytes
from journeymapper.ui.export.options import ExportOptions

DECK_SCALE = 2.0  # DESIGN.md: the map as a picture at 2×, sharp on a projector


def shared_bytes(pictures: list[MapPicture], project: Project, options: ExportOptions) -> bytes:
    if options.format == "pptx":
        from journeymapper.exporters.pptx_export import deck_bytes

        maps = [(p.scene.segment_id, png_bytes(p, DECK_SCALE)) for p in pictures]
        return deck_bytes(project, maps, options.date, options.metric or "nps")
    raise ValueError(f"not a shared format: {options.format}")
