"""Find in project (Ctrl+F): sqlite-utils' full-text index, built in memory, over every
segment's names and notes; the bar jumps to a match in another segment."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from ui_support import isolate_settings, key, open_window, type_text

from journeymapper.model import Segment, Stage, Touchpoint
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.search import ProjectIndex, fts_query

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _build(path: Path) -> dict[str, str]:
    """Two segments; returns {name: id} of what the tests look for."""
    ids: dict[str, str] = {}
    with ProjectFile.create(path, segment=None) as pf:
        for position, (segment, cards) in enumerate((
                ("Retail", [("Aware", "Store visit", "Asked about the Café corner"),
                            ("Buy", "Checkout", ""), ("Buy", "Receipt", "")]),
                ("Business", [("Aware", "Trade fair", ""), ("Buy", "Check out online", ""),
                              ("Buy", "Invoice", "sent after the checkout, by post")]))):
            seg = pf.insert(Segment(segment, position))
            ids[segment] = seg.id
            stages: dict[str, Stage] = {}
            for stage_name, name, notes in cards:
                if stage_name not in stages:
                    stages[stage_name] = pf.insert(Stage(seg.id, stage_name, len(stages)))
                    ids[f"{segment}/{stage_name}"] = stages[stage_name].id
                tp = pf.insert(Touchpoint(seg.id, stages[stage_name].id, name, notes=notes,
                                          y=100 * len(ids)))
                ids[f"{segment}/{name}"] = tp.id
    return ids


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "shop.jmap"
    return path, _build(path)


def _found(pf: ProjectFile, text: str) -> list[tuple[str, str, bool]]:
    index = ProjectIndex(pf)
    try:
        names = {s.id: s.name for s in pf.segments()}
        return [(names[h.segment_id], h.name, h.in_notes) for h in index.find(text)]
    finally:
        index.close()


def test_finds_names_and_notes_in_every_segment_in_the_projects_order(built) -> None:  # noqa: ANN001
    path, _ = built
    with ProjectFile.open(path) as pf:
        assert _found(pf, "check") == [
            ("Retail", "Checkout", False), ("Business", "Check out online", False),
            ("Business", "Invoice", True)]  # the word is in its notes
        assert _found(pf, "CHECK OUT") == [("Business", "Check out online", False)]
        assert _found(pf, "cafe") == [("Retail", "Store visit", True)]  # accents do not count
        assert _found(pf, "buy") == [("Retail", "Buy", False), ("Business", "Buy", False)]
        assert _found(pf, "business") == [("Business", "Business", False)]
        assert _found(pf, "nothing like it") == []
        assert _found(pf, "   ") == []


@pytest.mark.parametrize(("text", "plain"), [
    ('"', ""), ('""', ""), ("(", ""), (")", ""), ("'", ""), ("AND", "and"),
    ("check OR x", "check or x"), ("NEAR(check receipt)", "near check receipt"),
    ("che*", "che"), ("^check", "check"), ("-check", "check"), ("name:cafe", "name cafe"),
    ("notes : cafe", "notes cafe"), ("{name}", "name"), ("check\x00", "check"),
    ('check "', "check")])
def test_what_someone_types_is_text_never_query_syntax(built, text: str,  # noqa: ANN001
                                                        plain: str) -> None:
    """FTS5's operators are words or punctuation like any other: no syntax error, and the
    same matches as the words alone."""
    path, _ = built
    with ProjectFile.open(path) as pf:
        assert _found(pf, text) == _found(pf, plain)
    assert fts_query(text).count('"*') == len(text.replace("\x00", " ").split())


def test_the_index_is_never_in_the_file(built) -> None:  # noqa: ANN001
    path, _ = built
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with ProjectFile.open(path) as pf:
        schema = pf.conn.execute("SELECT type, name FROM sqlite_master ORDER BY name").fetchall()
        assert _found(pf, "checkout")
        assert pf.conn.execute("SELECT type, name FROM sqlite_master ORDER BY name"
                               ).fetchall() == schema
        assert pf.conn.execute("SELECT count(*) FROM sqlite_temp_master").fetchone()[0] == 0
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    ProjectFile.open(path).close()  # and it still passes the open check


def _child(code: str, tmp_path: Path) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, check=True,
                          capture_output=True, text=True, timeout=120).stdout.strip()


def test_sqlite_utils_is_imported_by_the_first_search_only(built, tmp_path: Path) -> None:  # noqa: ANN001
    path, _ = built
    out = _child(f"""
        import sys
        from journeymapper.cli import main
        main(["new", {str(tmp_path / "new.jmap")!r}])
        main(["export", {str(path)!r}, "--format", "json", "-o", {str(tmp_path / "m.json")!r}])
        print("cli", "sqlite_utils" in sys.modules)
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from journeymapper.ui import launcher
        window = launcher.open_path({str(path)!r})
        print("window", "sqlite_utils" in sys.modules)
        window.find_bar.open_bar()
        window.find_bar.field.setText("check")
        print("search", "sqlite_utils" in sys.modules, window.find_bar.count.text())
        """, tmp_path)
    assert out.splitlines()[-3:] == ["cli False", "window False",
                                     "search True 1 of 3 · Retail"]


@pytest.fixture
def window(qtbot, built, tmp_path: Path):  # noqa: ANN001
    isolate_settings(tmp_path)
    return open_window(qtbot, built[0])


def _selected(window) -> list[str]:  # noqa: ANN001
    scene = window.scene
    return [scene.cards[i].tp.name for i in scene.selected_touchpoint_ids()]


def test_ctrl_f_jumps_to_a_card_in_another_segment_and_back(window, built) -> None:  # noqa: ANN001
    _, ids = built
    assert window.scene.segment_id == ids["Retail"]
    key(window, Qt.Key.Key_F, CTRL)
    type_text(window, "invoice")
    assert window.scene.segment_id == ids["Business"]
    assert _selected(window) == ["Invoice"]
    assert window.find_bar.field.hasFocus()  # typing goes on in the field
    window.find_bar.field.clear()
    type_text(window, "check")
    assert (window.scene.segment_id, _selected(window)) == (ids["Retail"], ["Checkout"])
    assert window.find_bar.count.text() == "1 of 3 · Retail"
    key(window, Qt.Key.Key_Return)
    assert (window.scene.segment_id, _selected(window)) == (ids["Business"],
                                                             ["Check out online"])
    key(window, Qt.Key.Key_Return)
    assert _selected(window) == ["Invoice"]
    assert window.find_bar.count.text() == "3 of 3 · Business (in its notes)"
    key(window, Qt.Key.Key_Return)  # round to the first
    assert (window.scene.segment_id, _selected(window)) == (ids["Retail"], ["Checkout"])
    key(window, Qt.Key.Key_Return, SHIFT)  # and back
    assert _selected(window) == ["Invoice"]
    key(window, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible() and window.view.hasFocus()


def test_a_stage_or_segment_match_shows_it(window, built) -> None:  # noqa: ANN001
    _, ids = built
    key(window, Qt.Key.Key_F, CTRL)
    type_text(window, "business")
    assert window.scene.segment_id == ids["Business"] and _selected(window) == []
    window.find_bar.field.clear()
    type_text(window, "aware")
    key(window, Qt.Key.Key_Return)
    assert window.scene.segment_id == ids["Business"]
    assert window.scene.stage_items[ids["Business/Aware"]].isSelected()


def test_a_change_while_the_bar_is_open_is_found(window, built) -> None:  # noqa: ANN001
    _, ids = built
    key(window, Qt.Key.Key_F, CTRL)
    type_text(window, "parcel")
    assert window.find_bar.count.text() == "no match"

    def rename(project: ProjectFile) -> object:
        with project.operation("Rename") as op:
            project.update("touchpoint", ids["Retail/Receipt"], name="Parcel label")
        return op

    window.editor.run(rename)
    window.find_bar.field.setText("parcel")
    window.find_bar.search(step=0)
    assert window.find_bar.count.text() == "1 of 1 · Retail"
    assert _selected(window) == ["Parcel label"]


def test_one_segment_is_not_named(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path)
    path = tmp_path / "one.jmap"
    with ProjectFile.create(path) as pf:
        seg = pf.segments()[0]
        stage = pf.insert(Stage(seg.id, "Try"))
        pf.insert(Touchpoint(seg.id, stage.id, "Free trial"))
    win = open_window(qtbot, path)
    key(win, Qt.Key.Key_F, CTRL)
    type_text(win, "trial")
    assert _selected(win) == ["Free trial"]
    assert win.find_bar.count.text() == "1 of 1"
