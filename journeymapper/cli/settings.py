"""``journeymapper set FILE.jmap KEY=VALUE ...``: the project's settings, each one change (one
step in the app's undo history). Every pair is checked before any is written: an unknown key
or a bad value changes nothing and names the keys there are. ``KEY=`` (nothing after the
sign) puts a setting back to its default, or removes a metric's line."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from journeymapper.analysis.attribution import CURRENCY_SETTING, VALUE_SETTING
from journeymapper.analysis.contact_plan import LIMIT_SETTING
from journeymapper.errors import JourneyMapperError, shorten
from journeymapper.storage import ProjectFile

METRIC_FIELDS = ("weak", "good", "weight")
KEYS = (VALUE_SETTING, CURRENCY_SETTING, "competitor_margin", "competitor_margin.METRIC",
        LIMIT_SETTING, *(f"METRIC.{f}" for f in METRIC_FIELDS))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("set", help="change project settings (value_per_conversion, lines...)",
                       description="Change project settings, each one undoable step. Keys: "
                                   + ", ".join(KEYS) + " (METRIC: a metric key such as nps).")
    p.add_argument("file", metavar="FILE.jmap")
    p.add_argument("pairs", nargs="+", metavar="KEY=VALUE")
    p.set_defaults(run=run)


def _number(check: Callable[[float], bool], what: str) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and check(value)):
            raise ValueError(what)
        return value
    return parse


NON_NEGATIVE = _number(lambda v: v >= 0, "a number of 0 or more")
POSITIVE = _number(lambda v: v > 0, "a number above 0")
ANY = _number(lambda v: True, "a number")


def _currency(text: str) -> str:
    if not (0 < len(text) <= 8 and text.isprintable()):
        raise ValueError("a currency sign of 1 to 8 printable characters")
    return text


def _plan(project: ProjectFile, key: str, text: str) -> tuple[str, str | None, object]:
    """(what, metric key or None, value) for one pair; raises JourneyMapperError."""
    metrics = {m.key for m in project.metrics()}
    head, _, tail = key.rpartition(".")
    settings: dict[str, Callable[[str], object]] = {
        VALUE_SETTING: NON_NEGATIVE, CURRENCY_SETTING: _currency,
        "competitor_margin": NON_NEGATIVE, LIMIT_SETTING: POSITIVE}
    if key in settings or (head == "competitor_margin" and tail in metrics):
        parse = settings.get(key, NON_NEGATIVE)
        target: tuple[str, str | None] = ("setting", None)
    elif head in metrics and tail in METRIC_FIELDS:
        parse = NON_NEGATIVE if tail == "weight" else ANY
        target = (tail, head)
    else:
        raise JourneyMapperError(f"{project.path.name}: unknown setting {shorten(key)!r} "
                                 f"(settings: {', '.join(KEYS)}; METRIC one of "
                                 f"{', '.join(sorted(metrics))})")
    if text == "":
        return (*target, 1.0 if tail == "weight" and target[1] else None)
    try:
        return (*target, parse(text))
    except ValueError as e:
        raise JourneyMapperError(f"{project.path.name}: {shorten(key)}={shorten(text)!r}: "
                                 f"must be {e} (settings: {', '.join(KEYS)})") from e


def run(args: argparse.Namespace) -> int:
    with ProjectFile.open(args.file) as project:
        planned = []
        for pair in args.pairs:
            key, sign, text = pair.partition("=")
            if not sign or not key:
                raise JourneyMapperError(f"{project.path.name}: {shorten(pair)!r} is not "
                                         f"KEY=VALUE (settings: {', '.join(KEYS)})")
            planned.append((key, *_plan(project, key, text.strip())))
        for key, what, metric, value in planned:
            shown = "its default" if value is None else f"{value:.15g}" \
                if isinstance(value, float) else str(value)
            with project.operation(f"Set {key} to {shown}"):
                if metric is not None:
                    project.update("metric", metric, **{what: value})
                elif value is None:
                    project.delete("project", [key])
                else:
                    project.set_setting(key, shown)
            print(f"{args.file}: {key} = {shown}")
    return 0
