"""A raw name in a data file meets the project's cards (DESIGN.md, "Names that differ"): the
card's own name (model.name_key), else an alias of a card (aliases follow ids, so a renamed
card still matches), else the first rule whose shell-style pattern (``*``, ``?``, ``[...]``)
matches, else the name is unknown as before. Every kind goes through :func:`translate`; an
event log maps its distinct names through :meth:`Matcher.match` before DuckDB aggregates, so
3,000 URLs count as the ~10 touchpoints they are.
"""

from __future__ import annotations

import copy
import dataclasses
import fnmatch
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeymapper.errors import InputError, shorten
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.plan import Plan, TransitionFact
from journeymapper.model import Segment, Touchpoint, name_key
from journeymapper.model.journeys import End, SegmentJourneys, Variant
from journeymapper.storage import ProjectFile
from journeymapper.storage.aliases import Alias, aliases, rules

if TYPE_CHECKING:
    from journeymapper.importers.readers import Table

RULE_FIELDS = ("pattern", "touchpoint")


def compile_pattern(pattern: str, file: str | None = None, row: int | None = None,
                    ) -> re.Pattern[str]:
    """A rule's pattern as a regular expression over name keys (case and spaces aside).
    fnmatch reads an unclosed ``[`` as a plain character; here it is a mistake, refused."""
    key = name_key(pattern)
    if not key:
        raise InputError("an empty pattern", file, row, "pattern")
    depth = 0
    for ch in key:
        if ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth = 0
    if depth:
        raise InputError(f"pattern {shorten(pattern)!r} has an unclosed '[' (write [[] for a "
                         "bracket itself)", file, row, "pattern")
    return re.compile(fnmatch.translate(key))


class Matcher:
    """Raw names to card names, per segment (id) or in any segment (None)."""

    def __init__(self, segments: list[Segment], touchpoints: Iterable[Touchpoint],
                 stored: list[Alias], extra_aliases: list[tuple[str, str]],
                 rule_list: list[tuple[str, str]]) -> None:
        cards = list(touchpoints)
        by_id = {t.id: t for t in cards}
        order = {s.id: s.position for s in segments}
        cards.sort(key=lambda t: order.get(t.segment_id, 0))
        self.exact: dict[str | None, dict[str, str]] = defaultdict(dict)
        self.alias: dict[str | None, dict[str, str]] = defaultdict(dict)
        for t in cards:
            for seg in (t.segment_id, None):
                self.exact[seg].setdefault(name_key(t.name), t.name)
        pairs = [(by_id[a.touchpoint_id], a.name) for a in stored if a.touchpoint_id in by_id]
        pairs.sort(key=lambda p: order.get(p[0].segment_id, 0))
        for t, raw in pairs:
            for seg in (t.segment_id, None):
                self.alias[seg].setdefault(name_key(raw), t.name)
        for raw, target in extra_aliases:
            for t in cards:
                if name_key(t.name) == name_key(target):
                    for seg in (t.segment_id, None):
                        self.alias[seg].setdefault(name_key(raw), t.name)
        self.rules = [(compile_pattern(p), target) for p, target in rule_list]
        self.patterns = [p for p, _ in rule_list]
        # A rule's touchpoint is a name of its own: a card a first import creates is not
        # matched again by an earlier, wider pattern ("*page*" would take "Home page").
        self.targets = {name_key(target): target for _, target in rule_list}

    def match(self, raw: str, segment_id: str | None = None) -> str | None:
        """The card name ``raw`` stands for, or None (unknown)."""
        return self.explain(raw, segment_id)[0]

    def explain(self, raw: str, segment_id: str | None = None) -> tuple[str | None, str]:
        """(the card name ``raw`` stands for or None, and why: "card", "alias", "target" (a
        rule's touchpoint name) or "rule N" (its place in the order, from 1))."""
        key = name_key(raw)
        for why, names in (("card", self.exact[segment_id]), ("alias", self.alias[segment_id]),
                           ("target", self.targets)):
            if key in names:
                return names[key], why
        for i, (pattern, target) in enumerate(self.rules, 1):
            if pattern.match(key):
                return target, f"rule {i}"
        return None, ""

    def rename(self, raw: str, segment_id: str | None = None) -> str:
        return self.match(raw, segment_id) or raw


def project_matcher(pf: ProjectFile) -> Matcher:
    """The project's own aliases and rules, as every import starts from."""
    return Matcher(pf.segments(), pf.touchpoints(), aliases(pf), [],
                   [(r.pattern, r.touchpoint_name) for r in rules(pf)])


