"""Maps and reports leave the app: PNG, SVG, PDF (fitted or tiled) and the PDF report, from the
Export dialog and the command line through one function, :func:`export`."""

from journeymapper.ui.export.options import ExportOptions
from journeymapper.ui.export.run import ensure_app, export

__all__ = ["ExportOptions", "ensure_app", "export"]
