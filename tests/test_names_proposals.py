"""Rules proposed from a file's unknown names (importers/rule_proposals.py, no Qt): generated
click streams of several shapes (paths, whole URLs with a host, German paths, app screens,
store numbers), what each proposal takes checked against the pattern itself, and a stream
imported with the proposals as its rules file lands on the cards an independent count says."""

from __future__ import annotations

import csv
import fnmatch
import random
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from journeymapper.cli import main
from journeymapper.commands.pipeline import prepare
from journeymapper.importers.matching import compile_pattern
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.rule_proposals import covered, propose, rows_by_name
from journeymapper.model import name_key
from journeymapper.storage import ProjectFile

CARDS = ["Product page", "Checkout", "Vertriebshotline", "Web shop", "Help centre",
         "Store visit"]


def proposals_of(names: list[str], cards: list[str] = CARDS, rows: dict | None = None):  # noqa: ANN201
    rows = rows or {name_key(n): 1 for n in names}
    return {p.pattern: p for p in propose(names, rows, cards)}


def assert_sound(names: list[str], found: dict) -> None:  # noqa: ANN001
    """Each proposal takes only names its pattern matches (fnmatch, case aside), no name is
    taken twice, and the first pattern that matches a name is the one taking it."""
    seen: set[str] = set()
    order = list(found)
    for pattern, p in found.items():
        for n in p.names:
            assert fnmatch.fnmatchcase(name_key(n), pattern), (n, pattern)
            assert n not in seen
            seen.add(n)
    for n in names:
        first = next((q for q in order if fnmatch.fnmatchcase(name_key(n), q)), None)
        assert (first is None and n not in seen) or n in found[first].names


def test_paths_with_ids_become_one_rule_each_onto_the_card_their_words_name() -> None:
    rng = random.Random(4)
    names = (["/", "/?utm_source=tv", "/?utm_source=mail"]
             + [f"/product/{i}-{rng.choice(['red', 'blue'])}" for i in range(200)]
             + [f"/shop/{c}/product-{i}" for c in "abcdef" for i in range(3)]
             + [f"/checkout/step-{i}" for i in range(1, 5)]
             + [f"/search?q=term{i}" for i in range(40)]
             + [f"/help/article-{i}" for i in range(12)] + ["/help/contact", "/help/faq"])
    found = proposals_of(names)
    assert list(found) == ["/product/*", "/search?*", "/shop/*/product-*", "/help/*",
                           "/checkout/step-*"]  # most rows first
    assert (found["/product/*"].target, found["/product/*"].existing) == ("Product page", True)
    assert found["/shop/*/product-*"].target == "Product page"  # its last word: a product
    assert (found["/search?*"].target, found["/search?*"].existing) == ("Search", False)
    assert found["/help/*"].target == "Help centre"
    assert len(found["/help/*"].names) == 14  # three or more values in a segment: one rule
    assert not any(set(p) <= set("/*?") for p in found)  # never a rule taking every name
    assert_sound(names, found)


def test_whole_urls_german_paths_app_screens_and_store_numbers() -> None:
    names = ([f"https://www.example.de/de/produkt/{i}?ref=mail" for i in range(30)]
             + [f"https://www.example.de/de/vertrieb/{w}" for w in
                ("rueckruf", "termin", "angebot", "beratung")]
             + [f"app:screen:product:{i}" for i in range(5)]
             + [f"Store {i}" for i in (12, 15, 99)]
             + [f"https://www.example.de/x{i}" for i in range(9)])
    found = proposals_of(names)
    produkt = found["https://www.example.de/de/produkt/*"]
    assert len(produkt.names) == 30 and produkt.target == "Produkt" and not produkt.existing
    assert found["https://www.example.de/de/vertrieb/*"].target == "Vertriebshotline"
    assert found["app:screen:product:*"].target == "Product page"
    assert found["store*"].target == "Store visit"
    # The host is no word: nine pages that share only the site are not one rule.
    assert not any(p.startswith("https://www.example.de/*") or p.startswith(
        "https://www.example.de/x") for p in found)
    assert_sound(names, found)


@pytest.mark.parametrize("names", [
    ["Sales call", "Hotline Vertrieb", "Welcome email"],  # words, no shape in common
    ["/a1", "/b2", "/c3", "/d4"],  # a shape, but no word to call it by
    ["/product/1", "/product/2"],  # two names: mapped one by one
    [],
])
def test_no_rule_is_proposed_without_several_names_and_a_word(names: list[str]) -> None:
    assert proposals_of(names) == {}


def test_what_a_pattern_takes_is_first_match_wins() -> None:
    names = ["/product/1", "/product/1/reviews", "/cart"]
    assert covered(["/product/*/reviews", "/product/*"], names) == [
        ["/product/1/reviews"], ["/product/1"]]
    assert covered(["/PRODUCT/*", "/product/*/reviews"], names) == [
        ["/product/1", "/product/1/reviews"], []]


MAP = {"visitor": "customer", "url": "touchpoint"}


