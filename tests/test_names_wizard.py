"""The wizard's matching step meets a click stream: it proposes rules from the URLs' patterns
(how many names and rows each takes), the user ticks, edits or rejects them, picks a card or
a new card, skips the rows of a name; the import stores the rules (one undoable step with it)
and a later file of the same kind of names needs no choice. Driven with clicks and keys; every
test reads the project file back from disk."""

from __future__ import annotations

import csv
import random
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWizard,
)
from ui_support import dump, isolate_settings, make_project, open_window, read

from journeymapper.storage.aliases import aliases, rules
from journeymapper.ui.importing.proposals import SKIP_ROWS
from journeymapper.ui.importing.wizard import PAGE_PREVIEW, PAGE_TOUCHPOINTS, ImportWizard

NEXT = QWizard.WizardButton.NextButton
IMPORT = QWizard.WizardButton.CommitButton
SEGMENT = "Online shoppers"


def click_log(path: Path, seed: int = 7, customers: int = 300) -> list[tuple[str, str, str]]:
    """A shop's click stream (segment column, headers part German): product URLs with ids and
    colours, checkout steps, searches with a query string, a health check; rows returned."""
    rng = random.Random(seed)
    products = [f"/product/{i}-{rng.choice(['red', 'blue'])}" for i in range(120)]
    searches = [f"/search?q=term{i}" for i in range(25)]
    steps = [f"/checkout/step-{i}" for i in range(1, 4)]
    start = datetime(2026, 5, 1, 9)
    rows = []
    for c in range(customers):
        t = start + timedelta(minutes=c)
        visit = [rng.choice(searches), *rng.sample(products, rng.randint(1, 3)), "/health"]
        if rng.random() < 0.4:
            visit += steps
        for i, url in enumerate(visit):
            rows.append((f"k{c}", url, (t + timedelta(seconds=20 * i)).isoformat(sep=" ")))
    rng.shuffle(rows)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Kunde", "page", "Zeitstempel", "Segment"])
        w.writerows((c, u, ts, SEGMENT) for c, u, ts in rows)
    return rows


def card_of(url: str) -> str | None:
    """What the test's accepted rules mean, by hand: None for skipped rows."""
    if url.startswith("/product/"):
        return "Product page"
    if url.startswith("/search?"):
        return "Site search"
    if url.startswith("/checkout/step-"):
        return "Checkout"
    return None


def expected_moves(rows: list[tuple[str, str, str]]) -> Counter[tuple[str, str]]:
    """Directly-follows pairs per customer in time order, skipped rows left out: counted here
    without the app's code."""
    journeys: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for customer, url, ts in rows:
        card = card_of(url)
        if card is not None:
            journeys[customer].append((ts, card))
    out: Counter[tuple[str, str]] = Counter()
    for events in journeys.values():
        events.sort()
        names = [n for _, n in events]
        out.update(zip(names, names[1:], strict=False))
    return out


def press(qtbot, wizard: ImportWizard, which: QWizard.WizardButton) -> None:  # noqa: ANN001
    button = wizard.button(which)
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled(), timeout=20000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def to_names(qtbot, window, data: Path) -> ImportWizard:  # noqa: ANN001
    QTest.keySequence(window.view, "Ctrl+I")
    wizard = window.findChild(ImportWizard)
    QTest.keyClicks(wizard.file_page.path_edit, str(data))
    qtbot.waitUntil(wizard.file_page.isComplete)
    press(qtbot, wizard, NEXT)
    qtbot.waitUntil(wizard.mapping_page.isComplete, timeout=20000)
    press(qtbot, wizard, NEXT)
    assert wizard.currentId() == PAGE_TOUCHPOINTS
    return wizard


def typed(qtbot, edit: QLineEdit, text: str) -> None:  # noqa: ANN001
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, text)


def card_box(qtbot, page, name: str) -> QComboBox:  # noqa: ANN001
    """The card chooser of a name's row, scrolled to as a person would."""
    table = page.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == name)
    table.scrollToItem(table.item(row, 0))
    qtbot.waitUntil(lambda: page.findChild(QComboBox, f"card:{name}") is not None)
    return page.findChild(QComboBox, f"card:{name}")


def choose(qtbot, page, name: str, card: str) -> None:  # noqa: ANN001
    box = card_box(qtbot, page, name)
    box.setFocus()
    box.setCurrentIndex(box.findText(card))


def row_of(page, pattern: str) -> int:  # noqa: ANN001
    return next(i for i, p in enumerate(page.proposals.patterns) if p.text() == pattern)


