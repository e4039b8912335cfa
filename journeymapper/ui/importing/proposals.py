"""The matching step's proposed rules: one row per pattern the unknown names share, with what
it takes (names and rows, first match wins, as the import will try them), the card it maps to
(an existing card, a new card in a stage, or "skip these rows"), a Use box and Reject. The
pattern and the card can be edited; what the rows take is counted again at once."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QToolButton,
    QWidget,
)

from journeymapper.errors import InputError
from journeymapper.importers.matching import compile_pattern
from journeymapper.importers.rule_proposals import Proposal
from journeymapper.model import name_key

SKIP_ROWS = "— skip these rows —"
COLUMNS = ("Use", "Pattern", "Takes", "Maps to the card", "Stage of a new card", "")


@dataclass
class Chosen:
    """An accepted proposal as the import takes it: ``target`` None means skip its names."""

    pattern: str
    target: str | None
    stage: str | None  # where a new card goes (None: the target is a card of the project)
    names: list[str]


class ProposalTable(QTableWidget):
    """``changed`` is emitted whenever what the accepted rules take may have changed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("proposalTable")
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.names: list[str] = []
        self.rows_of: dict[str, int] = {}
        self.cards: list[str] = []
        self.uses: list[QCheckBox] = []
        self.patterns: list[QLineEdit] = []
        self.takes: list[QLabel] = []
        self.targets: list[QComboBox] = []
        self.stages: list[QComboBox] = []
        self.rejected: set[int] = set()
        self.taken: list[list[str]] = []

    def fill(self, proposals: list[Proposal], names: list[str], rows: dict[str, int],
             cards: list[str], stages: list[str], stage: str,
             remembered: dict[str, bool] | None = None) -> None:
        """One row per proposal; ``remembered`` ({pattern: used}) keeps earlier choices when
        the page is shown again for the same file."""
        self.names, self.rows_of, self.cards = names, rows, cards
        self.setRowCount(0)  # rows rejected on an earlier visit are shown again
        self.setRowCount(len(proposals))
        self.uses, self.patterns, self.takes, self.targets, self.stages = [], [], [], [], []
        self.rejected = set()
        for r, p in enumerate(proposals):
            use = QCheckBox(objectName=f"useRule:{r}")
            use.setChecked(bool((remembered or {}).get(p.pattern)))
            use.setToolTip("Use this rule for this import and keep it for later ones")
            pattern = QLineEdit(p.pattern, objectName=f"rulePattern:{r}")
            pattern.setToolTip("Shell-style: * any text, ? one character; case and spaces "
                               "do not count")
            takes = QLabel(objectName=f"ruleTakes:{r}")
            target = QComboBox(objectName=f"ruleCard:{r}", editable=True)
            target.addItems([*([p.target] if p.existing else []),
                             *(c for c in cards if c != p.target), SKIP_ROWS])
            target.setEditText(p.target)
            target.setToolTip("A card of the project, a new card's name, or skip these rows")
            stage_box = QComboBox(objectName=f"ruleStage:{r}", editable=True)
            stage_box.addItems(stages)
            stage_box.setEditText(stage)
            reject = QToolButton(objectName=f"rejectRule:{r}", text="Reject")
            reject.setToolTip("Leave these names to be mapped one by one")
            for c, w in enumerate((use, pattern, takes, target, stage_box, reject)):
                self.setCellWidget(r, c, w)
            use.toggled.connect(self.recount)
            pattern.textChanged.connect(self.recount)
            target.currentTextChanged.connect(self.recount)
            reject.clicked.connect(lambda _=False, i=r: self.reject(i))
            self.uses.append(use)
            self.patterns.append(pattern)
            self.takes.append(takes)
            self.targets.append(target)
            self.stages.append(stage_box)
        self.resizeColumnsToContents()
        self.recount()

    def use_all(self) -> None:
        for use in self.uses:
            if use.isEnabled():
                use.setChecked(True)

    def reject(self, row: int) -> None:
        self.rejected.add(row)
        self.uses[row].setChecked(False)
        self.setRowHidden(row, True)
        self.recount()

    def _target(self, row: int) -> str:
        return " ".join(self.targets[row].currentText().split())

    def recount(self) -> None:
        """What each rule takes: the names it matches that no accepted rule above it took."""
        claimed: set[str] = set()
        self.taken = []
        for r, pattern in enumerate(self.patterns):
            try:
                rx = compile_pattern(pattern.text()) if r not in self.rejected else None
            except InputError as e:
                rx = None
                self.takes[r].setText("⚠ " + e.detail)
            took = [n for n in self.names if n not in claimed and rx.match(name_key(n))] \
                if rx is not None else []
            self.taken.append(took)
            if rx is not None:
                rows = sum(self.rows_of.get(name_key(n), 0) for n in took)
                self.takes[r].setText(f"{len(took):,} names · {rows:,} rows")
            target = self._target(r)
            known = name_key(target) in {name_key(c) for c in self.cards}
            self.stages[r].setEnabled(bool(target) and target != SKIP_ROWS and not known)
            ok = rx is not None and bool(took) and bool(target)
            self.uses[r].setEnabled(ok)
            if self.uses[r].isChecked() and ok:
                claimed.update(took)
        self.changed.emit()

    def chosen(self) -> list[Chosen]:
        """The accepted rules, in the order they are tried."""
        out = []
        known = {name_key(c): c for c in self.cards}
        for r, use in enumerate(self.uses):
            if not use.isChecked() or not use.isEnabled():
                continue
            target = self._target(r)
            if target == SKIP_ROWS:
                out.append(Chosen(self.patterns[r].text().strip(), None, None, self.taken[r]))
                continue
            stage = None if name_key(target) in known else (
                self.stages[r].currentText().strip() or None)
            out.append(Chosen(self.patterns[r].text().strip(),
                              known.get(name_key(target), target), stage, self.taken[r]))
        return out

    def used(self) -> dict[str, bool]:
        return {p.text().strip(): u.isChecked() for p, u in zip(self.patterns, self.uses,
                                                                 strict=True)}
