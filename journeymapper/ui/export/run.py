"""The one export function behind File > Export… and ``journeymapper export``: both call
:func:`export` with the same options, so they write the same file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from journeymapper.analysis.stats import metric_definitions
from journeymapper.errors import JourneyMapperError
from journeymapper.model import Segment
from journeymapper.storage.outputs import check_output, write_file
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.canvas.overlay_api import Overlay
from journeymapper.ui.export.compose import MapPicture, picture_for, theme_named
from journeymapper.ui.export.images import png_bytes, svg_bytes
from journeymapper.ui.export.options import ExportOptions
from journeymapper.ui.export.pdf import maps_pdf_bytes
from journeymapper.ui.overlays import AnalysisOverlay

_APP: QApplication | None = None
# Without --segment these hold every segment; the others show the first.
ALL_SEGMENTS = ("pdf", "pptx", "html")


def ensure_app() -> QApplication:
    """A QApplication for drawing without a window (the command line).

    The map is a QGraphicsScene, which needs QApplication, not just QGuiApplication (with the
    latter, building the scene crashes). An export never shows anything, so the platform is
    ``offscreen`` whenever the caller did not choose one: a DISPLAY that points nowhere (an SSH
    session, a CI runner) must not break a command that needs no screen, and the offscreen
    platform draws the same pixels with the same fonts everywhere.
    """
    global _APP
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _APP = QApplication([sys.argv[0] if sys.argv else "journeymapper"])
        return _APP
    if not isinstance(app, QApplication):
        raise JourneyMapperError("exporting a map needs a QApplication")
    return app


def segments_for(project_file: ProjectFile, options: ExportOptions) -> list[Segment]:
    """DESIGN.md: without --segment, PNG and SVG show the first segment (tab order) and a PDF
    every segment."""
    segments = project_file.segments()
    if not segments:
        raise JourneyMapperError(f"{project_file.path.name}: the project has no segments")
    if options.segment:
        chosen = [s for s in segments if options.segment in (s.name, s.id)]
        if not chosen:
            names = ", ".join(s.name for s in segments)
            raise JourneyMapperError(f"{project_file.path.name}: no segment named "
                                     f"{options.segment!r} ({names})")
        return chosen[:1]
    return segments if options.format in ALL_SEGMENTS else segments[:1]


def overlay_for(project_file: ProjectFile, options: ExportOptions) -> AnalysisOverlay | None:
    if options.plain:
        return None
    overlay = AnalysisOverlay(project_file, options.metric, options.competitor)
    project = overlay.project()
    if options.metric and options.metric not in metric_definitions(project):
        keys = ", ".join(sorted(metric_definitions(project)))
        raise JourneyMapperError(f"no metric {options.metric!r} (known: {keys})")
    if options.competitor and overlay.competitor_id() is None:
        names = ", ".join(c.name for c in project.competitors) or "none in this project"
        raise JourneyMapperError(f"no competitor {options.competitor!r} ({names})")
    return overlay


def pictures_for(project_file: ProjectFile, options: ExportOptions,
                 overlay: Overlay | None) -> list[MapPicture]:
    theme = theme_named(options.theme)
    return [picture_for(project_file, s.id, theme, options.background, overlay, options.date)
            for s in segments_for(project_file, options)]


def export(project_file: ProjectFile, out: str | Path, options: ExportOptions) -> Path:
    """Write the map(s) or the report to ``out`` (never over the project itself); a failure
    leaves an old ``out`` as it was."""
    problems = options.problems()
    if problems:
        raise JourneyMapperError("; ".join(problems))
    target = check_output(out, [project_file.path])
    if options.format == "xlsx":  # the data, no picture: drawn by no one
        from journeymapper.exporters.xlsx_export import to_xlsx

        write_file(target, to_xlsx(project_file.load()))
        return Path(out)
    ensure_app()
    overlay = overlay_for(project_file, options)
    pictures = pictures_for(project_file, options, overlay)
    try:
        if options.format == "png":
            data = png_bytes(pictures[0], options.scale)
        elif options.format == "svg":
            data = svg_bytes(pictures[0])
        elif options.format in ("pptx", "html"):
            from journeymapper.ui.export.share import shared_bytes

            data = shared_bytes(pictures, project_file.load(), options)
        elif options.report:
            from journeymapper.ui.export.report import report_bytes

            data = report_bytes(pictures, project_file.load(), options.page_size,
                                options.orientation, options.metric or "nps")
        else:
            data = maps_pdf_bytes(pictures, options.page_size, options.orientation, options.tile)
    finally:
        for picture in pictures:
            picture.close()
    write_file(target, data)
    return Path(out)
