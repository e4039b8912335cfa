"""What a new segment's story starts from."""

from __future__ import annotations

from journeymapper.model import DEFAULT_LANES, Lane


def default_lanes(segment_id: str) -> list[Lane]:
    """The lanes every new segment starts with (DESIGN.md, "Words"), above its cards."""
    return [Lane(segment_id, name, position) for position, name in enumerate(DEFAULT_LANES)]
