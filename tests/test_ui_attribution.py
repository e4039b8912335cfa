"""Which touchpoint killed the sale, on the map: the "Chance to convert" overlay (cards, the
arrows where the chance falls most, median times), the weak panel's new evidence, the path
explorer and the report's page, driven as a person would on the planted-killer log of
tests/test_attribution.py (p(Checkout) 0.7, p(Payment failed) 0.175, 21 sales lost there)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from test_attribution import killer_log
from test_export_images import pdf_pages
from ui_support import isolate_settings, open_window

from journeymapper.cli import main
from journeymapper.ui.analysis.overlay_bar import CHANCE, OVERLAY_SETTING
from journeymapper.ui.canvas.label_items import LabelItem
from journeymapper.ui.overlays import ChanceOverlay


@pytest.fixture()
def killer(tmp_path: Path) -> Path:
    isolate_settings(tmp_path)
    killer_log(tmp_path / "log.csv")
    project = tmp_path / "p.jmap"
    assert main(["new", str(project)]) == 0
    assert main(["import", str(project), str(tmp_path / "log.csv"), "--kind", "events",
                 "--create-missing", "Journey", "--goal", "Purchase"]) == 0
    assert main(["set", str(project), "value_per_conversion=100"]) == 0
    return project


def ids_by_name(window) -> dict[str, str]:  # noqa: ANN001
    return {c.tp.name: tid for tid, c in window.scene.cards.items()}


def labels(window) -> dict[tuple[str, str], LabelItem]:  # noqa: ANN001
    """What the overlay says beside each arrow, once the labels are placed."""
    window.scene.labels.flush()
    name = {tid: c.tp.name for tid, c in window.scene.cards.items()}
    out = {}
    for arrow in window.scene.arrows.values():
        for child in arrow.childItems():
            if isinstance(child, LabelItem) and child.kind in ("value", "time"):
                out[(name[arrow.tr.source_id], name[arrow.tr.target_id])] = child
    return out


def pick_chance(window) -> None:  # noqa: ANN001
    box = window.analysis.bar.metric_box
    box.setFocus()
    while box.currentData() != CHANCE:
        before = box.currentIndex()
        QTest.keyClick(box, Qt.Key.Key_Down)
        assert box.currentIndex() != before, "the combo has no Chance to convert"


def test_chance_overlay_colours_cards_and_marks_the_steps_that_lose_sales(
        qtbot, killer: Path) -> None:  # noqa: ANN001
    window = open_window(qtbot, killer)
    assert labels(window) == {}  # weak marks only: no arrow labels
    pick_chance(window)
    ids = ids_by_name(window)
    cards = window.scene.cards
    assert isinstance(window.scene.overlay, ChanceOverlay)
    assert cards[ids["Checkout"]].style.badge == "70 % to convert"
    assert cards[ids["Payment failed"]].style.badge == "18 % to convert"
    # A quarter of the segment's chance: the bad end of the scale; Checkout is the segment's.
    assert cards[ids["Payment failed"]].style.fill.name() == "#e66101"
    assert cards[ids["Checkout"]].style.fill.name() == "#f7f7f7"
    assert cards[ids["Payment failed"]].style.weak
    assert cards[ids["Payment failed"]].style.gap == "−21 sales · €2,100 at stake"
    assert cards[ids["Call centre"]].style.drop_off == ""  # drop-off is the other overlay's
    marked = {k: v.text for k, v in labels(window).items()}
    # 40·(0.7 − 0.175) = 21 and 30·0.175 = 5.25 lost; every step took a minute.
    assert marked[("Checkout", "Payment failed")] == "−21 sales · 1 min"
    assert marked[("Payment failed", "Call centre")] == "−5 sales · 1 min"
    assert marked[("Home", "Checkout")] == "1 min"
    assert marked[("Payment failed", "Checkout")] == "1 min"  # wins sales: no loss marked
    pills = [child.mapRectToScene(child.rect()) for a in window.scene.arrows.values()
             for child in a.childItems() if isinstance(child, LabelItem)
             and child.kind == "count" and child.isVisible()]
    placed = [label.mapRectToScene(label.rect()) for label in labels(window).values()]
    bodies = [c.mapRectToScene(c.RECT) for c in cards.values()]
    for label in labels(window).values():
        assert label.isVisible(), label.text  # room for each on this small map
        rect = label.mapRectToScene(label.rect())
        assert not any(r.intersects(rect) for r in bodies), label.text
        assert not any(r.intersects(rect) for r in pills), label.text  # nor a count
        assert sum(r.intersects(rect) for r in placed) == 1, label.text  # nor another label
    # Remembered in the file as the person's choice; the legend says what it shows.
    assert window.project.setting(OVERLAY_SETTING) == "chance"
    legend = [text for _, text in window.scene.legend_items()]
    assert "segment: 70 % from start" in legend
    assert any("under 35 %" in t for t in legend)
    # Back to weak marks: the labels go, the weak card still says what it costs.
    box = window.analysis.bar.metric_box
    QTest.keyClick(box, Qt.Key.Key_Up)
    assert labels(window) == {}
    assert cards[ids["Payment failed"]].style.gap == "−21 sales · €2,100 at stake"


def test_labels_follow_a_moved_card_and_the_choice_is_remembered(
        qtbot, killer: Path) -> None:  # noqa: ANN001
    first = open_window(qtbot, killer, register=False)
    pick_chance(first)
    first.close()
    window = open_window(qtbot, killer)  # opened again: the overlay it was left with
    assert isinstance(window.scene.overlay, ChanceOverlay)
    ids = ids_by_name(window)
    label = labels(window)[("Checkout", "Payment failed")]
    before = label.scenePos()
    card = window.scene.cards[ids["Payment failed"]]
    card.setPos(card.pos().x(), card.pos().y() + 200)
    qtbot.waitUntil(lambda: label.scenePos() != before)  # placed again, once
    assert labels(window)[("Checkout", "Payment failed")] is label


def test_weak_panel_shows_the_lift_and_the_sales_lost(qtbot, killer: Path) -> None:  # noqa: ANN001
    window = open_window(qtbot, killer)
    panel = window.analysis.weak
    tree = panel.tree
    top = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
               if "Payment failed" in tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole + 1))
    reasons = [top.child(j).data(0, Qt.ItemDataRole.UserRole + 1)
               for j in range(top.childCount())]
    assert any("convert 25 % vs 100 % without" in r and "n=40" in r for r in reasons), reasons
    assert reasons[-1] == "≈ 21 sales lost here (€2,100 at stake)"


def open_paths(window):  # noqa: ANN001, ANN201
    bar = window.menuBar()
    menu = next(a.menu() for a in bar.actions() if a.text().replace("&", "") == "Analysis")
    action = next(a for a in menu.actions() if a.text().replace("&", "") == "Paths…")
    assert action.isEnabled()
    action.trigger()
    dialog = window.analysis.dialogs["paths"]
    QTest.qWaitForWindowExposed(dialog)
    return dialog


def rows(tree) -> list[list[str]]:  # noqa: ANN001
    return [[tree.topLevelItem(i).text(c) for c in range(tree.columnCount())]
            for i in range(tree.topLevelItemCount())]


def test_path_explorer_ranks_variants_filters_and_highlights(qtbot, killer: Path) -> None:  # noqa: ANN001
    window = open_window(qtbot, killer)
    dialog = open_paths(window)
    assert rows(dialog.variants) == [
        ["1. Home → Checkout → Purchase", "60", "60", "100 %"],
        ["2. Home → Checkout → Payment failed → Call centre", "30", "0", "0 %"],
        ["3. Home → Checkout → Payment failed → Checkout → Purchase", "10", "10", "100 %"]]
    assert "100 journeys" in dialog.summary.text()
    # Fits a 1280x720 screen with its buttons.
    assert dialog.frameGeometry().width() <= 1280 and dialog.frameGeometry().height() <= 720
    assert dialog.close_button.isVisible()
    # The person clicks the lost variant: its cards and the arrows between them are selected.
    tree = dialog.variants
    item = tree.topLevelItem(1)
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     tree.visualItemRect(item).center())
    ids = ids_by_name(window)
    scene = window.scene
    assert sorted(scene.selected_touchpoint_ids()) == sorted(
        ids[n] for n in ("Home", "Checkout", "Payment failed", "Call centre"))
    steps = {(scene.arrows[t].tr.source_id, scene.arrows[t].tr.target_id)
             for t in scene.selected_transition_ids()}
    assert steps == {(ids["Home"], ids["Checkout"]), (ids["Checkout"], ids["Payment failed"]),
                     (ids["Payment failed"], ids["Call centre"])}
    # Filtered by a touchpoint: its variants only, and the paths into and out of it.
    box = dialog.through
    box.setCurrentIndex(box.findText("Payment failed"))
    assert [r[0] for r in rows(dialog.variants)] == [
        "2. Home → Checkout → Payment failed → Call centre",
        "3. Home → Checkout → Payment failed → Checkout → Purchase"]
    assert rows(dialog.paths_in) == [["Home → Checkout → Payment failed", "40"]]
    assert rows(dialog.paths_out) == [["Payment failed → Checkout → Purchase", "10"]]
    item = dialog.paths_in.topLevelItem(0)
    QTest.mouseClick(dialog.paths_in.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, dialog.paths_in.visualItemRect(item).center())
    assert sorted(scene.selected_touchpoint_ids()) == sorted(
        ids[n] for n in ("Home", "Checkout", "Payment failed"))
    dialog.close()


def test_report_has_a_page_of_it_per_segment_with_journeys(qapp, killer: Path) -> None:  # noqa: ANN001
    out = killer.with_suffix(".pdf")
    assert main(["export", str(killer), "--format", "pdf", "--report", "-o", str(out)]) == 0
    pages = pdf_pages(out)
    at = next(i for i, p in enumerate(pages) if "Which touchpoint killed the sale — All customers"
              in p)
    text = " ".join(" ".join(pages[at:at + 2]).split())  # the section may go on overleaf
    assert "100 journeys, 70 converted (70 %)." in text
    # The ranking, most sales lost first: touchpoint, chance, removal effect, lost, at stake.
    assert "Payment failed 18 % 9.1 % 21 €2,100" in text
    assert "Call centre 0 % 0 % 5 €525" in text
    assert text.index("Payment failed 18 %") < text.index("Call centre 0 %") \
        < text.index("Home 70 %") < text.index("Checkout 70 %")
    assert "Checkout 70 % 100 % −5 €0" in text
    assert "1. Home → Checkout → Purchase 60 60 100 %" in text
    assert "2. Home → Checkout → Payment failed → Call centre 30 0 0 %" in text
    # A project without journeys: no such page, and no empty one.
    bare = killer.with_name("bare.jmap")
    assert main(["new", str(bare)]) == 0
    plain = bare.with_suffix(".pdf")
    assert main(["export", str(bare), "--format", "pdf", "--report", "-o", str(plain)]) == 0
    assert not any("killed the sale" in p for p in pdf_pages(plain))
    assert len(pdf_pages(plain)) == 2  # its cover and summary: its map is empty