def read_rules(path: str | Path) -> tuple[list[tuple[str, str]], list[int]]:
    """A rules file (columns pattern,touchpoint; CSV or XLSX) as (pattern, touchpoint) pairs
    and the file row of each, every pattern checked: a bad one refuses the file, naming its
    row and column."""
    from journeymapper.importers.columns import guess_mapping, require
    from journeymapper.importers.readers import read_table

    path = Path(path)
    if not path.exists():
        raise InputError(f"no such file ({path})", path.name)

    def score(headers: Iterable[str], questions: object) -> int:
        return len(guess_mapping(list(headers), RULE_FIELDS))

    table = read_table(path, score, file=path.name)
    mapping = guess_mapping(table.headers, RULE_FIELDS, file=path.name)
    require(mapping, RULE_FIELDS, table.headers, path.name, table.header_row)
    col = {f: table.headers.index(c) for c, f in mapping.items()}
    out, numbers = [], []
    for number, cells in table.rows:
        pattern = str(cells[col["pattern"]] or "").strip()
        target = " ".join(str(cells[col["touchpoint"]] or "").split())
        if not pattern and not target:
            continue
        compile_pattern(pattern, path.name, number)
        if not target:
            raise InputError("no touchpoint", path.name, number, "touchpoint")
        out.append((pattern, target))
        numbers.append(number)
    return out, numbers


def parse_aliases(items: Iterable[str]) -> list[tuple[str, str]]:
    """``--alias "NAME IN FILE=TOUCHPOINT"`` options as (name, touchpoint) pairs."""
    out = []
    for item in items:
        raw, sep, target = item.rpartition("=")
        if not sep or not raw.strip() or not target.strip():
            raise InputError(f"--alias {shorten(item)!r}: write it as \"NAME IN FILE=TOUCHPOINT\"")
        out.append((" ".join(raw.split()), " ".join(target.split())))
    return out


def for_import(pf: ProjectFile, options: ImportOptions) -> Matcher:
    """The matcher of an import: the project's aliases and rules, then the import's own
    (--alias, --rules), checked against the project: an alias to a card that does not exist,
    or a rule to a touchpoint in no segment without --create-missing, is refused."""
    cards = pf.touchpoints()
    segments = pf.segments()
    known = {name_key(t.name) for t in cards}
    if options.segment:
        seg = next((s for s in segments if name_key(s.name) == name_key(options.segment)), None)
        in_segment = {name_key(t.name) for t in cards if seg and t.segment_id == seg.id}
    else:
        in_segment = known
    for i, (raw, target) in enumerate(options.aliases, 1):
        if name_key(target) not in in_segment:
            where = f" in segment {shorten(options.segment)!r}" if options.segment else ""
            raise InputError(f"{shorten(raw)!r}={shorten(target)!r}: the project has no card "
                             f"named {shorten(target)!r}{where}", "--alias", i, "TOUCHPOINT")
    if not options.create_missing:
        for i, (_, target) in enumerate(options.rules):
            if name_key(target) not in known:
                row = options.rule_rows[i] if i < len(options.rule_rows) else None
                raise InputError(f"touchpoint {shorten(target)!r} is in no segment (add it "
                                 "with --create-missing STAGE)", options.rules_file or "--rules",
                                 row, "touchpoint")
    stored = [(r.pattern, r.touchpoint_name) for r in rules(pf)]
    return Matcher(segments, cards, aliases(pf), list(options.aliases),
                   stored + [tuple(r) for r in options.rules])


def translate(plan: Plan, matcher: Matcher, segments: list[Segment],
              options: ImportOptions) -> Plan:
    """``plan`` with every touchpoint name that matches a card renamed to that card, counts
    of names that meet on one card added up (two URLs of one page: a repeat visit)."""
    seg_id = {name_key(s.name): s.id for s in segments}

    def sid(segment: str | None) -> str | None:
        name = segment or options.segment
        return seg_id.get(name_key(name)) if name else None

    def ren(name: str, segment: str | None) -> str:
        return matcher.rename(name, sid(segment))

    out = dataclasses.replace(plan, touchpoints={}, observations=[], transitions=[],
                              journeys={})
    for segment, names in plan.touchpoints.items():
        for n in names:
            out.saw(segment, ren(n, segment))
    for o in plan.observations:
        tp = None if o.touchpoint is None else ren(o.touchpoint, o.segment)
        out.observations.append(dataclasses.replace(o, touchpoint=tp))
    arrows: dict[tuple[str | None, str, str], TransitionFact] = {}
    for t in plan.transitions:
        key = (t.segment, ren(t.source, t.segment), ren(t.target, t.segment))
        if key in arrows:
            arrows[key].count += t.count
            arrows[key].median_seconds = None
        else:
            arrows[key] = TransitionFact(*key, t.count, t.median_seconds)
    out.transitions = list(arrows.values())
    for segment, j in plan.journeys.items():
        out.journeys[segment] = _journeys(j, lambda n, s=segment: ren(n, s))
    return out


