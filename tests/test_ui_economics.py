"""Journey economics and the contact plan on the map, and the Customers menu (RFM), driven as a
person would: the properties panel's widgets, the summary bar's limit, the menu and its file
dialog. The .jmap is read back after each step; undo restores it exactly."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from flows_support import flows_project, put_economics
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton
from ui_support import card_point, click, dump, isolate_settings, open_window, read

from journeymapper.analysis.economics import segment_economics
from journeymapper.model import Observation, Touchpoint

CTRL = Qt.KeyboardModifier.ControlModifier
CDNOW = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "cdnow"
EXPECTED = json.loads((CDNOW / "expected.json").read_text())

@pytest.fixture
def flows(tmp_path: Path) -> Path:
    """A one-segment project with imported flows, costs everywhere but at Checkout, and a
    revenue per customer of 20."""
    isolate_settings(tmp_path)
    path = flows_project(tmp_path / "flows.jmap")
    put_economics(path, {"Home": 0.5, "Support": 8.0}, revenue=20.0)
    return path


def touchpoint_id(path: Path, name: str) -> str:
    with read(path) as p:
        return next(t.id for t in p.touchpoints() if t.name == name)


def select_card(window, tp_id: str) -> None:  # noqa: ANN001
    click(window, card_point(window, tp_id))
    assert window.panel.touchpoint_id == tp_id


def set_contacts(window, value: str) -> None:  # noqa: ANN001
    """Type into the panel's "Contacts / month" box and press Enter."""
    box = window.panel.contacts
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_A, CTRL)
    QTest.keyClicks(box, value)
    QTest.keyClick(box, Qt.Key.Key_Return)


def choose_kind(window, kind: str) -> None:  # noqa: ANN001
    """Click the panel's contact-kind box, walk its list with the arrow keys, press Enter
    (one choice, one undo step: arrows in a closed box would make a step per kind passed)."""
    combo = window.panel.kind
    QTest.mouseClick(combo, Qt.MouseButton.LeftButton)
    popup = combo.view()
    assert popup.isVisible()
    steps = combo.findText(kind) - combo.currentIndex()
    for _ in range(abs(steps)):
        QTest.keyClick(popup, Qt.Key.Key_Down if steps > 0 else Qt.Key.Key_Up)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert combo.currentText() == kind and not popup.isVisible()


def test_figures_shown_and_missing_ones_explained(qtbot, flows: Path) -> None:  # noqa: ANN001
    window = open_window(qtbot, flows)
    bar = window.segment_summary
    assert bar.isVisible()
    assert "Journeys <b>120</b>" in bar.figures["journeys"].text()
    assert "<b>20.00</b>" in bar.figures["revenue_per_customer"].text()
    # Checkout is visited (60) but has no cost: no cost per journey, no margin, never a zero.
    for key in ("cost_per_journey", "margin_per_customer"):
        assert "<b>—</b>" in bar.figures[key].text()
        assert "Checkout" in bar.figures[key].toolTip()
    assert "Checkout" not in bar.figures["revenue_per_customer"].toolTip()

    # A cost typed for Checkout (an observation written through the same file) completes it:
    # (100 × 0.5 + 60 × 8 + 60 × 2) / 120 = 5.42, margin 20 − 5.4167 = 14.58.
    seg = window.current.id
    window.project.insert(Observation("cost_per_contact", seg, 2.0,
                                      touchpoint_id(flows, "Checkout")))
    assert "<b>5.42</b>" in bar.figures["cost_per_journey"].text()
    # The bar reads only the observations economics needs: same figures as the whole file.
    with read(flows) as p:
        assert bar.economics == segment_economics(p.load(), seg)
    assert "<b>14.58</b>" in bar.figures["margin_per_customer"].text()


def test_contact_kind_from_the_panel_limit_warning_and_undo(qtbot, flows: Path) -> None:  # noqa: ANN001
    window = open_window(qtbot, flows)
    bar = window.segment_summary
    support, checkout = touchpoint_id(flows, "Support"), touchpoint_id(flows, "Checkout")
    before = dump(flows)
    assert "<b>0</b>" in bar.plan_label.text() and not bar.warning.isVisible()

    select_card(window, support)
    assert not window.panel.contacts.isEnabled()  # organic: nothing planned to count
    choose_kind(window, "save team")
    assert window.panel.contacts.isEnabled()
    with read(flows) as p:
        assert p.get(Touchpoint, support).contact_kind == "save team"
    # Planned but without a number: the plan has no figure, and says so.
    assert "<b>—</b>" in bar.plan_label.text() and "Support" in bar.plan_label.toolTip()
    set_contacts(window, "3")
    select_card(window, checkout)
    choose_kind(window, "onboarding")
    set_contacts(window, "2")
    with read(flows) as p:
        tps = {t.name: t for t in p.touchpoints()}
    assert (tps["Support"].contact_kind, tps["Support"].contacts_per_month) == ("save team", 3)
    assert (tps["Checkout"].contact_kind, tps["Checkout"].contacts_per_month) == ("onboarding", 2)
    # 3 + 2 = 5 a month, above the default limit of 4: the warning shows.
    assert "<b>5</b>" in bar.plan_label.text()
    assert bar.warning.isVisible() and "4" in bar.warning.text()

    # Raise the limit to 6 in the bar: stored in the file, the warning goes.
    bar.limit.setFocus()
    QTest.keyClick(bar.limit, Qt.Key.Key_A, CTRL)
    QTest.keyClicks(bar.limit, "6")
    QTest.keyClick(bar.limit, Qt.Key.Key_Return)
    with read(flows) as p:
        assert p.setting("contact_limit_per_month") == "6"
    assert not bar.warning.isVisible()

    # Undo (Ctrl+Z on the canvas) brings the limit and the warning back ...
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    with read(flows) as p:
        assert p.setting("contact_limit_per_month") is None
    assert bar.warning.isVisible() and bar.limit.value() == 4.0
    # ... and undoing the four panel edits leaves the file as it was.
    for _ in range(4):
        window.editor.undo_stack.undo()
    assert dump(flows) == before
    assert "<b>0</b>" in bar.plan_label.text() and not bar.warning.isVisible()


