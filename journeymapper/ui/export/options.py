"""What an export is asked to produce. The dialog and the command line both fill one of these and
hand it to :func:`journeymapper.ui.export.run.export`, so the two give the same file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

IMAGE_FORMATS = ("png", "svg", "pdf", "pptx", "html", "xlsx")  # what File > Export writes
PAGE_SIZES = ("A4", "A3", "A5", "Letter", "Legal", "Tabloid")
BACKGROUNDS = ("white", "transparent")
ORIENTATIONS = ("landscape", "portrait")
THEMES = ("light", "dark")


@dataclass
class ExportOptions:
    format: str = "png"  # png | svg | pdf | pptx | html | xlsx
    segment: str | None = None  # a segment's name or id; None: DESIGN.md's default
    scale: float = 2.0  # PNG only, 1-4
    background: str = "white"  # PNG/SVG: white or transparent around the map
    theme: str = "light"
    page_size: str = "A4"  # PDF
    orientation: str = "landscape"  # PDF
    tile: bool = False  # PDF: at natural size across pages instead of fitted to one
    report: bool = False  # PDF: map, weak touchpoints and charts per segment
    metric: str | None = None  # colour the cards by this metric (None: weakness marks only)
    competitor: str | None = None  # a competitor's name: its gap on each card
    plain: bool = False  # no analysis marks at all
    date: dt.date = field(default_factory=dt.date.today)

    def problems(self) -> list[str]:
        """What is wrong with these options, in words for a person (empty: fine)."""
        out = []
        if self.format not in IMAGE_FORMATS:
            out.append(f"unknown image format {self.format!r}")
        if not 1.0 <= self.scale <= 4.0:
            out.append(f"--scale must be between 1 and 4, not {self.scale:g}")
        if self.background not in BACKGROUNDS:
            out.append(f"background must be one of {', '.join(BACKGROUNDS)}")
        if self.page_size not in PAGE_SIZES:
            out.append(f"page size must be one of {', '.join(PAGE_SIZES)}")
        if self.orientation not in ORIENTATIONS:
            out.append(f"orientation must be one of {', '.join(ORIENTATIONS)}")
        if self.theme not in THEMES:
            out.append(f"theme must be one of {', '.join(THEMES)}")
        if self.report and self.format != "pdf":
            out.append("--report makes a PDF: use it with --format pdf")
        if self.plain and (self.metric or self.competitor):
            out.append("--plain leaves out the analysis: not with --metric or --competitor")
        return out
