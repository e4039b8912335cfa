"""The channel a new card starts with: what its stage mostly is (a Support column of phone and
chat cards gets the next one as phone), else what the segment mostly is. A workshop then
changes the odd one out instead of every card."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from journeymapper.model import Touchpoint


def _most_common(cards: list[Touchpoint]) -> str | None:
    if not cards:
        return None
    counts = Counter(t.channel for t in cards)
    top = max(counts.values())
    # A tie goes to the card nearest the new slot (the lowest one): the last thing typed.
    return next(t.channel for t in sorted(cards, key=lambda t: -t.y) if counts[t.channel] == top)


def default_channel(touchpoints: Iterable[Touchpoint], stage_id: str) -> str:
    cards = list(touchpoints)
    return (_most_common([t for t in cards if t.stage_id == stage_id])
            or _most_common(cards) or Touchpoint.__dataclass_fields__["channel"].default)