def _journeys(j: SegmentJourneys, r: Callable[[str], str]) -> SegmentJourneys:
    """A segment's journeys with names renamed. Journeys through a card that two names reach
    are added up, which counts a journey visiting both twice: fine for the chain and variants
    files (whose names are their own), an event log is mapped before it is aggregated."""
    chain: dict[tuple[str | None, str | End], int] = defaultdict(int)
    for (a, b), k in j.chain.items():
        chain[(None if a is None else r(a), r(b) if isinstance(b, str) else b)] += k
    through: dict[str, tuple[int, int]] = {}
    for n, (k, c) in j.through.items():
        old = through.get(r(n), (0, 0))
        through[r(n)] = (old[0] + k, old[1] + c)

    def variants(vs: list[Variant]) -> list[Variant]:
        # A path cut at 30 events and a path of exactly those 30 are two variants (DESIGN.md).
        merged: dict[tuple[tuple[str, ...], bool], Variant] = {}
        for v in vs:
            path = tuple(r(n) for n in v.path)
            if (path, v.cut) in merged:
                merged[path, v.cut].journeys += v.journeys
                merged[path, v.cut].converted += v.converted
            else:
                merged[path, v.cut] = Variant(path, v.journeys, v.converted, v.cut)
        return sorted(merged.values(), key=lambda v: -v.journeys)

    def paths(ps: dict[str, list[tuple[tuple[str, str], int]]]
              ) -> dict[str, list[tuple[tuple[str, str], int]]]:
        return {r(n): [((r(u), r(v)), k) for (u, v), k in pairs] for n, pairs in ps.items()}

    return SegmentJourneys(dict(chain), j.journeys, j.converted, through,
                           variants(j.variants), variants(j.variants_lost), paths(j.paths_in),
                           paths(j.paths_out), {r(n): k for n, k in j.visiting.items()})


# -- rows the user chose to skip ----------------------------------------------------------

NAME_FIELDS = ("touchpoint", "from_touchpoint", "to_touchpoint")


def _skipped_keys(names: Iterable[str]) -> set[str]:
    """An empty name skips nothing: an empty cell is a journey's start or end, not a name."""
    return {key for n in names if (key := name_key(n))}


def without_skipped(table: Table, options: ImportOptions, build: Callable[[Table], Plan]
                    ) -> Plan:
    """``build(table)``, less the rows naming a touchpoint in ``options.skip_names`` (a path
    of a variants file naming one is such a row): built again without them, which are
    counted as read and set aside, never as bad rows."""
    keys = _skipped_keys(options.skip_names)
    pristine = copy.deepcopy(table.problems) if keys else None
    plan = build(table)
    if not keys:
        return plan
    from journeymapper.importers.variants_import import SEPARATOR

    cols = [table.headers.index(c) for c, f in plan.mapping.items() if f in NAME_FIELDS]
    paths = [table.headers.index(c) for c, f in plan.mapping.items() if f == "path"]

    def named(cells: list[Any]) -> bool:
        return any(name_key(str(cells[i] or "")) in keys for i in cols) or any(
            name_key(n) in keys for i in paths for n in str(cells[i] or "").split(SEPARATOR))

    kept = [(number, cells) for number, cells in table.rows if not named(cells)]
    dropped = len(table.rows) - len(kept)
    if not dropped:
        return plan
    plan = build(dataclasses.replace(table, rows=kept, problems=pristine))
    plan.rows_read += dropped
    plan.rows_set_aside = dropped
    return plan


def drop_skipped(con: Any, column: str, names: list[str]) -> int:
    """Delete an event log's rows (DuckDB table ``raw``) whose ``column`` names a touchpoint
    in ``names`` before anything counts them; returns how many there were."""
    keys = _skipped_keys(names)
    if not keys:
        return 0
    values = [v for v, in con.execute(f"SELECT DISTINCT {column} FROM raw").fetchall()
              if v is not None and name_key(v) in keys]
    if not values:
        return 0
    marks = ", ".join("?" * len(values))
    count, = con.execute(f"SELECT count(*) FROM raw WHERE {column} IN ({marks})",
                         values).fetchone()
    con.execute(f"DELETE FROM raw WHERE {column} IN ({marks})", values)
    return int(count)


def stored_aliases(pf: ProjectFile, options: ImportOptions) -> list[tuple[str, str]]:
    """The (touchpoint id, name) pairs an import's --alias options store: the named card in
    --segment, or in every segment that has it."""
    cards = pf.touchpoints()
    seg = None
    if options.segment:
        seg = next((s.id for s in pf.segments()
                    if name_key(s.name) == name_key(options.segment)), None)
    return [(t.id, raw) for raw, target in options.aliases for t in cards
            if name_key(t.name) == name_key(target) and seg in (None, t.segment_id)]


def goal_spellings(pf: ProjectFile, options: ImportOptions,
                   goals: list[Touchpoint]) -> set[str]:
    """The aliases (stored and --alias) of goal cards: a chain file naming a goal by its
    alias still converts there."""
    ids = {t.id for t in goals}
    keys = {name_key(t.name) for t in goals}
    return ({a.name for a in aliases(pf) if a.touchpoint_id in ids}
            | {raw for raw, target in options.aliases if name_key(target) in keys})
