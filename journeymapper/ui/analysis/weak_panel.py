"""The "Weak touchpoints" panel: the segment's weak and watch touchpoints, weakest first, each
with the reasons behind it. Clicking one selects and centres its card; "Plan an action…" (the
button or the row's context menu) asks for an action on it, its reasons as the expected
effect's starting point."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeymapper.analysis.weakness import ranked
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.analysis.follow import follow
from journeymapper.ui.overlays import WATCH_COLOUR, WEAK_COLOUR, pretty

ID_ROLE = Qt.ItemDataRole.UserRole
RAW_ROLE = Qt.ItemDataRole.UserRole + 1  # the unwrapped text
GROUP_TEXT = {1: "past a threshold", 2: "trails a competitor", 3: "drop-off stands out"}


class WeakPanel(QWidget):
    touchpointActivated = Signal(str)
    planRequested = Signal(str, str)  # touchpoint id, the expected effect to start from
    reloaded = Signal()  # the project was read again for the list

    def __init__(self, project: ProjectFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.segment_id: str | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(1)
        self.tree.setHeaderHidden(True)
        # Reasons are sentences with numbers in them: wrapped, never cut off.
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setUniformRowHeights(False)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(14)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.currentItemChanged.connect(lambda *_: self._plan_button())
        self.plan = QPushButton("Plan an action…", objectName="planAction")
        self.plan.setToolTip("An action for the selected touchpoint, its reasons as the "
                             "expected effect (Action plan panel)")
        self.plan.clicked.connect(lambda: self.request_plan(self.current_id()))
        self._reasons: dict[str, list[str]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.plan, 0, Qt.AlignmentFlag.AlignRight)
        self.stop_following = follow(project, self, self.refresh)

    def set_segment(self, segment_id: str | None) -> None:
        self.segment_id = segment_id
        self.refresh()

    def ids_in_order(self) -> list[str]:
        return [self.tree.topLevelItem(i).data(0, ID_ROLE)
                for i in range(self.tree.topLevelItemCount())]

    def texts(self) -> list[str]:
        """The rows as listed (unwrapped): "1. Call centre  —  WEAK"."""
        return [self.tree.topLevelItem(i).data(0, RAW_ROLE)
                for i in range(self.tree.topLevelItemCount())]

    def current_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, ID_ROLE) if item is not None else None

    def effect_for(self, touchpoint_id: str) -> str:
        """The expected effect an action planned here starts from: why the card is weak."""
        reasons = self._reasons.get(touchpoint_id, [])
        return ("Fix what makes it weak: " + "; ".join(reasons) + ".") if reasons else ""

    def request_plan(self, touchpoint_id: str | None) -> None:
        if touchpoint_id:
            self.planRequested.emit(touchpoint_id, self.effect_for(touchpoint_id))

    def _plan_button(self) -> None:
        self.plan.setEnabled(not self.project.read_only and self.current_id() is not None)

    def _context_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        if item is None or not item.data(0, ID_ROLE):
            return
        menu = QMenu(self)
        tp_id = item.data(0, ID_ROLE)
        plan = menu.addAction("Plan an action…")
        plan.setEnabled(not self.project.read_only)
        show = menu.addAction("Show on the map")
        chosen = menu.exec(self.tree.viewport().mapToGlobal(pos))
        # Once the menu has closed: the action's title editor then keeps the keyboard.
        if chosen is plan:
            QTimer.singleShot(0, lambda: self.request_plan(tp_id))
        elif chosen is show:
            self.touchpointActivated.emit(tp_id)

    def refresh(self) -> None:
        self.tree.clear()
        self._reasons = {}
        self._plan_button()
        if not self.segment_id:
            self.summary.setText("")
            return
        project = self.project.load()
        self.reloaded.emit()
        if not any(s.id == self.segment_id for s in project.segments):
            self.summary.setText("")
            return
        listed = ranked(project, self.segment_id)
        has_data = any(o.segment_id == self.segment_id for o in project.observations)
        weak = sum(1 for a in listed if a.weak)
        watch = len(listed) - weak
        if not has_data:
            self.summary.setText("No data in this segment yet: import survey answers, metrics "
                                 "or an event log to see where the journey breaks.")
        elif not listed:
            self.summary.setText("No weak touchpoints in this segment.")
        else:
            self.summary.setText(f"<b>{weak} weak</b>, {watch} to watch, weakest first")
        # On a dark palette the verdict colours are lightened to keep their contrast.
        dark = QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for rank, a in enumerate(listed, 1):
            verdict = "WEAK" if a.weak else "watch"
            item = QTreeWidgetItem([f"{rank}. {a.name}  —  {verdict}"])
            item.setData(0, ID_ROLE, a.touchpoint_id)
            item.setData(0, RAW_ROLE, item.text(0))
            item.setFont(0, bold)
            colour = (WEAK_COLOUR if a.weak else WATCH_COLOUR).lighter(150 if dark else 100)
            item.setForeground(0, QBrush(colour))
            why = GROUP_TEXT.get(a.group, "not yet conclusive")
            item.setToolTip(0, f"{a.name}: {why} (score {a.score:.2f})")
            self._reasons[a.touchpoint_id] = [pretty(r) for r in a.reasons]
            for reason in a.reasons:
                child = QTreeWidgetItem([pretty(reason)])
                child.setData(0, ID_ROLE, a.touchpoint_id)
                child.setData(0, RAW_ROLE, pretty(reason))
                child.setToolTip(0, pretty(reason))
                item.addChild(child)
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)
        self._wrap_all()
        self._plan_button()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.refresh()

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        super().resizeEvent(event)
        self._wrap_all()

    def _wrap_all(self) -> None:
        """Reasons are sentences with numbers in them: wrapped to the panel's width, never cut
        off. Item views do not wrap reliably by themselves, so the line breaks are put in."""
        width = self.tree.viewport().width() - self.tree.indentation() - 12
        if width < 80:
            return
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for item, indent in [(top, 0)] + [(top.child(j), self.tree.indentation())
                                              for j in range(top.childCount())]:
                raw = item.data(0, RAW_ROLE)
                if raw:
                    fm = QFontMetrics(item.font(0))
                    item.setText(0, "\n".join(wrap(raw, fm, width - indent)))

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        tp_id = item.data(0, ID_ROLE)
        if tp_id:
            self.touchpointActivated.emit(tp_id)


def wrap(text: str, fm: QFontMetrics, width: int) -> list[str]:
    """Greedy word wrap by pixel width."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and fm.horizontalAdvance(trial) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current else lines