def finish(qtbot, wizard: ImportWizard) -> None:  # noqa: ANN001
    press(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_PREVIEW, timeout=20000)
    press(qtbot, wizard, IMPORT)
    qtbot.waitUntil(lambda: wizard.run_page.is_done, timeout=30000)


def test_rules_proposed_from_a_click_stream_map_it_onto_the_cards(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path)
    project = make_project(tmp_path, "b2c retail")
    log = tmp_path / "klicks.csv"
    rows = click_log(log)
    before = dump(project)
    with read(project) as pf:
        cards_before = {(t.segment_id, t.name) for t in pf.touchpoints()}
    window = open_window(qtbot, project)
    wizard = to_names(qtbot, window, log)
    page = wizard.touchpoints_page
    table = page.proposals
    shown = {p.text(): i for i, p in enumerate(table.patterns)}
    assert {"/product/*", "/search?*", "/checkout/step-*"} <= set(shown)
    per_url = Counter(u for _, u, _ in rows)
    product = shown["/product/*"]
    names = len({u for u in per_url if u.startswith("/product/")})
    visits = sum(k for u, k in per_url.items() if u.startswith("/product/"))
    assert table.takes[product].text() == f"{names:,} names · {visits:,} rows"
    assert table.targets[product].currentText() == "Product page"  # the card its word names
    assert not table.stages[product].isEnabled()  # an existing card: no stage to pick

    # Use the product and checkout rules; the search rule goes to a new card in a new stage.
    for pattern in ("/product/*", "/checkout/step-*", "/search?*"):
        qtbot.mouseClick(page.findChild(QCheckBox, f"useRule:{shown[pattern]}"),
                         Qt.MouseButton.LeftButton)
    search_card = page.findChild(QComboBox, f"ruleCard:{shown['/search?*']}")
    typed(qtbot, search_card.lineEdit(), "Site search")
    stage = page.findChild(QComboBox, f"ruleStage:{shown['/search?*']}")
    assert stage.isEnabled()
    typed(qtbot, stage.lineEdit(), "Discovery")
    hidden = [page.table.item(r, 0).text() for r in range(page.table.rowCount())
              if page.table.isRowHidden(r)]
    assert len(hidden) == len([u for u in per_url if card_of(u)])  # taken by the rules
    left = [page.table.item(r, 0).text() for r in range(page.table.rowCount())
            if not page.table.isRowHidden(r)]
    assert left == ["/health"]
    choose(qtbot, page, "/health", SKIP_ROWS)
    assert "1 skipped" in page.left.text()

    press(qtbot, wizard, NEXT)  # the file is read again with the rules and the skip
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_PREVIEW, timeout=20000)
    text = wizard.preview_page.changes.toPlainText()
    assert "rule '/product/*' → 'Product page'" in text
    assert "new touchpoint(s) in Discovery: Site search" in text
    assert "skipped, their rows not imported: '/health'" in text
    press(qtbot, wizard, IMPORT)
    qtbot.waitUntil(lambda: wizard.run_page.is_done, timeout=30000)
    summary = wizard.run_page.summary.toPlainText()
    health = per_url["/health"]
    assert f"{health:,} naming '/health', skipped as asked" in summary

    with read(project) as pf:
        stored = [(r.pattern, r.touchpoint_name) for r in rules(pf)]
        assert stored == [("/product/*", "Product page"), ("/checkout/step-*", "Checkout"),
                          ("/search?*", "Site search")]
        segment = next(s for s in pf.segments() if s.name == SEGMENT)
        made = {(t.segment_id, t.name) for t in pf.touchpoints()} - cards_before
        assert made == {(segment.id, "Site search")}  # one card, not 25 searches
        stage_of = {s.id: s.name for s in pf.stages(segment.id)}
        search = next(t for t in pf.touchpoints(segment.id) if t.name == "Site search")
        assert stage_of[search.stage_id] == "Discovery"
        tp = {t.id: t.name for t in pf.touchpoints()}
        imp = next(i for i in pf.imports() if i.file_name == "klicks.csv")
        got = {(tp[t.source_id], tp[t.target_id]): t.count for t in pf.transitions()
               if t.import_id == imp.id}
        assert (imp.rows_read, imp.rows_rejected) == (len(rows), health)
    assert got == dict(expected_moves(rows))

    window.actions_["undo"].trigger()  # the rules, the card and the values: one step
    assert dump(project) == before


