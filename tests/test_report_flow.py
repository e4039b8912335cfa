"""The report's page flow: a table's last row never alone on a page, a column never narrower
than a word it cannot wrap, a heading never left at a page's bottom."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetricsF

from journeymapper.ui.canvas.card_text import font
from journeymapper.ui.export.report_flow import (
    CELL_PAD,
    INSET,
    TABLE,
    Cell,
    Column,
    Flow,
    ReportDocument,
)

COLUMNS = [Column("Action", 3), Column("Due", 0.4), Column("Votes", 0.5, True)]


@pytest.fixture()
def flow(qapp):  # noqa: ANN001, ANN201
    doc = ReportDocument("A5", "portrait", "test")
    f = Flow(doc)
    f.page("footer")
    yield f
    doc.close()


def rows(n: int) -> list[list[Cell]]:
    return [[Cell(f"Action {i}"), Cell("2027-03-31"), Cell(str(i))] for i in range(n)]


def heights(flow: Flow, table: list[list[Cell]]) -> tuple[float, float]:
    """The header's height and a row's (all rows alike)."""
    header = flow._header(COLUMNS)
    widths = flow._widths(COLUMNS, [header, *table])
    return flow._row_height(header, widths), flow._row_height(table[0], widths)


def test_the_last_row_is_never_alone_on_a_page(flow: Flow) -> None:
    six = rows(6)
    header, row = heights(flow, six)
    # Room for the header and five rows and a half: the sixth would go alone to the next page.
    flow.y = flow.bottom - header - 5.5 * row
    flow.table(COLUMNS, six)
    assert flow.doc.page == 2
    # The fifth row went along: the new page holds the header again and two rows.
    assert flow.y == pytest.approx(INSET + header + 2 * row + 6)


def test_a_short_table_is_never_split(flow: Flow) -> None:
    three = rows(3)
    header, row = heights(flow, three)
    flow.y = flow.bottom - header - 2.5 * row
    flow.table(COLUMNS, three)
    assert flow.doc.page == 2 and flow.y == pytest.approx(INSET + header + 3 * row + 6)


def test_a_table_that_fits_stays_on_its_page(flow: Flow) -> None:
    flow.table(COLUMNS, rows(3))
    assert flow.doc.page == 1


def test_no_column_is_narrower_than_a_word_it_cannot_wrap(flow: Flow) -> None:
    widths = flow._widths(COLUMNS, rows(2))
    date = QFontMetricsF(font(TABLE)).horizontalAdvance("2027-03-31") + 2 * CELL_PAD
    assert widths[1] >= date  # by its weight it would have had less
    assert flow.width * 0.4 / 3.9 < date
    assert sum(widths) == pytest.approx(flow.width)


def test_a_heading_and_its_note_go_to_the_next_page_with_what_follows(flow: Flow) -> None:
    flow.heading("The story — Household")
    flow.text("What the customer wants.", 8, hold=True)
    assert flow.y == INSET  # held: nothing drawn yet
    flow.y = flow.bottom - 50  # room for the heading and the note, not for the table too
    flow.table(COLUMNS, rows(2))
    assert flow.doc.page == 2 and not flow.held
    header, row = heights(flow, rows(2))
    assert flow.y > INSET + header + 2 * row + 6 + 14  # the heading and note are above it


def test_a_row_taller_than_a_page_is_cut_to_one(flow: Flow) -> None:
    long = " ".join(f"word{i}" for i in range(3000))
    flow.table(COLUMNS, [[Cell("short"), Cell("2027-01-01"), Cell("1")],
                         [Cell(long), Cell("2027-01-02"), Cell("2")]])
    # The long row is cut to end above the footer, with "…" (here on the first page still).
    assert flow.y <= flow.bottom + 6
    fitted = flow._fit([Cell(long), Cell("x"), Cell("1")], flow._widths(COLUMNS, []), 200)
    assert fitted[0].text.endswith("…") and long.startswith(fitted[0].text[:-1])
    assert flow._row_height(fitted, flow._widths(COLUMNS, [])) <= 200
