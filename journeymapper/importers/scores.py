"""Survey scores and their standard errors, exactly as DESIGN.md defines them.

NPS = % promoters (9-10) - % detractors (0-6) of 0-10 answers, SE 100·√((p + q − (p − q)²)/n);
CSAT = % of answers in the top two boxes of the scale, SE of a share √(p(1 − p)/n) (in percent);
CES and Likert = mean, SE s/√n (s the sample standard deviation). Blank answers never count.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

NPS_SCALE = (0, 10)
# Candidate scales, smallest first: the smallest that holds every answer is used.
SCALES = ((1, 5), (1, 7), (0, 10))


@dataclass(frozen=True)
class Score:
    value: float
    n: int
    se: float | None


def nps(answers: Sequence[float]) -> Score:
    n = len(answers)
    p = sum(1 for a in answers if a >= 9) / n
    q = sum(1 for a in answers if a <= 6) / n
    return Score(100 * (p - q), n, 100 * math.sqrt(max(p + q - (p - q) ** 2, 0.0) / n))


def top2(answers: Sequence[float], scale: tuple[int, int]) -> Score:
    """% of answers in the top two boxes (4-5 of 1-5, 6-7 of 1-7, 9-10 of 0-10)."""
    n = len(answers)
    p = sum(1 for a in answers if a >= scale[1] - 1) / n
    return Score(100 * p, n, 100 * share_se(p, n))


def mean(answers: Sequence[float]) -> Score:
    n = len(answers)
    m = sum(answers) / n
    if n < 2:
        return Score(m, n, None)
    s = math.sqrt(sum((a - m) ** 2 for a in answers) / (n - 1))
    return Score(m, n, s / math.sqrt(n))


def share_se(p: float, n: int) -> float:
    return math.sqrt(max(p * (1 - p), 0.0) / n)


def nps_se_bound(value: float, n: int) -> float:
    """The largest NPS standard error a value and n allow (all non-promoters detractors or
    passives in the worst mix): 100·√((1 − (NPS/100)²)/n), for a competitor's published NPS."""
    return 100 * math.sqrt(max(1 - (value / 100) ** 2, 0.0) / n)


_SCALE_TEXT = re.compile(r"(?<!\d)([01])\s*(?:-|–|—|to|bis|\.\.)\s*(5|7|10)(?!\d)")


def scale_in_text(*texts: str | None) -> tuple[int, int] | None:
    """A scale named in a header or question ("(1-5)", "1–7", "0 to 10"), or None."""
    for text in texts:
        if text:
            m = _SCALE_TEXT.search(text)
            if m:
                return int(m.group(1)), int(m.group(2))
    return None


def smallest_scale(answers: Sequence[float]) -> tuple[int, int] | None:
    if not answers:
        return None
    lo, hi = min(answers), max(answers)
    return next((s for s in SCALES if s[0] <= lo and hi <= s[1]), None)
