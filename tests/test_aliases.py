"""Names that differ (issue 19): a client's export meets a workshop's cards through aliases
(--alias, kept in the project, following the card's id) and rules (--rules, shell-style
patterns for click streams), and a name matched by neither is unknown as before."""

from __future__ import annotations

import csv
import fnmatch
import hashlib
import json
import random
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from journeymapper.cli import main
from journeymapper.commands.pipeline import import_file
from journeymapper.importers.options import ImportOptions
from journeymapper.model import name_key
from journeymapper.model.journeys import End
from journeymapper.storage import ProjectFile
from journeymapper.storage.aliases import aliases, rules

# Cards of the retail banking template (both segments have these three).
EXPORT = ("touchpoint;csat;period\n"
          "Tel.-Banking;3,2;2026-Q1\n"
          "Hotline Vertrieb;3,6;2026-Q1\n"
          "Online-Antrag;3,9;2026-Q1\n"
          "Chat bot;4,1;2026-Q1\n")
ALIASES = ["Tel.-Banking=Phone banking", "Hotline Vertrieb=Welcome call",
           "Online-Antrag=Online application"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    path = tmp_path / "bank.jmap"
    assert main(["new", str(path), "--template", "retail banking"]) == 0
    return path


def values(path: Path, metric: str) -> dict[tuple[str, str, str | None], float]:
    """{(segment, card, period): value} of ``metric``."""
    with ProjectFile.open(path, read_only=True) as pf:
        seg = {s.id: s.name for s in pf.segments()}
        tp = {t.id: t.name for t in pf.touchpoints()}
        return {(seg[o.segment_id], tp[o.touchpoint_id], o.period): o.value
                for o in pf.observations() if o.metric_key == metric and o.touchpoint_id}


def cards(path: Path) -> list[tuple[str, str]]:
    with ProjectFile.open(path, read_only=True) as pf:
        return sorted((t.segment_id, t.name) for t in pf.touchpoints())


def test_an_export_with_other_names_lands_on_the_existing_cards(bank: Path,
                                                                tmp_path: Path) -> None:
    before = cards(bank)
    data = write(tmp_path / "kpi_q1.csv", EXPORT)
    args = ["import", str(bank), str(data), "--kind", "metrics"]
    for a in ALIASES:
        args += ["--alias", a]
    assert main(args) == 0
    assert cards(bank) == before  # no new card
    got = values(bank, "csat")
    assert got == {
        ("Students", "Phone banking", "2026-Q1"): 3.2,
        ("Families", "Phone banking", "2026-Q1"): 3.2,
        ("Families", "Welcome call", "2026-Q1"): 3.6,  # only Families has the welcome call
        ("Students", "Online application", "2026-Q1"): 3.9,
        ("Families", "Online application", "2026-Q1"): 3.9,
        ("Students", "Chatbot", "2026-Q1"): 4.1,  # case and spaces aside: the card's name
    }
    with ProjectFile.open(bank, read_only=True) as pf:
        stored = sorted({a.name for a in aliases(pf)})
        export = tmp_path / "bank.json"
    assert stored == ["Hotline Vertrieb", "Online-Antrag", "Tel.-Banking"]
    assert main(["export", str(bank), "--format", "json", "-o", str(export)]) == 0
    listed = {(s["name"], t["name"]): t["aliases"]
              for s in json.loads(export.read_text())["segments"] for t in s["touchpoints"]}
    assert listed[("Families", "Phone banking")] == ["Tel.-Banking"]
    assert listed[("Students", "Chatbot")] == []

    # The next period: the same names, no alias given.
    q2 = write(tmp_path / "kpi_q2.csv", EXPORT.replace("2026-Q1", "2026-Q2")
               .replace("3,2", "2,8"))
    assert main(["import", str(bank), str(q2), "--kind", "metrics"]) == 0
    assert cards(bank) == before
    assert values(bank, "csat")[("Students", "Phone banking", "2026-Q2")] == 2.8

    # The card renamed after its alias was stored: the alias follows its id.
    with ProjectFile.open(bank) as pf:
        for t in pf.touchpoints():
            if t.name == "Phone banking":
                pf.update("touchpoint", t.id, name="Telephone banking")
    q3 = write(tmp_path / "kpi_q3.csv", EXPORT.replace("2026-Q1", "2026-Q3")
               .replace("3,2", "2,5"))
    assert main(["import", str(bank), str(q3), "--kind", "metrics"]) == 0
    got = values(bank, "csat")
    assert got[("Students", "Telephone banking", "2026-Q3")] == 2.5
    assert got[("Families", "Telephone banking", "2026-Q3")] == 2.5
    assert len(cards(bank)) == len(before)


def test_transitions_of_two_spellings_of_one_card_are_added_up(bank: Path,
                                                               tmp_path: Path) -> None:
    data = write(tmp_path / "flow.csv",
                 "segment,from,to,count\n"
                 "Families,Filialbesuch,Branch appointment,40\n"
                 "Families,Branch visit,Branch appointment,10\n"
                 "Families,Filialbesuch,Filiale Beratung,5\n")
    assert main(["import", str(bank), str(data), "--kind", "transitions",
                 "--alias", "Filialbesuch=Branch visit",
                 "--alias", "Filiale Beratung=Branch advice"]) == 0
    with ProjectFile.open(bank, read_only=True) as pf:
        tp = {t.id: t.name for t in pf.touchpoints()}
        counts = {(tp[t.source_id], tp[t.target_id]): t.count for t in pf.transitions()
                  if t.count is not None}
    assert counts == {("Branch visit", "Branch appointment"): 50,
                      ("Branch visit", "Branch advice"): 5}


def test_the_import_that_gives_an_alias_is_undone_with_it(bank: Path, tmp_path: Path) -> None:
    data = write(tmp_path / "kpi.csv", EXPORT)
    with ProjectFile.open(bank) as pf:
        before = pf.dump()
        op, _ = import_file(pf, data, ImportOptions(
            kind="metrics", aliases=[tuple(a.split("=")) for a in ALIASES]))
        assert len(aliases(pf)) == 5  # Phone banking and Online application: both segments
        assert op is not None
        op.undo()
        assert pf.dump() == before


# -- a click stream: 3,000 URLs, ten touchpoints ------------------------------------------

RULES = [("/", "Home"), ("/?utm*", "Home"), ("/product/*", "Product page"),
         ("/category/*", "Category page"), ("/search?q=*", "Search"), ("/cart*", "Cart"),
         ("/checkout/step-?", "Checkout"), ("/checkout/done*", "Order confirmed"),
         ("/account/*", "Account"), ("/help/*", "Help centre"), ("/blog/*", "Blog")]


def click_stream(path: Path, events: int = 50_000, customers: int = 5_000) -> list[str]:
    """A log whose touchpoint column is a URL of 3,000 distinct ones; returns the URLs."""
    rng = random.Random(19)
    urls = (["/", "/?utm_source=tv", "/?UTM_source=mail"]
            + [f"/product/{i}-{rng.choice(['red', 'blue'])}" for i in range(2_000)]
            + [f"/category/c{i}" for i in range(300)]
            + [f"/search?q=term{i}" for i in range(300)]
            + [f"/cart?session={i}" for i in range(100)]
            + [f"/checkout/step-{i}" for i in range(1, 5)]
            + [f"/checkout/done?order={i}" for i in range(93)]
            + [f"/account/{i}" for i in range(100)]
            + [f"/help/article-{i}" for i in range(50)]
            + [f"/blog/post-{i}" for i in range(50)])
    assert len(set(urls)) == 3_000
    start = datetime(2026, 3, 1)
    rows = []
    for i in range(events):
        customer = i % customers
        rows.append((f"c{customer}", urls[i] if i < len(urls) else rng.choice(urls),
                     (start + timedelta(minutes=i // customers, seconds=customer))
                     .isoformat(sep=" ")))
    rng.shuffle(rows)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["customer_id", "page", "timestamp"])
        w.writerows(rows)
    return urls


def expected_transitions(path: Path) -> Counter[tuple[str, str]]:
    """Directly-follows pairs of each customer's events in time order, URLs mapped by the
    first rule whose pattern matches (case aside): counted here without the app's code."""
    def card(url: str) -> str:
        return next(t for p, t in RULES if fnmatch.fnmatchcase(url.lower(), p.lower()))

    journeys: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            journeys[row["customer_id"]].append((row["timestamp"], card(row["page"])))
    counts: Counter[tuple[str, str]] = Counter()
    for events in journeys.values():
        events.sort()
        counts.update(zip([e[1] for e in events], [e[1] for e in events[1:]], strict=False))
    return counts


def test_a_click_stream_of_3000_urls_becomes_its_ten_touchpoints(tmp_path: Path) -> None:
    project = tmp_path / "shop.jmap"
    assert main(["new", str(project)]) == 0
    log = tmp_path / "clicks.csv"
    click_stream(log)
    rules_csv = tmp_path / "rules.csv"
    with rules_csv.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([("pattern", "touchpoint"), *RULES])
    assert main(["import", str(project), str(log), "--kind", "events", "--rules",
                 str(rules_csv), "--create-missing", "Shop", "--goal", "Order confirmed"]) == 0
    with ProjectFile.open(project, read_only=True) as pf:
        tp = {t.id: t for t in pf.touchpoints()}
        got = {(tp[t.source_id].name, tp[t.target_id].name): t.count for t in pf.transitions()}
        stored = [(r.pattern, r.touchpoint_name) for r in rules(pf)]
        channels = {t.name: t.channel for t in tp.values()}
    assert sorted(channels) == sorted({t for _, t in RULES})  # ten cards, not 3,000
    assert got == dict(expected_transitions(log))
    assert got[("Product page", "Product page")] > 0  # two product URLs in a row: a repeat
    assert stored == RULES
    assert channels["Product page"] == "web" and channels["Cart"] == "other"

    # A later file of raw names: the stored rules map it, no --rules given.
    kpi = write(tmp_path / "page_kpis.csv", "touchpoint,csat\n/product/77-RED,4\n/Cart?x=1,2\n")
    assert main(["import", str(project), str(kpi), "--kind", "metrics"]) == 0
    assert values(project, "csat") == {("All customers", "Product page", None): 4.0,
                                       ("All customers", "Cart", None): 2.0}


def test_a_wide_rule_does_not_take_the_card_a_narrower_one_names(tmp_path: Path) -> None:
    project = tmp_path / "site.jmap"
    assert main(["new", str(project)]) == 0
    # An event log's names are mapped before it is aggregated, then its plan meets the cards.
    data = write(tmp_path / "clicks.csv", "customer,page,timestamp\n"
                 "a,/start,2026-03-01 10:00\na,/home-page,2026-03-01 10:01\n"
                 "a,/p/1,2026-03-01 10:02\nb,/start,2026-03-01 11:00\n")
    rules_csv = write(tmp_path / "rules.csv", "pattern,touchpoint\n/p/*,Product page\n"
                                              "/home*,Home page\n*page*,Product page\n"
                                              "/start,Start\n")
    assert main(["import", str(project), str(data), "--kind", "events", "--rules",
                 str(rules_csv), "--create-missing", "Site"]) == 0
    with ProjectFile.open(project, read_only=True) as pf:
        tp = {t.id: t.name for t in pf.touchpoints()}
        got = {(tp[t.source_id], tp[t.target_id]): t.count for t in pf.transitions()}
    assert got == {("Start", "Home page"): 1, ("Home page", "Product page"): 1}


# -- bad input: exit 2 naming file, row and column; the project unchanged ------------------

@pytest.mark.parametrize(("rules_text", "where"), [
    ("pattern,touchpoint\n/product/*,Online application\n/shop/[abc,Online application\n",
     "rules.csv, row 3, column 'pattern': pattern '/shop/[abc' has an unclosed '['"),
    ("pattern;touchpoint\n/a/*;Online application\n;Chatbot\n",
     "rules.csv, row 3, column 'pattern': an empty pattern"),
    ("pattern,touchpoint\n/a/*,Online application\n/b/*,\n",
     "rules.csv, row 3, column 'touchpoint': no touchpoint"),
    ("pattern,touchpoint\n/a/*,Online application\n\n/b/*,Kassenbereich\n",
     "rules.csv, row 4, column 'touchpoint': touchpoint 'Kassenbereich' is in no segment"),
    ("muster,ziel\n/a/*,Chatbot\n", "rules.csv, row 1: has no pattern and no touchpoint"),
])
def test_a_bad_rules_file_is_refused(bank: Path, tmp_path: Path, capsys, rules_text: str,
                                     where: str) -> None:
    data = write(tmp_path / "kpi.csv", EXPORT)
    rules_csv = write(tmp_path / "rules.csv", rules_text)
    before = sha(bank)
    assert main(["import", str(bank), str(data), "--kind", "metrics", "--rules",
                 str(rules_csv)] + [x for a in ALIASES for x in ("--alias", a)]) == 2
    assert where in capsys.readouterr().err
    assert sha(bank) == before


@pytest.mark.parametrize(("alias", "where"), [
    ("Tel.-Banking=Telefonbanking", "--alias, row 2, column 'TOUCHPOINT': 'Tel.-Banking'="
                                    "'Telefonbanking': the project has no card named"),
    ("Tel.-Banking", "--alias 'Tel.-Banking': write it as"),
    ("=Phone banking", "--alias '=Phone banking': write it as"),
])
def test_an_alias_to_a_card_that_does_not_exist_is_refused(bank: Path, tmp_path: Path, capsys,
                                                           alias: str, where: str) -> None:
    data = write(tmp_path / "kpi.csv", EXPORT)
    before = sha(bank)
    assert main(["import", str(bank), str(data), "--kind", "metrics",
                 "--alias", ALIASES[0], "--alias", alias]) == 2
    assert where in capsys.readouterr().err
    assert sha(bank) == before


def test_an_alias_to_a_card_of_another_segment_is_refused_with_segment(
        bank: Path, tmp_path: Path, capsys) -> None:
    data = write(tmp_path / "kpi.csv", "touchpoint,csat\nWillkommensanruf,4\n")
    before = sha(bank)
    assert main(["import", str(bank), str(data), "--kind", "metrics", "--segment", "Students",
                 "--alias", "Willkommensanruf=Welcome call"]) == 2
    assert "no card named 'Welcome call' in segment 'Students'" in capsys.readouterr().err
    assert sha(bank) == before


def test_a_name_matched_by_nothing_is_unknown_as_before(bank: Path, tmp_path: Path,
                                                        capsys) -> None:
    data = write(tmp_path / "kpi.csv", EXPORT)
    before = sha(bank)
    assert main(["import", str(bank), str(data), "--kind", "metrics",
                 "--alias", ALIASES[0]]) == 2
    err = capsys.readouterr().err
    assert "'Hotline Vertrieb' in any segment" in err and "Tel.-Banking" not in err
    assert sha(bank) == before
    assert name_key("Chat bot") == name_key("Chatbot")


def test_a_journey_chain_reaches_a_goal_card_by_its_alias(bank: Path, tmp_path: Path) -> None:
    with ProjectFile.open(bank) as pf:
        for t in pf.touchpoints():
            if t.name == "Online application":
                pf.update("touchpoint", t.id, goal=True)
    data = write(tmp_path / "chain.csv",
                 "segment,from,to,count\n"
                 "Students,,Social-Media-Anzeige,100\n"
                 "Students,Social-Media-Anzeige,Online-Antrag,30\n"
                 "Students,Social-Media-Anzeige,,70\n")
    assert main(["import", str(bank), str(data), "--kind", "chain",
                 "--alias", "Social-Media-Anzeige=Social ad",
                 "--alias", "Online-Antrag=Online application"]) == 0
    with ProjectFile.open(bank, read_only=True) as pf:
        students = next(s.id for s in pf.segments() if s.name == "Students")
        tp = {t.id: t.name for t in pf.touchpoints()}
        journeys = pf.journeys()[students]
        assert len(pf.touchpoints()) == 21
    assert (journeys.journeys, journeys.converted) == (100, 30)
    assert {(tp.get(a), b if not isinstance(b, str) else tp[b]): k
            for (a, b), k in journeys.chain.items()} == {
        (None, "Social ad"): 100, ("Social ad", End.CONVERTED): 30, ("Social ad", End.LOST): 70}
