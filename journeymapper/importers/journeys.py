"""The journey aggregates of an event log (DESIGN.md, "Which touchpoint killed the sale"),
computed by DuckDB on the events that importers/events.py loaded: counts only, no customer id
leaves the database.

One grouped query over the import's own window pass (:func:`events_sql`; the log is neither read
nor sorted again): each journey's touchpoints in order become a list, and a journey counts
whole in the segment of its first event (where the import counts a journey and its
conversion; a move of the chain is not split from its journey as a transition is). From those
lists: the journey chain (start → the pre-goal path's events → converted or lost), the
journeys through each touchpoint before their goal (the lift), the variants (sequences cut to
30 events and marked) and the most frequent two-step paths into and out of each touchpoint
(counted in distinct journeys).
"""

from __future__ import annotations

from typing import Any

from journeymapper.model import name_key
from journeymapper.model.journeys import (
    MAX_VARIANT_LENGTH,
    PATHS_KEPT,
    VARIANTS_KEPT,
    VARIANTS_LOST_KEPT,
    End,
    SegmentJourneys,
    Variant,
)
from journeymapper.storage import ProjectFile
from journeymapper.storage.journeys import rows_of as journey_rows


def _groups(source: str) -> str:
    """Journeys with the same touchpoints, goal and segments, counted once with their number:
    a log of 1M events has a few thousand such groups, not 200,000 journeys. Columns seg (the
    first event's segment), path, segs (each event's segment), conv (reaches a goal), k (the
    length of the pre-goal path), n (journeys).

    Building every journey's lists cost more than the rest of the attribution together, so
    journeys are grouped by a fingerprint first: two order-free sums over their events of a
    hash of (step, touchpoint, segment, goal hit), one XOR of the hashes mixed again, one
    arithmetic sum (DuckDB combines a row's hashes by XOR, so the hash of each event is
    mixed before the XOR: else swapping two touchpoints would not show). Two different
    journeys share both with a chance of about 2**-128. Only one journey of each group then
    has its lists built, in order of the window pass's step."""
    return f"""
    WITH j AS (SELECT customer, bit_xor(hash(e)) AS f1, sum(e::HUGEINT) AS f2
               FROM (SELECT customer, hash(step, tp, segment, hit) AS e FROM {source})
               GROUP BY customer),
    one AS (SELECT any_value(customer) AS customer, count(*) AS n FROM j GROUP BY f1, f2),
    lists AS (SELECT customer, list_select(list(tp), list_grade_up(list(step))) AS path,
                     list_select(list(segment), list_grade_up(list(step))) AS segs,
                     min(step) FILTER (WHERE hit) AS first_goal
              FROM {source} WHERE customer IN (SELECT customer FROM one) GROUP BY customer)
    SELECT segs[1]::VARCHAR AS seg, path, segs, first_goal IS NOT NULL AS conv,
           coalesce(first_goal - 1, len(path)) AS k, n
    FROM one JOIN lists USING (customer)"""


def journeys_sql(groups: str, with_chain: bool) -> str:
    """One statement over ``groups`` (see _groups): rows (what, segment, path, cut, journeys,
    converted).

    A journey's list holds its touchpoints as the pass has them (an ENUM of a byte or two
    where events.py could make one), so that the lists of a large log fit in memory. Names
    become text only once counted, for the order of ties (by name)."""
    n = MAX_VARIANT_LENGTH

    def text(items: str) -> str:
        return f"[x::VARCHAR for x in {items}]"

    return f"""
    WITH g AS MATERIALIZED ({groups}),
    v AS (SELECT seg, {text('path')} AS path, cut, journeys, converted
          FROM (SELECT seg, path[1:{n}] AS path, len(path) > {n} AS cut, sum(n) AS journeys,
                       coalesce(sum(n) FILTER (WHERE conv), 0) AS converted
                FROM g GROUP BY ALL)),
    c AS (SELECT seg, m.a::VARCHAR AS a, m.b::VARCHAR AS b, m.e AS e, sum(n) AS journeys
          FROM (SELECT seg, n, unnest([{{'a': path[i], 'b': CASE WHEN i < k THEN path[i + 1] END,
                                        'e': CASE WHEN i < k THEN NULL WHEN conv
                                             THEN 'converted' ELSE 'lost' END}}
                                       for i in range(0, k + 1)]) AS m
                FROM g WHERE {with_chain})
          GROUP BY ALL),
    t AS (SELECT seg, tri[1]::VARCHAR AS a, tri[2]::VARCHAR AS b, tri[3]::VARCHAR AS c,
                 sum(n) AS journeys
          FROM (SELECT seg, n, unnest(list_distinct(
                    [[path[i], path[i + 1], path[i + 2]] for i in range(1, len(path) - 1)]))
                    AS tri FROM g)
          GROUP BY ALL)
    (SELECT 'variant', seg, path, cut, journeys, converted FROM v
     QUALIFY row_number() OVER (PARTITION BY seg ORDER BY journeys DESC, path, cut)
             <= {VARIANTS_KEPT})
    UNION ALL
    (SELECT 'lost', seg, path, cut, journeys - converted, 0 FROM v WHERE journeys > converted
     QUALIFY row_number() OVER (PARTITION BY seg ORDER BY journeys - converted DESC, path, cut)
             <= {VARIANTS_LOST_KEPT})
    UNION ALL
    (SELECT 'through', seg, [tp::VARCHAR], NULL, sum(n), coalesce(sum(n) FILTER (WHERE conv), 0)
     FROM (SELECT seg, conv, n, unnest(list_distinct(path[1:k])) AS tp FROM g) GROUP BY seg, tp)
    UNION ALL
    (SELECT 'journeys', seg, NULL, NULL, sum(n), coalesce(sum(n) FILTER (WHERE conv), 0)
     FROM g GROUP BY seg)
    UNION ALL
    (SELECT 'visiting', x.s::VARCHAR, [x.t::VARCHAR], NULL, sum(n), NULL
     FROM (SELECT n, unnest(list_distinct([{{'s': segs[i], 't': path[i]}}
                                           for i in range(1, len(path) + 1)])) AS x FROM g)
     GROUP BY x.s, x.t)
    UNION ALL
    (SELECT 'move', seg, [a, b, e], NULL, journeys, NULL FROM c)
    UNION ALL
    (SELECT 'in', seg, [c, a, b], NULL, journeys, NULL FROM t
     QUALIFY row_number() OVER (PARTITION BY seg, c ORDER BY journeys DESC, a, b)
             <= {PATHS_KEPT})
    UNION ALL
    (SELECT 'out', seg, [a, b, c], NULL, journeys, NULL FROM t
     QUALIFY row_number() OVER (PARTITION BY seg, a ORDER BY journeys DESC, b, c)
             <= {PATHS_KEPT})"""


