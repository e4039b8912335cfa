"""The path explorer (Analysis → Paths…): a segment's variants ranked, with their journeys and
conversion, filtered by a touchpoint they pass, and the two-step paths into and out of it.
Clicking one selects its cards and arrows on the map."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journeymapper.analysis.stats import fmt_number
from journeymapper.model import Project
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.analysis.follow import follow
from journeymapper.ui.screen_fit import FitsScreen

PATH_ROLE = Qt.ItemDataRole.UserRole  # the touchpoint ids, in order
ARROW = " → "
ALL = None


def _tree(headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for i in range(1, len(headers)):
        header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
    return tree


class PathExplorer(FitsScreen, QDialog):
    """``select``: called with the ids (touchpoints, then the moves between them) to select
    on the map."""

    def __init__(self, project: ProjectFile, segment_id: str | None,
                 select: Callable[[list[str]], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Paths")
        self.project = project
        self.segment_id = segment_id
        self.select = select
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.through = QComboBox()
        self.through.setMinimumContentsLength(20)
        self.through.setToolTip("Only the variants that pass this touchpoint, and the paths "
                                "into and out of it")
        self.variants = _tree(["Path", "Journeys", "Converted", "Conversion"])
        self.paths_in = _tree(["Into it (two steps before)", "Journeys"])
        self.paths_out = _tree(["Out of it (two steps after)", "Journeys"])
        for tree in (self.variants, self.paths_in, self.paths_out):
            tree.itemClicked.connect(self._clicked)
            tree.itemActivated.connect(self._clicked)
        top = QHBoxLayout()
        top.addWidget(QLabel("Through touchpoint:"))
        top.addWidget(self.through, 1)
        around = QWidget()
        row = QHBoxLayout(around)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.paths_in)
        row.addWidget(self.paths_out)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.variants)
        split.addWidget(around)
        split.setSizes([330, 170])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.resize(820, 600)  # fits 1280x720 with its title bar and buttons
        self.through.currentIndexChanged.connect(self._fill)
        self._project: Project | None = None
        self.stop_following = follow(project, self, self.refresh)
        self.refresh()

    def set_segment(self, segment_id: str | None) -> None:
        self.segment_id = segment_id
        self.refresh()

    def refresh(self) -> None:
        self._project = self.project.load()
        chosen = self.through.currentData()
        names = self._names()
        self.through.blockSignals(True)
        self.through.clear()
        self.through.addItem("(any touchpoint)", ALL)
        for tp_id in sorted(self._visited(), key=lambda t: names.get(t, "")):
            self.through.addItem(names[tp_id], tp_id)
        i = self.through.findData(chosen)
        self.through.setCurrentIndex(max(i, 0))
        self.through.blockSignals(False)
        self._fill()

    # -- data ----------------------------------------------------------------------------

    def _names(self) -> dict[str, str]:
        if self._project is None or self.segment_id is None:
            return {}
        return {t.id: t.name for t in self._project.touchpoints_of(self.segment_id)}

    def _facts(self):  # noqa: ANN202 - SegmentJourneys | None
        if self._project is None or self.segment_id is None:
            return None
        return self._project.journeys.get(self.segment_id)

    def _listed(self) -> list[tuple[tuple[str, ...], int, int, bool]]:
        """The stored variants (the most frequent, then the most frequent lost ones), each
        once, most journeys first; those naming a touchpoint no longer on the map left out."""
        facts, names = self._facts(), self._names()
        if facts is None:
            return []
        seen: dict[tuple[str, ...], tuple[tuple[str, ...], int, int, bool]] = {}
        for v in [*facts.variants, *facts.variants_lost]:
            if v.path and all(t in names for t in v.path):
                seen.setdefault(v.path, (v.path, v.journeys, v.converted, v.cut))
        return sorted(seen.values(), key=lambda v: (-v[1], [names[t] for t in v[0]]))

    def _visited(self) -> set[str]:
        return {t for path, *_ in self._listed() for t in path}

    # -- showing -------------------------------------------------------------------------

    def _fill(self) -> None:
        names = self._names()
        facts = self._facts()
        tp_id = self.through.currentData()
        for tree in (self.variants, self.paths_in, self.paths_out):
            tree.clear()
        if facts is None:
            self.summary.setText("No journeys in this segment: import an event log (with a "
                                 "goal, for conversion) to see its paths.")
            return
        rate = f" ({fmt_number(100 * facts.converted / facts.journeys)} %)" \
            if facts.journeys else ""
        listed = self._listed()
        # Journeys counted from a chain file come without their variants (the demo's): say so
        # rather than show three empty lists under a text that describes them.
        self.summary.setText(
            f"<b>{facts.journeys:,} journeys</b>, {facts.converted:,} converted{rate}. " + (
                "The most frequent variants as stored, most journeys first; a variant marked … "
                "was cut at 30 events. Click one to select it on the map." if listed else
                "No variants or paths are stored for this segment: an event log imported "
                "with File ▸ Import data… brings them."))
        for rank, (path, journeys, converted, cut) in enumerate(listed, 1):
            if tp_id is not ALL and tp_id not in path:
                continue
            text = ARROW.join(names[t] for t in path) + (" …" if cut else "")
            share = f"{fmt_number(100 * converted / journeys)} %" if journeys else "—"
            item = QTreeWidgetItem([f"{rank}. {text}", f"{journeys:,}", f"{converted:,}", share])
            self._add(self.variants, item, list(path))
        self.paths_in.setHeaderLabels([
            f"Into {names[tp_id]} (two steps before)" if tp_id else "Into it (pick one above)",
            "Journeys"])
        self.paths_out.setHeaderLabels([
            f"Out of {names[tp_id]} (two steps after)" if tp_id else "Out of it",
            "Journeys"])
        if tp_id is ALL:
            return
        for (u, v), n in facts.paths_in.get(tp_id, []):
            if u in names and v in names:
                path = [u, v, tp_id]
                self._add(self.paths_in, QTreeWidgetItem(
                    [ARROW.join(names[t] for t in path), f"{n:,}"]), path)
        for (u, v), n in facts.paths_out.get(tp_id, []):
            if u in names and v in names:
                path = [tp_id, u, v]
                self._add(self.paths_out, QTreeWidgetItem(
                    [ARROW.join(names[t] for t in path), f"{n:,}"]), path)

    @staticmethod
    def _add(tree: QTreeWidget, item: QTreeWidgetItem, path: list[str]) -> None:
        item.setData(0, PATH_ROLE, path)
        item.setToolTip(0, item.text(0))
        for col in range(1, tree.columnCount()):
            item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight
                                  | Qt.AlignmentFlag.AlignVCenter)
        tree.addTopLevelItem(item)

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        path = item.data(0, PATH_ROLE)
        if path:
            self.select(list(path))

    def closeEvent(self, event) -> None:  # noqa: ANN001
        self.stop_following()
        super().closeEvent(event)