def accept_file_dialog(path: Path, seen: list[str]) -> None:
    """Answer the next modal file dialog with ``path``, as a person typing it would."""
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(10, answer)
            return
        seen.append(dialog.windowTitle())
        dialog.selectFile(str(path))
        dialog.accept()

    QTimer.singleShot(0, answer)


@pytest.fixture
def cdnow(tmp_path: Path) -> Path:
    target = tmp_path / "CDNOW_master.txt"
    shutil.copy(CDNOW / "CDNOW_master.txt", target)
    return target


def test_rfm_analysis_from_the_menu(qtbot, flows: Path, cdnow: Path, tmp_path: Path) -> None:  # noqa: ANN001
    window = open_window(qtbot, flows)
    before = dump(flows)
    seen: list[str] = []
    accept_file_dialog(cdnow, seen)
    window.actions_["rfmAnalyse"].trigger()
    assert seen == ["RFM analysis of a transactions file"]
    # The menu returned while the work runs in a thread, behind a progress dialog: the
    # window's event loop goes on (waitUntil below runs it until the view appears).
    customers = window.customers
    assert customers.busy() and customers.progress is not None
    assert customers.progress.isVisible()
    qtbot.waitUntil(lambda: bool(customers.views), timeout=30_000)
    assert customers.last_error is None and not customers.busy()
    rfm = customers.views[0]
    qtbot.addWidget(rfm)
    view = rfm.view
    assert view.result.customers == EXPECTED["customers"]
    assert view.result.at_risk == EXPECTED["at_risk"]
    qtbot.waitExposed(rfm)

    cell = view.result.cells[(5, 5)]
    x, y = view.cell_center(5, 5)
    QTest.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))
    text = view.details.text()
    assert "Champions" in text and f"{cell.customers:,} customers" in text
    assert f"revenue {cell.revenue:,.2f}" in text
    # The at-risk share is the cell's own: its at-risk customers over its customers.
    assert 0 < cell.at_risk < cell.customers
    assert f"at risk: {cell.at_risk / cell.customers:.1%} ({cell.at_risk:,})" in text

    # Export of the contact list through the button and its save dialog.
    target = tmp_path / "contacts.csv"
    accept_file_dialog(target, seen)
    QTest.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    with target.open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["customer", "recency_days", "frequency", "monetary", "r_score",
                       "f_score", "m_score", "rfm_segment", "at_risk"]
    assert len(rows) - 1 == EXPECTED["customers"]
    first = next(r for r in rows if r[0] == EXPECTED["customer_1"]["c"])
    assert first[1:4] == [EXPECTED["customer_1"][k] for k in ("recency", "frequency",
                                                              "monetary")]
    assert dump(flows) == before  # looking is not importing


def segment_figures(path: Path) -> dict[str, dict[str, float]]:
    with read(path) as p:
        names = {s.id: s.name for s in p.segments()}
        out: dict[str, dict[str, float]] = {}
        for o in p.observations():
            if o.touchpoint_id is None and o.metric_key in ("customers", "at_risk_customers"):
                out.setdefault(names[o.segment_id], {})[o.metric_key] = o.value
        return out


def test_add_rfm_segments_is_one_undoable_step(qtbot, flows: Path, cdnow: Path) -> None:  # noqa: ANN001
    window = open_window(qtbot, flows)
    before = dump(flows)
    accept_file_dialog(cdnow, [])
    window.actions_["rfmAdd"].trigger()
    qtbot.waitUntil(lambda: window.editor.undo_stack.count() == 1, timeout=30_000)
    assert window.customers.last_error is None
    figures = segment_figures(flows)
    assert sum(f["customers"] for f in figures.values()) == EXPECTED["customers"]
    assert sum(f["at_risk_customers"] for f in figures.values()) == EXPECTED["at_risk"]
    assert figures["Champions"]["customers"] == 4118  # CDNOW's summary, docs/rfm.md
    assert "Champions" in [window.tabs.bar.tabText(i) for i in range(window.tabs.bar.count())]
    after = dump(flows)
    with read(flows) as p:
        assert not any("00001" in str(row) for table in p.dump().values() for row in table)

    # The summary bar of an RFM segment shows its revenue per customer, from the file.
    champions = next(sid for sid in window.tabs.order()
                     if window.tabs.bar.tabText(window.tabs.order().index(sid)) == "Champions")
    window.tabs.set_current(champions)
    assert window.segment_summary.segment_id == champions
    assert "<b>314.23</b>" in window.segment_summary.figures["revenue_per_customer"].text()

    window.editor.undo_stack.undo()
    assert dump(flows) == before
    assert window.tabs.bar.count() == 1
    window.editor.undo_stack.redo()
    assert dump(flows) == after


def test_cancelled_add_changes_nothing(qtbot, flows: Path, cdnow: Path) -> None:  # noqa: ANN001
    window = open_window(qtbot, flows)
    before = dump(flows)
    accept_file_dialog(cdnow, [])
    window.actions_["rfmAdd"].trigger()
    customers = window.customers
    assert customers.busy() and customers.progress is not None
    cancel = customers.progress.findChild(QPushButton)
    QTest.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not customers.busy(), timeout=30_000)
    assert window.editor.undo_stack.count() == 0 and not customers.views
    assert dump(flows) == before
