"""The deck and the web page: their maps drawn here with Qt (a PNG at 2× per slide, an SVG per
tab with where each card is), the rest assembled without Qt by exporters.pptx_export and
exporters.html_export."""

from __future__ import annotations

from journeymapper.exporters.html_export import Hotspot, MapSvg
from journeymapper.model import Project
from journeymapper.ui.export.compose import MapPicture
from journeymapper.ui.export.images import png_bytes, svg_bytes
from journeymapper.ui.export.options import ExportOptions

DECK_SCALE = 2.0  # DESIGN.md: the map as a picture at 2×, sharp on a projector


def hotspots(picture: MapPicture) -> list[Hotspot]:
    """Each card's rectangle in the picture's coordinates (the map is drawn below the title
    block, one scene pixel per unit), in reading order: stage by stage, top to bottom."""
    origin = picture.map_rect.topLeft()
    column = {s.id: i for i, s in enumerate(picture.scene.stages)}
    spots = []
    for tp_id, card in picture.scene.cards.items():
        r = card.sceneBoundingRect()
        spots.append((column.get(card.tp.stage_id, len(column)), r.y(), r.x(), Hotspot(
            tp_id, r.x() - origin.x(), r.y() - origin.y() + picture.title_height, r.width(),
            r.height())))
    return [spot for *_, spot in sorted(spots, key=lambda s: s[:3])]


def shared_bytes(pictures: list[MapPicture], project: Project, options: ExportOptions) -> bytes:
    if options.format == "pptx":
        from journeymapper.exporters.pptx_export import deck_bytes

        maps = [(p.scene.segment_id, png_bytes(p, DECK_SCALE)) for p in pictures]
        return deck_bytes(project, maps, options.date, options.metric or "nps")
    from journeymapper.exporters.html_export import page_bytes

    return page_bytes(project, [MapSvg(p.scene.segment_id, svg_bytes(p), hotspots(p))
                                for p in pictures], options.date)
