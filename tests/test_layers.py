"""The layer rule of DESIGN.md, checked: the Qt-free layers must not import Qt."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "journeymapper"
QT_FREE = ("model", "storage", "importers", "analysis", "exporters")


def qt_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found += [n for n in names if n.split(".")[0] in ("PySide6", "shiboken6", "PyQt6")]
    return found


def test_qt_free_layers_do_not_import_qt() -> None:
    offenders = {str(p.relative_to(PACKAGE)): qt_imports(p)
                 for layer in QT_FREE for p in (PACKAGE / layer).rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_checker_sees_a_qt_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\n")
    assert qt_imports(bad) == ["PySide6.QtCore"]
