"""The wizard's matching step: the names the file has and the project lacks. Rules proposed
from the names' patterns come first (a click stream's 3,000 URLs are a few rules); each name
left is mapped to the card it means (kept as its alias), added as a new card in a stage, or
skipped (its rows are not imported). Rules and skipped names change what the file says, so
Next reads it again with them before the preview (in the background, as every read)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
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
        box_layout = QVBoxLayout(self.rules_box)
        box_layout.addWidget(hint)
        box_layout.addWidget(self.proposals)
        self.table = QTableWidget(0, 6, objectName="unknownTable")
        self.table.setHorizontalHeaderLabels(["Touchpoint", "Segment", "Stage of a new card",
                                              "Close matches in the project",
                                              "Or the card it means", "Rows"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
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
        self.boxes: list[QComboBox] = []
        self.cards: list[QComboBox] = []  # per row: NEW_CARD, SKIP_ROWS or the card it means
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
        self.table.setUpdatesEnabled(False)
        self.table.setRowCount(len(self.unknown))
        self.boxes, self.cards = [], []
        for r, u in enumerate(self.unknown):
            self.table.setItem(r, 0, QTableWidgetItem(u.name))
            self.table.setItem(r, 1, QTableWidgetItem(
                ", ".join(s or "every segment" for s in u.segments)))
            box = QComboBox(editable=True, objectName=f"stage:{u.name}")
            box.addItems(stages)
            box.setEditText(u.stage or self.all_stage())
            self.table.setCellWidget(r, 2, box)
            self.boxes.append(box)
            card = QComboBox(objectName=f"card:{u.name}")
            card.addItems([NEW_CARD, *u.matches, SKIP_ROWS,
                           *(n for n in project_cards if n not in u.matches)])
            card.setCurrentIndex(max(card.findText(self._memory.get(name_key(u.name), "")), 0))
            box.setEnabled(card.currentIndex() == 0)
            card.currentIndexChanged.connect(
                lambda i, b=box, c=card, n=u.name: self._card_chosen(b, c, n))
            self.table.setItem(r, 3, QTableWidgetItem(", ".join(u.matches) or "—"))
            self.table.setCellWidget(r, 4, card)
            rows = QTableWidgetItem(f"{prepared.rows.get(name_key(u.name), 0):,}")
            self.table.setItem(r, 5, rows)
            self.cards.append(card)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(2, max(self.table.columnWidth(2), 200))
        self.table.setUpdatesEnabled(True)
        self.proposals.fill(prepared.proposals, [u.name for u in self.unknown], prepared.rows,
                            project_cards, stages, self.all_stage(), self._used)
        self.rules_box.setVisible(bool(prepared.proposals))
        self.rules_box.setTitle(f"Rules from the names' patterns ({len(prepared.proposals)})")
        if prepared.proposals:
            self.splitter.setSizes([280, 360])
        self._covered_changed()

    def _card_chosen(self, stage_box: QComboBox, card: QComboBox, name: str) -> None:
        stage_box.setEnabled(card.currentIndex() == 0)
        self._memory[name_key(name)] = card.currentText()
        self._covered_changed()

    def _covered_changed(self) -> None:
        """Names a used rule takes leave the list below; the count above it says so."""
        taken = self._taken()
        for r, u in enumerate(self.unknown):
            self.table.setRowHidden(r, u.name in taken)
        self._used = self.proposals.used()
        skipped = sum(1 for u, c in zip(self.unknown, self.cards, strict=False)
                      if c.currentText() == SKIP_ROWS and u.name not in taken)
        left = len(self.unknown) - len(taken)
        text = f"{left:,} name(s) to map one by one"
        if taken:
            text += f"; {len(taken):,} taken by the rules in use"
        if skipped:
            text += f"; {skipped:,} skipped (their rows are not imported)"
        self.left.setText(text + ".")

    def _taken(self) -> set[str]:
        return {n for c in self.proposals.chosen() for n in c.names}

    def _apply_all(self) -> None:
        for box, u in zip(self.boxes, self.unknown, strict=False):
            if not u.stage:  # a namesake's stage in another segment stays the default
                box.setEditText(self.all_stage())

    def all_stage(self) -> str:
        return self.all_box.currentText().strip() or jobs.NEW_STAGE

    # -- what the import takes from the page ---------------------------------------------

    def _rows(self) -> list[tuple[jobs.Unknown, QComboBox, QComboBox]]:
        """The names no used rule takes, with their stage and card choosers."""
        taken = self._taken()
        return [(u, box, card) for u, box, card in zip(self.unknown, self.boxes, self.cards,
                                                      strict=False) if u.name not in taken]

    def placements(self) -> list[tuple[str | None, str, str]]:
        """(segment, name, stage) of each new card: names added as cards, and the new cards
        rules map to (in every segment of the names they take)."""
        out = [(segment, u.name, box.currentText().strip() or self.all_stage())
               for u, box, card in self._rows() if card.currentIndex() == 0
               for segment in u.segments]
        segments = {u.name: u.segments for u in self.unknown}
        for c in self.proposals.chosen():
            if c.target is not None and c.stage is not None:
                for segment in dict.fromkeys(s for n in c.names for s in segments[n]):
                    out.append((segment, c.target, c.stage))
        return list(dict.fromkeys(out))

    def aliases(self) -> list[tuple[str, str]]:
        """(name in the file, card) for each name mapped to an existing card."""
        return [(u.name, card.currentText()) for u, _, card in self._rows()
                if card.currentIndex() > 0 and card.currentText() != SKIP_ROWS]

    def skipped(self) -> list[str]:
        """The names skipped one by one (a rule may skip more)."""
        return [u.name for u, _, card in self._rows() if card.currentText() == SKIP_ROWS]

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