def click_stream(path: Path) -> tuple[list[tuple[str, str, str]], list[str]]:
    """An export with whole URLs (host, locale, query strings) of 700 distinct pages."""
    rng = random.Random(23)
    site = "https://shop.beispiel.de"
    urls = ([f"{site}/de/artikel/{i}?utm_campaign=s{i % 7}" for i in range(500)]
            + [f"{site}/de/kategorie/k{i}" for i in range(150)]
            + [f"{site}/de/kasse/schritt-{i}" for i in range(1, 4)]
            + [f"{site}/de/konto/{i}" for i in range(47)])
    start = datetime(2026, 6, 1)
    rows = []
    for c in range(400):
        visit = rng.sample(urls[:650], rng.randint(1, 4)) + (urls[650:653] if c % 3 else [])
        for i, url in enumerate(visit):
            rows.append((f"u{c}", url, (start + timedelta(minutes=c, seconds=i)).isoformat()))
    rows += [(f"u{c}", url, start.isoformat()) for c, url in enumerate(urls[653:], 1000)]
    rng.shuffle(rows)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["visitor", "url", "time"])
        w.writerows(rows)
    return rows, urls


def test_proposals_as_the_rules_of_an_import_give_the_counted_journeys(tmp_path: Path) -> None:
    project = tmp_path / "shop.jmap"
    assert main(["new", str(project)]) == 0
    log = tmp_path / "clicks.csv"
    rows, urls = click_stream(log)
    with ProjectFile.open(project) as pf:
        preview = prepare(pf, log, ImportOptions(kind="events", create_missing="Web",
                                                  overrides=MAP))
        assert not preview.errors, preview.errors
        plan = preview.plan
    per_name = rows_by_name(plan)
    assert sum(per_name.values()) == len(rows)  # an event log's rows are its visits
    assert per_name[name_key(urls[0])] == sum(1 for r in rows if r[1] == urls[0])
    found = propose(urls, per_name, [])
    site = "https://shop.beispiel.de/de"
    assert sorted((p.pattern, p.target, len(p.names)) for p in found) == [
        (f"{site}/artikel/*", "Artikel", 500), (f"{site}/kasse/schritt-*", "Kasse", 3),
        (f"{site}/kategorie/*", "Kategorie", 150), (f"{site}/konto/*", "Konto", 47)]
    assert [p.rows for p in found] == sorted((p.rows for p in found), reverse=True)
    for p in found:  # each proposal's rows, counted in the file
        assert p.rows == sum(1 for r in rows if r[1] in p.names)
    rules_csv = tmp_path / "rules.csv"
    with rules_csv.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([("pattern", "touchpoint"),
                                 *((p.pattern, p.target) for p in found)])
    assert main(["import", str(project), str(log), "--kind", "events", "--rules",
                 str(rules_csv), "--create-missing", "Web", "--map", "visitor=customer",
                 "--map", "url=touchpoint"]) == 0

    def card(url: str) -> str:
        return next(p.target for p in found if fnmatch.fnmatchcase(url.lower(), p.pattern))

    journeys: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for visitor, url, ts in rows:
        journeys[visitor].append((ts, card(url)))
    expected: Counter[tuple[str, str]] = Counter()
    for events in journeys.values():
        events.sort()
        expected.update(zip([e[1] for e in events], [e[1] for e in events[1:]], strict=False))
    with ProjectFile.open(project, read_only=True) as pf:
        tp = {t.id: t.name for t in pf.touchpoints()}
        got = {(tp[t.source_id], tp[t.target_id]): t.count for t in pf.transitions()}
    assert sorted(tp.values()) == sorted(p.target for p in found)  # four cards, not 700
    assert got == dict(expected)


SEGMENT = st.one_of(st.sampled_from(["product", "shop", "de", "hilfe", "a", "", "p-1"]),
                    st.from_regex(r"[a-z]{1,6}[-_]?[0-9]{0,4}", fullmatch=True),
                    st.from_regex(r"[0-9]{1,5}", fullmatch=True))
NAME = st.builds(lambda parts, query: "/" + "/".join(parts) + query,
                 st.lists(SEGMENT, min_size=1, max_size=4),
                 st.sampled_from(["", "?utm=tv", "#top", "?q=[x]"]))


@settings(max_examples=150, deadline=None)
@example(["/product/1", "/product/2?utm=tv", "/product/3#top", "/product/x1/a"], CARDS)
@example(["/shop/a/p-1", "/shop/b/p-2", "/shop/c/p-3", "/shop/[x]/p-4"], [])
@given(st.lists(NAME, max_size=60, unique_by=name_key), st.sampled_from([CARDS, []]))
def test_any_names_get_sound_proposals(names: list[str], cards: list[str]) -> None:
    """Whatever the names: each proposal takes at least three, only names its pattern matches,
    none twice, each the first pattern matching it; no pattern without a word; the patterns
    read (the import's own compile)."""
    found = proposals_of(names, cards)
    for p in found.values():
        assert len(p.names) >= 3
        assert any(c.isalpha() for c in p.pattern.replace("*", ""))
        compile_pattern(p.pattern)
    assert_sound(names, found)
