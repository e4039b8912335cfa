"""The wizard's matching step: the names the file has and the project lacks. Rules proposed
from the names' patterns come first (a click stream's 3,000 URLs are a few rules); each name
left is mapped to the card it means (kept as its alias), added as a new card in a stage, or
skipped (its rows are not imported). Rules and skipped names change what the file says, so
Next reads it again with them before the preview (in the background, as every read)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from journeymapper.importers.options import ImportOptions
from journeymapper.model import name_key
from journeymapper.ui.importing import jobs
from journeymapper.ui.importing.proposals import SKIP_ROWS, ProposalTable

if TYPE_CHECKING:
    from journeymapper.ui.importing.wizard import ImportWizard

NEW_CARD = "— a new card —"


class _NamesTable(QTableWidget):
    """Says when other rows may have come on screen (scrolled, resized)."""

    viewport_changed = Signal()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.viewport_changed.emit()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 - Qt's name
        super().scrollContentsBy(dx, dy)
        self.viewport_changed.emit()


@dataclasses.dataclass
class NameChoices:
    """What the page adds to the import's options."""

    aliases: list[tuple[str, str]]
    rules: list[tuple[str, str]]
    skip_names: list[str]

    def applied_to(self, o: ImportOptions, stage: str) -> ImportOptions:
        def more(old: list, new: list) -> list:  # noqa: ANN001 - pairs or names
            return [*old, *(x for x in new if x not in old)]

        return dataclasses.replace(o, aliases=more(o.aliases, self.aliases),
                                   rules=more(o.rules, self.rules),
                                   skip_names=more(o.skip_names, self.skip_names),
                                   create_missing=stage)


class TouchpointsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Names the project does not have")
        self.setSubTitle("Use a rule for names that share a pattern; map each other name to "
                         "the card it means (kept as the card's alias, so later imports match "
                         "it without asking), add it as a new card in a stage, or skip its "
                         "rows.")
        self.all_box = QComboBox(objectName="allStage", editable=True)
        self.all_box.activated.connect(lambda _i: self._apply_all())
        self.all_box.lineEdit().editingFinished.connect(self._apply_all)
        self.proposals = ProposalTable()
        self.proposals.changed.connect(self._covered_changed)
        self.rules_box = QGroupBox("Rules from the names' patterns", objectName="rulesBox")
        hint = QLabel("Tick Use to map every name a pattern takes to one card; the project "
                      "keeps the rule for later imports. Edit a pattern and what it takes is "
                      "counted again.")
        hint.setWordWrap(True)
        use_all = QPushButton("Use &all", objectName="useAllRules")
        use_all.setToolTip("Tick Use for every rule that takes names")
        use_all.setAutoDefault(False)
        use_all.clicked.connect(self.proposals.use_all)
        top_row = QHBoxLayout()
        top_row.addWidget(hint, 1)
        top_row.addWidget(use_all, 0, Qt.AlignmentFlag.AlignTop)
        box_layout = QVBoxLayout(self.rules_box)
        box_layout.addLayout(top_row)
        box_layout.addWidget(self.proposals)
        self.table = _NamesTable(0, 6, objectName="unknownTable")
        self.table.viewport_changed.connect(self._make_visible_rows)
        self.table.setHorizontalHeaderLabels(["Touchpoint", "Segment", "Stage of a new card",
                                              "Close matches in the project",
                                              "Or the card it means", "Rows"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        # The segments' list gives way (elided), not the card chooser: stretched last, the
        # chooser's column was what the others left, its header cut to "r the card it mean".
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.left = QLabel(objectName="namesLeft")
        top = QHBoxLayout()
        top.addWidget(QLabel("Put new cards in stage:"))
        top.addWidget(self.all_box, 1)
        names = QWidget()
        names_layout = QVBoxLayout(names)
        names_layout.setContentsMargins(0, 0, 0, 0)
        names_layout.addWidget(self.left)
        names_layout.addWidget(self.table, 1)
        self.splitter = QSplitter()
        self.splitter.setOrientation(self.splitter.orientation().Vertical)
        self.splitter.addWidget(self.rules_box)
        self.splitter.addWidget(names)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        # Per row, what is chosen: the card (NEW_CARD, SKIP_ROWS or a card's name) and the
        # stage of a new card. The choosers are made for the rows on screen only: 3,000 rows
        # of them took seconds.
        self.card_of: list[str] = []
        self.stage_of: list[str] = []
        self._made: dict[int, tuple[QComboBox, QComboBox]] = {}
        self._stages: list[str] = []
        self._cards: list[str] = []
        self.unknown: list[jobs.Unknown] = []  # the names as first shown, before any rule
        self.visited = False  # the page was shown for the import about to run
        self.applied: NameChoices | None = None  # what the file was read again with
        self._memory: dict[str, str] = {}  # name_key -> the card chosen, kept across visits
        self._used: dict[str, bool] = {}  # pattern -> Use ticked
        self._advance = False
        self.w.prepared_changed.connect(self._prepared)

    # -- showing ---------------------------------------------------------------------------

    def initializePage(self) -> None:
        prepared = self.w.prepared
        assert prepared is not None
        self.visited = True
        stages = prepared.stages or [jobs.NEW_STAGE]
        current = self.all_box.currentText()
        self.all_box.clear()
        self.all_box.addItems(stages)
        self.all_box.setEditText(current if current else
                                 (prepared.preview.options.create_missing or stages[0]))
        self.unknown = list(prepared.unknown)
        project_cards = sorted({t.name for t in self.w.project.touchpoints()}, key=name_key)
        self._stages, self._cards = stages, project_cards
        self.table.setUpdatesEnabled(False)
        self.table.setRowCount(0)  # the choosers of an earlier visit go with their rows
        self._made = {}
        self.table.setRowCount(len(self.unknown))
        self.card_of, self.stage_of = [], []
        for r, u in enumerate(self.unknown):
            self.table.setItem(r, 0, QTableWidgetItem(u.name))
            self.table.setItem(r, 1, QTableWidgetItem(
                ", ".join(s or "every segment" for s in u.segments)))
            self.table.setItem(r, 3, QTableWidgetItem(", ".join(u.matches) or "—"))
            self.table.setItem(r, 5, QTableWidgetItem(
                f"{prepared.rows.get(name_key(u.name), 0):,}"))
            remembered = self._memory.get(name_key(u.name), NEW_CARD)
            self.card_of.append(remembered if remembered in (NEW_CARD, SKIP_ROWS)
                                or remembered in project_cards else NEW_CARD)
            self.stage_of.append(u.stage or self.all_stage())
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(2, max(self.table.columnWidth(2), 200))
        self.table.setColumnWidth(4, max(self.table.columnWidth(4), 220))
        self.table.setUpdatesEnabled(True)
        self.proposals.fill(prepared.proposals, [u.name for u in self.unknown], prepared.rows,
                            project_cards, stages, self.all_stage(), self._used)
        self.rules_box.setVisible(bool(prepared.proposals))
        self.rules_box.setTitle(f"Rules from the names' patterns ({len(prepared.proposals)})")
        if prepared.proposals:
            self.splitter.setSizes([280, 360])
        self._covered_changed()

    def row_choosers(self, row: int) -> tuple[QComboBox, QComboBox]:
        """The stage and card choosers of a row, made when first needed."""
        made = self._made.get(row)
        if made is not None:
            return made
        u = self.unknown[row]
        box = QComboBox(editable=True, objectName=f"stage:{u.name}")
        box.addItems(self._stages)
        box.setEditText(self.stage_of[row])
        card = QComboBox(objectName=f"card:{u.name}")
        card.addItems([NEW_CARD, *u.matches, SKIP_ROWS,
                       *(n for n in self._cards if n not in u.matches)])
        card.setCurrentIndex(max(card.findText(self.card_of[row]), 0))
        box.setEnabled(card.currentIndex() == 0)
        box.editTextChanged.connect(lambda text, r=row: self._stage_typed(r, text))
        card.currentIndexChanged.connect(lambda _i, r=row: self._card_chosen(r))
        self.table.setCellWidget(row, 2, box)
        self.table.setCellWidget(row, 4, card)
        self._made[row] = (box, card)
        return box, card

    def _make_visible_rows(self) -> None:
        table = self.table
        if not table.rowCount():
            return
        top = max(table.rowAt(0), 0)
        bottom = table.rowAt(table.viewport().height() - 1)
        for r in range(top, (table.rowCount() - 1 if bottom < 0 else bottom) + 1):
            if not table.isRowHidden(r):
                self.row_choosers(r)

    def _stage_typed(self, row: int, text: str) -> None:
        self.stage_of[row] = text

    def _card_chosen(self, row: int) -> None:
        box, card = self._made[row]
        box.setEnabled(card.currentIndex() == 0)
        self.card_of[row] = card.currentText()
        self._memory[name_key(self.unknown[row].name)] = card.currentText()
        self._covered_changed()

    def _covered_changed(self) -> None:
        """Names a used rule takes leave the list below; the count above it says so."""
        taken = self._taken()
        for r, u in enumerate(self.unknown):
            self.table.setRowHidden(r, u.name in taken)
        self._used = self.proposals.used()
        skipped = sum(1 for u, c in zip(self.unknown, self.card_of, strict=False)
                      if c == SKIP_ROWS and u.name not in taken)
        left = len(self.unknown) - len(taken)
        text = f"{left:,} {'name' if left == 1 else 'names'} to map one by one"
        if taken:
            text += f"; {len(taken):,} taken by the rules in use"
        if skipped:
            text += f"; {skipped:,} skipped (their rows are not imported)"
        self.left.setText(text + ".")
        QTimer.singleShot(0, self._make_visible_rows)  # rows shown again need their choosers

    def _taken(self) -> set[str]:
        return {n for c in self.proposals.chosen() for n in c.names}

    def _apply_all(self) -> None:
        for r, u in enumerate(self.unknown):
            if not u.stage:  # a namesake's stage in another segment stays the default
                self.stage_of[r] = self.all_stage()
                if r in self._made:
                    self._made[r][0].setEditText(self.all_stage())

    def all_stage(self) -> str:
        return self.all_box.currentText().strip() or jobs.NEW_STAGE

    # -- what the import takes from the page ---------------------------------------------

    def _rows(self) -> list[tuple[jobs.Unknown, str, str]]:
        """The names no used rule takes, with the stage and the card chosen for each."""
        taken = self._taken()
        return [(u, stage, card) for u, stage, card in zip(
            self.unknown, self.stage_of, self.card_of, strict=False) if u.name not in taken]

    def placements(self) -> list[tuple[str | None, str, str]]:
        """(segment, name, stage) of each new card: names added as cards, and the new cards
        rules map to (in every segment of the names they take)."""
        out = [(segment, u.name, stage.strip() or self.all_stage())
               for u, stage, card in self._rows() if card == NEW_CARD
               for segment in u.segments]
        segments = {u.name: u.segments for u in self.unknown}
        for c in self.proposals.chosen():
            if c.target is not None and c.stage is not None:
                for segment in dict.fromkeys(s for n in c.names for s in segments[n]):
                    out.append((segment, c.target, c.stage))
        return list(dict.fromkeys(out))

    def aliases(self) -> list[tuple[str, str]]:
        """(name in the file, card) for each name mapped to an existing card."""
        return [(u.name, card) for u, _, card in self._rows()
                if card not in (NEW_CARD, SKIP_ROWS)]

    def skipped(self) -> list[str]:
        """The names skipped one by one (a rule may skip more)."""
        return [u.name for u, _, card in self._rows() if card == SKIP_ROWS]

    def choices(self) -> NameChoices:
        chosen = self.proposals.chosen()
        skipped = self.skipped() + [n for c in chosen if c.target is None for n in c.names]
        return NameChoices(self.aliases(), [(c.pattern, c.target) for c in chosen
                                            if c.target is not None], skipped)

    def with_choices(self, options: ImportOptions) -> ImportOptions:
        """``options`` with what the page says, when it was shown for this import."""
        if not self.visited:
            return options
        return self.choices().applied_to(options, self.all_stage())

    # -- moving on -------------------------------------------------------------------------

    def validatePage(self) -> bool:
        if self.w.preparing:
            self._advance = True
            return False
        choices = self.choices()
        if (choices.rules or choices.skip_names or self.applied is not None) and \
                choices != self.applied:
            # Rules and skipped rows change what the file says: read it again with them.
            self.applied = choices
            self._advance = True
            self.left.setText("Reading the file again with the rules and skipped names…")
            self.w.prepare()
            return False
        return self.w.prepared is not None

    def isComplete(self) -> bool:
        return self._advance or not self.w.preparing

    def _prepared(self) -> None:
        if not self.visited:
            return
        self.completeChanged.emit()
        if self._advance and not self.w.preparing:
            self._advance = False
            QTimer.singleShot(0, self._advance_now)

    def _advance_now(self) -> None:
        wizard = self.wizard() if shiboken6.isValid(self) else None
        if wizard is not None and wizard.currentPage() is self:
            wizard.next()

    def cleanupPage(self) -> None:
        """Back to the mapping: the file as it is, without this page's rules and skips."""
        self.visited = False
        if self.applied is not None:
            self.applied = None
            self.w.prepare()
