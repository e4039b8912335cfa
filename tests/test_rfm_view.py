"""The RFM view: the CDNOW grid, a click on a cell shows its figures, export writes the list."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, Qt  # noqa: E402

from journeymapper.ui.rfm_view import RfmView  # noqa: E402

CDNOW = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "cdnow"


@pytest.fixture(scope="module")
def result():  # noqa: ANN201
    from journeymapper.analysis.rfm import analyse

    return analyse(CDNOW / "CDNOW_master.txt")


def test_click_a_cell_shows_its_figures(qtbot, result, tmp_path: Path) -> None:  # noqa: ANN001
    view = RfmView(result, CDNOW / "CDNOW_master.txt")
    qtbot.addWidget(view)
    view.resize(980, 640)
    view.show()
    qtbot.waitExposed(view)
    cell = result.cells[(5, 5)]
    x, y = view.cell_center(5, 5)
    with qtbot.waitSignal(view.cell_selected) as clicked:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))
    assert clicked.args == [5, 5]
    text = view.details.text()
    assert "R 5 × F 5: Champions" in text
    assert f"{cell.customers:,} customers" in text and f"revenue {cell.revenue:,.2f}" in text
    assert f"at risk: {cell.at_risk / cell.customers:.1%}" in text
    view.grab().save(str(tmp_path / "rfm.png"))
    assert (tmp_path / "rfm.png").stat().st_size > 10_000


def test_empty_cell_and_export(qtbot, result, tmp_path: Path) -> None:  # noqa: ANN001
    view = RfmView(result, CDNOW / "CDNOW_master.txt")
    qtbot.addWidget(view)
    view.select_cell(5, 1)  # "New": nobody in CDNOW (every recent buyer bought again)
    assert "0 customers" in view.details.text() and "at risk: —" in view.details.text()
    target = view.export_contacts(tmp_path / "contacts.csv")
    assert target is not None
    rows = list(csv.DictReader(target.open()))
    assert len(rows) == result.customers
