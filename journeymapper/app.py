"""The Qt application entry point (filled in by the canvas work)."""

from __future__ import annotations


def run_app(file: str | None, demo: bool = False) -> int:
    from journeymapper.errors import JourneyMapperError

    raise JourneyMapperError("the desktop app is not available yet")
