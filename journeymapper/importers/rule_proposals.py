"""Rules proposed from the names a file has and the project lacks (issue 19): a click stream's
"/product/123", "/product/456" … share a shape, and one rule ``/product/*`` maps them all to a
card. The wizard's matching step lists these proposals (how many names and rows each takes)
for the user to accept, edit or reject; nothing here writes.

A name's shape: its path segments, a segment holding digits cut to the letters before them
("post-12" → "post-*", "123" → "*"), a query string ("?utm=…") a wildcard. Shapes that differ
in one segment only, with at least :data:`MERGE_MIN` values there, become one ("/shop/a/…",
"/shop/b/…", "/shop/c/…" → "/shop/*/…"). A pattern without a word of its own ("/*") is never
proposed: it would take every name.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from journeymapper.importers import kinds
from journeymapper.importers.matching import compile_pattern
from journeymapper.importers.plan import Plan
from journeymapper.model import name_key

MIN_NAMES = 3  # a proposal takes at least this many names: fewer are mapped one by one
MERGE_MIN = 3  # distinct values in one segment before it becomes a wildcard
WORD = re.compile(r"[^\W\d_]{2,}")
LOCALE = re.compile(r"[a-z]{2}(?:-[a-z]{2})?")  # /de/, /en-gb/: not what a page is about
NOT_WORDS = frozenset({"www", "html", "htm", "php", "aspx", "jsp", "index"})
SITE = re.compile(r"^[a-z][a-z0-9+.-]*://[^/]*")  # scheme and host: every URL of a site has them


@dataclass
class Proposal:
    """``names`` (the unknown names the pattern takes, in the order given) are on ``rows``
    rows of the file; ``target`` is the card suggested: a card of the project when
    ``existing``, else the name of a new one."""

    pattern: str
    target: str
    existing: bool
    names: list[str] = field(default_factory=list)
    rows: int = 0


def rows_by_name(plan: Plan) -> dict[str, int]:
    """{name_key: rows of the file naming it}: an event log's visits (a row per event), else
    the rows of values naming it (a survey's answers where its values are aggregates) and of
    transition counts."""
    visits: Counter[str] = Counter()
    rows: dict[str, set[object]] = defaultdict(set)
    answers: Counter[str] = Counter()
    for o in plan.observations:
        if o.touchpoint is None:
            continue
        key = name_key(o.touchpoint)
        if o.metric == "visits":
            visits[key] += int(o.value)
        elif o.row is not None:
            rows[key].add(o.row)
        else:
            answers[key] = max(answers[key], o.n or 1)
    if plan.kind == kinds.EVENTS.name:
        return dict(visits)
    for i, t in enumerate(plan.transitions):
        for key in {name_key(t.source), name_key(t.target)}:
            rows[key].add(("transition", i))
    return {k: max(len(rows.get(k, ())), answers.get(k, 0)) for k in rows.keys() | answers}


def _escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _segment(text: str) -> str:
    """A path segment as a pattern: digits and what follows them are a wildcard."""
    m = re.search(r"\d", text)
    if m is None:
        return _escape(text)
    head = text[:m.start()]
    return _escape(head) + "*" if len(head) >= 2 else "*"


def _shape(name: str) -> tuple[tuple[str, ...], bool]:
    """(pattern segments, whether the name has a query or fragment)."""
    key = name_key(name)
    cut = min((i for i in (key.find("?"), key.find("#")) if i >= 0), default=len(key))
    return tuple(_segment(s) for s in key[:cut].split("/")), cut < len(key)


def _words(pattern: str) -> list[str]:
    """The words of a pattern's path (not its site's scheme and host, which every URL of the
    site has; not a locale nor a file ending)."""
    path = SITE.sub("", pattern).replace("*", " ").replace("?", " ")
    return [w for w in WORD.findall(path) if not LOCALE.fullmatch(w) and w not in NOT_WORDS]


def _worded(segments: Iterable[str]) -> bool:
    return bool(_words("/".join(segments)))


def _merge(groups: dict[tuple[str, ...], list[int]]) -> dict[tuple[str, ...], list[int]]:
    """Shapes that differ in one segment (MERGE_MIN values or more there) made one, until no
    more merge; the wildcard goes where most shapes meet."""
    changed = True
    while changed:
        changed = False
        best: tuple[int, tuple[str, ...], list[tuple[str, ...]]] | None = None
        buckets: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
        for shape in groups:
            for i, part in enumerate(shape):
                if part != "*":
                    key = (*shape[:i], "*", *shape[i + 1:])
                    buckets[key].append(shape)
        for key, shapes in buckets.items():
            if len(shapes) >= MERGE_MIN and _worded(key) and (
                    best is None or len(shapes) > best[0]):
                best = (len(shapes), key, shapes)
        if best is not None:
            _, key, shapes = best
            merged = groups.pop(key, [])
            for shape in shapes:
                merged += groups.pop(shape)
            groups[key] = sorted(merged)
            changed = True
    return groups


def _pattern(segments: tuple[str, ...], queries: Sequence[bool]) -> str:
    text = "/".join(segments)
    if any(queries) and not text.endswith("*"):  # "/product/*" takes the query already
        text += "?*" if all(queries) else "*"
    return re.sub(r"\*+", "*", text)


def suggest_target(pattern: str, cards: Sequence[str]) -> tuple[str, bool]:
    """The card a pattern most likely means: one whose name has a word of the pattern's path
    (or a word that word begins, "vertrieb" → "Vertriebshotline"), the last word first
    ("/shop/*/product-*" is a product page), else a new card named after the path's first
    word (its section: "/checkout/step-*" → "Checkout"). Returns (name, whether it is an
    existing card)."""
    words = _words(pattern)
    for word in reversed(words):
        for card in cards:
            card_words = WORD.findall(name_key(card))
            if any(c == word or (len(word) >= 4 and c.startswith(word)) for c in card_words):
                return card, True
    return (words[0].capitalize() if words else pattern), False


def covered(patterns: Sequence[str], names: Sequence[str]) -> list[list[str]]:
    """The names each pattern takes, first match wins (as the import tries rules). A pattern
    that cannot be read raises InputError."""
    compiled = [compile_pattern(p) for p in patterns]
    out: list[list[str]] = [[] for _ in patterns]
    for name in names:
        key = name_key(name)
        for i, rx in enumerate(compiled):
            if rx.match(key):
                out[i].append(name)
                break
    return out


def propose(names: Sequence[str], rows: dict[str, int], cards: Sequence[str],
            min_names: int = MIN_NAMES) -> list[Proposal]:
    """Rules for ``names`` (unknown names of a file; ``rows``: rows per name_key) mapping to
    ``cards`` (the project's card names) or new cards: the most rows first, each taking the
    names the ones before it left (as the import will), at least ``min_names`` each."""
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    queries: list[bool] = []
    for i, name in enumerate(names):
        shape, query = _shape(name)
        groups[shape].append(i)
        queries.append(query)
    groups = _merge(dict(groups))
    found = []
    for shape, members in groups.items():
        if len(members) >= min_names and _worded(shape):
            pattern = _pattern(shape, [queries[i] for i in members])
            found.append((sum(rows.get(name_key(names[i]), 0) for i in members), pattern))
    found.sort(key=lambda f: (-f[0], f[1]))
    patterns = [p for _, p in found]
    out = []
    for pattern, taken in zip(patterns, covered(patterns, names), strict=True):
        if len(taken) >= min_names:
            target, existing = suggest_target(pattern, cards)
            out.append(Proposal(pattern, target, existing, taken,
                                sum(rows.get(name_key(n), 0) for n in taken)))
    # What each takes once the dropped ones are gone (their names fall to a later pattern).
    final = covered([p.pattern for p in out], names)
    for p, taken in zip(out, final, strict=True):
        p.names, p.rows = taken, sum(rows.get(name_key(n), 0) for n in taken)
    return out