def events_sql(source: str, with_chain: bool) -> str:
    """The journeys' statement (rows as :func:`collect` reads them) over the events
    ``source``, a table or CTE with columns customer, tp, segment, step (the event's place in
    its journey, from 1) and hit, bad rows left out. ``with_chain`` False (no goal: every
    journey would be lost): no chain."""
    return journeys_sql(_groups(source), with_chain)


def collect(found: list[tuple[Any, ...]]) -> dict[str, SegmentJourneys]:
    """The rows of the journeys' statement as each segment's journeys."""
    out: dict[str, SegmentJourneys] = {}
    ends = {"converted": End.CONVERTED, "lost": End.LOST}
    for what, segment, path, cut, journeys, converted in found:
        s = out.setdefault(segment, SegmentJourneys())
        if what == "move":
            a, b, e = path
            s.chain[(a, ends[e] if e else b)] = int(journeys)
        elif what == "variant":
            s.variants.append(Variant(tuple(path), int(journeys), int(converted), bool(cut)))
        elif what == "lost":
            s.variants_lost.append(Variant(tuple(path), int(journeys), 0, bool(cut)))
        elif what == "through":
            s.through[path[0]] = (int(journeys), int(converted))
        elif what == "journeys":
            s.journeys, s.converted = int(journeys), int(converted)
        elif what == "visiting":
            s.visiting[path[0]] = int(journeys)
        else:
            paths = s.paths_in if what == "in" else s.paths_out
            paths.setdefault(path[0], []).append(((path[1], path[2]), int(journeys)))
    # SQL's order within each kind is lost by UNION ALL: restore it.
    for s in out.values():
        s.variants.sort(key=lambda v: (-v.journeys, v.path, v.cut))
        s.variants_lost.sort(key=lambda v: (-v.journeys, v.path, v.cut))
        for paths in (s.paths_in, s.paths_out):
            for tp in paths:
                paths[tp].sort(key=lambda e: (-e[1], e[0]))
    return out


def store(project_file: ProjectFile, facts: dict[str, SegmentJourneys],
          import_id: str) -> None:
    """Write an import's journeys (segments and touchpoints by name) into the project, inside
    the import's transaction. A name the segment lacks (a journey that moved to another
    segment on the way visits touchpoints its first segment may not have) drops what names
    it: a variant or path through it, its lift, its moves."""

    segments = {name_key(s.name): s.id for s in project_file.segments()}
    ids: dict[str, dict[str, str]] = {}
    for t in project_file.touchpoints():
        ids.setdefault(t.segment_id, {})[name_key(t.name)] = t.id
    for name, s in sorted(facts.items()):
        segment_id = segments.get(name_key(name))
        if segment_id is None:
            continue
        known = ids.get(segment_id, {})

        def tp(n: str | None, known: dict[str, str] = known) -> str | None:
            return None if n is None else known.get(name_key(n))

        chain: dict[tuple[str | None, str | End], int] = {}
        for (a, b), k in s.chain.items():
            a_id, b_id = tp(a), tp(b) if isinstance(b, str) else b
            if (a is None or a_id) and b_id:
                chain[(a_id, b_id)] = chain.get((a_id, b_id), 0) + k
        out = SegmentJourneys(chain, s.journeys, s.converted)
        for n, counts in s.through.items():
            if tp(n):
                out.through[tp(n)] = counts
        for listed, into in ((s.variants, out.variants), (s.variants_lost, out.variants_lost)):
            for v in listed:
                path = [tp(n) for n in v.path]
                if all(path):
                    into.append(Variant(tuple(path), v.journeys, v.converted, v.cut))
        for by_name, by_id in ((s.paths_in, out.paths_in), (s.paths_out, out.paths_out)):
            for n, listed in by_name.items():
                kept = [((tp(u), tp(v)), k) for (u, v), k in listed if tp(u) and tp(v)]
                if tp(n) and kept:
                    by_id[tp(n)] = kept
        for table, rows in journey_rows(segment_id, out, import_id).items():
            project_file.insert_rows(table, rows)


def touchpoint_names(journeys: SegmentJourneys) -> list[str]:
    """Every touchpoint ``journeys`` names, in first-seen order of its chain, then the rest."""
    names: dict[str, None] = {}
    for pair in journeys.chain:
        names.update((n, None) for n in pair if isinstance(n, str))
    for v in journeys.variants + journeys.variants_lost:
        names.update((n, None) for n in v.path)
    for by_tp in (journeys.paths_in, journeys.paths_out):
        for tp, listed in by_tp.items():
            names[tp] = None
            for pair, _ in listed:
                names.update((n, None) for n in pair)
    names.update((n, None) for n in journeys.through)
    return list(names)