def test_a_second_period_with_the_stored_rules_asks_nothing(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path)
    project = make_project(tmp_path, "b2c retail")
    first, second = tmp_path / "april.csv", tmp_path / "may.csv"
    click_log(first, seed=1)
    rows = click_log(second, seed=2)
    rows = [r for r in rows if card_of(r[1]) in ("Product page", "Checkout")]
    with second.open("w", newline="", encoding="utf-8") as f:  # only names the rules take
        csv.writer(f).writerows([("Kunde", "page", "Zeitstempel", "Segment"),
                                 *((c, u, ts, SEGMENT) for c, u, ts in rows)])
    window = open_window(qtbot, project)
    wizard = to_names(qtbot, window, first)
    page = wizard.touchpoints_page
    # Reject the search rule (its names stay in the list, to be mapped one by one), use the
    # others.
    qtbot.mouseClick(page.findChild(QToolButton, f"rejectRule:{row_of(page, '/search?*')}"),
                     Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.findChild(QPushButton, "useAllRules"), Qt.MouseButton.LeftButton)
    assert [u.isChecked() for u in page.proposals.uses] == [
        p.text() != "/search?*" for p in page.proposals.patterns]
    left = {page.table.item(r, 0).text() for r in range(page.table.rowCount())
            if not page.table.isRowHidden(r)}
    assert "/search?q=term3" in left and "/health" in left
    finish(qtbot, wizard)
    press(qtbot, wizard, QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    with read(project) as pf:
        assert [r.pattern for r in rules(pf)] == ["/product/*", "/checkout/step-*"]
        cards_after_first = len(pf.touchpoints())

    window.actions_["import"].trigger()  # File ▸ Import data…
    qtbot.waitUntil(lambda: any(w.isVisible() for w in window.findChildren(ImportWizard)))
    wizard = next(w for w in window.findChildren(ImportWizard) if w.isVisible())
    QTest.keyClicks(wizard.file_page.path_edit, str(second))
    qtbot.waitUntil(wizard.file_page.isComplete)
    press(qtbot, wizard, NEXT)
    qtbot.waitUntil(wizard.mapping_page.isComplete, timeout=20000)
    press(qtbot, wizard, NEXT)
    assert wizard.currentId() == PAGE_PREVIEW  # every name known: no matching step
    press(qtbot, wizard, IMPORT)
    qtbot.waitUntil(lambda: wizard.run_page.is_done, timeout=30000)
    with read(project) as pf:
        assert len(pf.touchpoints()) == cards_after_first
        tp = {t.id: t.name for t in pf.touchpoints()}
        imp = next(i for i in pf.imports() if i.file_name == "may.csv")
        got = {(tp[t.source_id], tp[t.target_id]): t.count for t in pf.transitions()
               if t.import_id == imp.id}
    assert got == dict(expected_moves(rows))


def test_an_edited_pattern_is_counted_again_and_stored_as_edited(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path)
    project = make_project(tmp_path, "b2c retail")
    log = tmp_path / "klicks.csv"
    rows = click_log(log, seed=3)
    window = open_window(qtbot, project)
    wizard = to_names(qtbot, window, log)
    page = wizard.touchpoints_page
    r = row_of(page, "/product/*")
    edit = page.findChild(QLineEdit, f"rulePattern:{r}")
    typed(qtbot, edit, "/product/*-red")
    reds = {u for _, u, _ in rows if u.startswith("/product/") and u.endswith("-red")}
    assert page.proposals.takes[r].text().startswith(f"{len(reds):,} names")
    typed(qtbot, edit, "/product/[")  # a broken pattern cannot be used
    assert page.proposals.takes[r].text().startswith("⚠")
    assert not page.findChild(QCheckBox, f"useRule:{r}").isEnabled()
    typed(qtbot, edit, "/PRODUCT/*-red")
    use = page.findChild(QCheckBox, f"useRule:{r}")
    qtbot.mouseClick(use, Qt.MouseButton.LeftButton)
    assert use.isChecked()
    # The blue products are left: map the first to Reviews as an alias, skip the rest.
    blue = sorted(u for u in {u for _, u, _ in rows} if u.startswith("/product/")
                  and u.endswith("-blue"))
    choose(qtbot, page, blue[0], "Reviews")
    for u in [*blue[1:], *(u for u in {u for _, u, _ in rows} if not u.startswith("/product/"))]:
        choose(qtbot, page, u, SKIP_ROWS)
    finish(qtbot, wizard)
    with read(project) as pf:
        assert [(x.pattern, x.touchpoint_name) for x in rules(pf)] == [
            ("/PRODUCT/*-red", "Product page")]
        reviews = {t.id for t in pf.touchpoints() if t.name == "Reviews"}
        assert [(a.touchpoint_id in reviews, a.name) for a in aliases(pf)] == [(True, blue[0])]
        imp = next(i for i in pf.imports() if i.file_name == "klicks.csv")
        kept = sum(1 for _, u, _ in rows if u in reds or u == blue[0])
        assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (
            len(rows), kept, len(rows) - kept)


def test_back_from_preview_and_matching_step_keeps_choices(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path)
    project = make_project(tmp_path, "b2c retail")
    log = tmp_path / "klicks.csv"
    rows = click_log(log, seed=5)
    window = open_window(qtbot, project)
    wizard = to_names(qtbot, window, log)
    page = wizard.touchpoints_page
    use = page.findChild(QCheckBox, f"useRule:{row_of(page, '/product/*')}")
    qtbot.mouseClick(use, Qt.MouseButton.LeftButton)
    choose(qtbot, page, "/health", SKIP_ROWS)
    press(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_PREVIEW, timeout=20000)
    press(qtbot, wizard, QWizard.WizardButton.BackButton)  # the page as it was left
    assert wizard.currentId() == PAGE_TOUCHPOINTS and use.isChecked()
    press(qtbot, wizard, QWizard.WizardButton.BackButton)  # the mapping: the file as it is
    qtbot.waitUntil(lambda: not wizard.preparing, timeout=20000)
    assert wizard.current_options().rules == [] and wizard.current_options().skip_names == []
    press(qtbot, wizard, NEXT)
    assert wizard.currentId() == PAGE_TOUCHPOINTS
    page = wizard.touchpoints_page
    assert page.proposals.uses[row_of(page, "/product/*")].isChecked()  # remembered
    assert card_box(qtbot, page, "/health").currentText() == SKIP_ROWS
    finish(qtbot, wizard)
    with read(project) as pf:
        assert [(r.pattern, r.touchpoint_name) for r in rules(pf)] == [
            ("/product/*", "Product page")]
        imp = next(i for i in pf.imports() if i.file_name == "klicks.csv")
        assert imp.rows_rejected == sum(1 for _, u, _ in rows if u == "/health")
        made = {t.name for t in pf.touchpoints() if t.name.startswith("/")}
    assert made == {u for _, u, _ in rows} - {"/health"} - {
        u for _, u, _ in rows if u.startswith("/product/")}


def test_a_rerun_skips_what_the_first_run_skipped(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path)
    project = make_project(tmp_path, "b2c retail")
    data = tmp_path / "kpi.csv"
    data.write_text("touchpoint,wait_time_s\nProduct page,40\nInternal test,1\n",
                    encoding="utf-8")
    window = open_window(qtbot, project)
    wizard = to_names(qtbot, window, data)
    choose(qtbot, wizard.touchpoints_page, "Internal test", SKIP_ROWS)
    finish(qtbot, wizard)
    press(qtbot, wizard, QWizard.WizardButton.FinishButton)
    data.write_text("touchpoint,wait_time_s\nProduct page,30\nInternal test,1\n"
                    "Internal test,2\n", encoding="utf-8")
    panel = window.imports_panel
    window.imports_dock.show()
    panel.list.setCurrentItem(panel.list.topLevelItem(0))
    qtbot.mouseClick(panel.rerun_button, Qt.MouseButton.LeftButton)
    again = next(w for w in window.findChildren(ImportWizard) if w.isVisible())
    qtbot.waitUntil(again.file_page.isComplete)
    press(qtbot, again, NEXT)
    qtbot.waitUntil(again.mapping_page.isComplete, timeout=20000)
    press(qtbot, again, NEXT)
    assert again.currentId() == PAGE_PREVIEW  # nothing to ask: the name is still skipped
    press(qtbot, again, IMPORT)
    qtbot.waitUntil(lambda: again.run_page.is_done, timeout=30000)
    with read(project) as pf:
        imp = next(i for i in pf.imports() if i.file_name == "kpi.csv")
        assert (imp.rows_read, imp.rows_used, imp.rows_rejected) == (3, 1, 2)
        assert not any(t.name == "Internal test" for t in pf.touchpoints())
        assert {o.value for o in pf.observations() if o.import_id == imp.id} == {30.0}


def test_a_rules_use_box_shows_on_the_dark_palette(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    """Fusion fills a check box with Base: on a table's near-black Base it vanished."""
    isolate_settings(tmp_path)
    project = make_project(tmp_path, "b2c retail")
    log = tmp_path / "klicks.csv"
    click_log(log, seed=9, customers=40)
    window = open_window(qtbot, project)
    window.actions_["theme_dark"].trigger()
    wizard = to_names(qtbot, window, log)
    use = wizard.touchpoints_page.proposals.uses[0]
    assert not use.isChecked()
    table = QApplication.palette(wizard.touchpoints_page.proposals).color(QPalette.ColorRole.Base)
    box = use.palette().color(QPalette.ColorRole.Base)
    assert box.lightness() - table.lightness() > 30
    window.actions_["theme_light"].trigger()
