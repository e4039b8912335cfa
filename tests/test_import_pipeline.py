"""One import pipeline and one background runner (issue 16): RFM segments from ``rfm --into``,
``import --kind transactions`` and the Customers menu are the same import (importers.apply),
each undone in one step to the file as it was; a cancelled run changes nothing; progress
reaches 100 %; the kinds are one registry."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from test_ui_economics import accept_file_dialog
from ui_support import dump, isolate_settings, make_project, open_window, read

from journeymapper.cli import main
from journeymapper.commands.imports import remove_import
from journeymapper.commands.rfm import add_rfm_segments
from journeymapper.importers import kinds
from journeymapper.storage import ProjectFile
from journeymapper.ui.background import BackgroundOp

ROOT = Path(__file__).resolve().parent.parent
# Ids that must never reach a project file.
TRANSACTIONS = ("customer,date,amount\n"
                "qq-0001,2024-01-01,100\nqq-0001,2024-02-01,50\nqq-0001,2024-03-01,20\n"
                "qq-0002,2024-03-01,10\nqq-0003,2023-01-05,7.5\n"
                "qq-0004,2024-02-15,30\nqq-0004,2024-02-20,-5\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "tx.csv"
    path.write_text(TRANSACTIONS)
    return path


def rfm_figures(path: Path) -> dict[tuple[str, str], float]:
    """(segment, metric) -> value of what the transactions import wrote."""
    with read(path) as pf:
        names = {s.id: s.name for s in pf.segments()}
        ids = {i.id for i in pf.imports() if i.kind == kinds.TRANSACTIONS.name}
        return {(names[o.segment_id], o.metric_key): o.value for o in pf.observations()
                if o.import_id in ids}


def test_rfm_into_is_an_import_removed_in_one_step(tmp_path: Path, project: Path,
                                                   data: Path) -> None:
    before = dump(project)
    assert main(["rfm", str(data), "-o", str(tmp_path / "list.csv"), "--into",
                 str(project)]) == 0
    figures = rfm_figures(project)
    assert figures[("Loyal", "customers")] == 1  # qq-0001: recent, three purchase days
    with ProjectFile.open(project) as pf:
        (imp,) = [i for i in pf.imports() if i.kind == kinds.TRANSACTIONS.name]
        assert "RFM segment(s)" in imp.summary and imp.rows_read == 7
        op = remove_import(pf, imp.id)
        assert op
    assert dump(project) == before
    assert b"qq-000" not in project.read_bytes()
    # `import --kind transactions` is the same import: the same rows.
    assert main(["import", str(project), str(data), "--kind", "transactions"]) == 0
    assert rfm_figures(project) == figures


def test_a_second_transactions_file_replaces_the_first_and_undoes_to_it(
        tmp_path: Path, project: Path, data: Path) -> None:
    with ProjectFile.open(project) as pf:
        demo = {s.name for s in pf.segments()}
        first, _ = add_rfm_segments(pf, data)
        assert first
        middle = pf.dump()
        made = {s.name: s.id for s in pf.segments() if s.name not in demo}
        assert "Lost" in made  # qq-0003, who bought once, long ago
        other = tmp_path / "later.csv"  # another file name: still one customer base
        other.write_text("customer,date,amount\nqq-0001,2024-01-01,100\n")
        second, summary = add_rfm_segments(pf, other)
        assert second and "replaces the import" in summary
        assert [i.file_name for i in pf.imports()
                if i.kind == kinds.TRANSACTIONS.name] == ["later.csv"]
        # One customer, scored 1-1-1: "Lost" alone, with its id; the others, empty, are gone.
        assert {s.name: s.id for s in pf.segments() if s.name not in demo} == \
            {"Lost": made["Lost"]}
        second.undo()
        assert pf.dump() == middle


def test_rfm_from_the_customers_menu_is_one_undo_step(qtbot, tmp_path: Path,  # noqa: ANN001
                                                      project: Path, data: Path) -> None:
    isolate_settings(tmp_path)
    window = open_window(qtbot, project)
    before = dump(project)
    action = window.findChild(QAction, "rfmAdd")
    assert action is not None and action.isEnabled()
    seen: list[str] = []
    accept_file_dialog(data, seen)
    action.trigger()
    op = window.customers.running
    assert isinstance(op, BackgroundOp) and window.customers.progress is not None
    qtbot.waitUntil(lambda: not window.customers.busy(), timeout=20_000)
    assert window.customers.last_error is None
    assert window.editor.undo_stack.count() == 1
    assert op.fractions[-1] == 1.0 and op.fractions == sorted(op.fractions)
    cli = make_project(tmp_path, name="cli.jmap")
    assert main(["rfm", str(data), "-o", str(tmp_path / "l.csv"), "--into", str(cli)]) == 0
    assert rfm_figures(project) == rfm_figures(cli)  # the same pipeline, the same rows
    after = dump(project)
    window.actions_["undo"].trigger()
    assert dump(project) == before
    window.actions_["redo"].trigger()
    assert dump(project) == after


def test_cancel_during_the_write_leaves_the_file_unchanged(qtbot, tmp_path: Path,  # noqa: ANN001
                                                           project: Path, data: Path) -> None:
    isolate_settings(tmp_path)
    window = open_window(qtbot, project)
    before = dump(project)
    reached: list[float] = []

    def work(pf: ProjectFile, progress):  # noqa: ANN001, ANN202
        def then_cancel(fraction: float) -> bool:
            reached.append(fraction)
            if fraction > 0.5:  # the values are being written: Cancel pressed now
                op.cancel()
            return progress(fraction)

        return add_rfm_segments(pf, data, progress=then_cancel)

    failed: list[Exception] = []
    op = BackgroundOp(window, window.project, work, window.editor, writes=True)
    op.failure(failed.append).run_in_background("Adding…")
    assert op.dialog is not None and op.dialog.isVisible()
    qtbot.waitUntil(lambda: op.outcome is not None and bool(failed), timeout=20_000)
    assert "cancelled" in str(failed[0]) and max(reached) > 0.5
    assert dump(project) == before
    assert window.editor.undo_stack.count() == 0


def test_wizard_progress_reaches_100(qtbot, tmp_path: Path, project: Path,  # noqa: ANN001
                                     data: Path) -> None:
    from test_ui_import import IMPORT, NEXT, click, start_wizard

    from journeymapper.ui.importing.wizard import PAGE_PREVIEW, PAGE_RUN

    isolate_settings(tmp_path)
    window = open_window(qtbot, project)
    wizard = start_wizard(qtbot, window, data)
    qtbot.waitUntil(wizard.file_page.isComplete)
    assert wizard.kind == kinds.TRANSACTIONS.name
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.prepared is not None and not wizard.preparing)
    click(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_PREVIEW)
    assert "4 customer(s) in 4 RFM segment(s)" in wizard.preview_page.changes.toPlainText()
    click(qtbot, wizard, IMPORT)
    assert wizard.currentId() == PAGE_RUN
    qtbot.waitUntil(lambda: wizard.run_page.is_done, timeout=20000)
    bar = wizard.run_page.progress
    assert bar.value() == bar.maximum()
    assert window.editor.undo_stack.count() == 1
    assert rfm_figures(project)[("Loyal", "customers")] == 1


def test_every_kind_is_offered_by_the_cli_and_the_wizard(
        qtbot, tmp_path: Path, project: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    from journeymapper.ui.importing.wizard import ImportWizard

    isolate_settings(tmp_path)
    window = open_window(qtbot, project)
    wizard = ImportWizard(window.project, window.editor, window)
    qtbot.addWidget(wizard)
    box = wizard.file_page.kind_box
    assert [box.itemData(i) for i in range(box.count())] == kinds.names()
    with pytest.raises(SystemExit):
        main(["import", str(project), "x.csv", "--kind", "nonsense"])
    assert ", ".join(repr(name) for name in kinds.names()) in capsys.readouterr().err
    for kind in kinds.KINDS.values():
        assert kind.read is not None, kind.name  # every reader is registered


def _names_a_kind(node: ast.expr) -> bool:
    """``kind``, ``args.kind``, ``preview.kind``, ``i.kind``...: a name or attribute of kind."""
    return "kind" in (node.id if isinstance(node, ast.Name) else
                      node.attr if isinstance(node, ast.Attribute) else "")


def test_no_kind_is_matched_outside_the_registry() -> None:
    """No comparison of a kind with a kind's name anywhere in the package but in
    importers/kinds.py (``kind == "transactions"``, ``imp.kind in ("metrics", ...)``)."""
    names = set(kinds.names())
    found = []
    for path in (ROOT / "journeymapper").rglob("*.py"):
        if path.name == "kinds.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            if not any(_names_a_kind(side) for side in sides):
                continue
            for side in sides:
                values = side.elts if isinstance(side, ast.Tuple | ast.List | ast.Set) \
                    else [side]
                found += [f"{path.relative_to(ROOT)}:{node.lineno} {v.value!r}"
                          for v in values if isinstance(v, ast.Constant) and v.value in names]
    assert found == []


def test_an_option_the_kind_does_not_take_is_refused(project: Path, data: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    before = dump(project)
    assert main(["import", str(project), str(data), "--kind", "transactions",
                 "--create-missing", "Later"]) == 2
    takers = [k.name for k in kinds.KINDS.values() if kinds.CREATE_MISSING in k.options]
    assert f"--create-missing applies to --kind {' or '.join(takers)}, not transactions" in \
        capsys.readouterr().err
    assert dump(project) == before


def test_closing_the_window_mid_run_changes_nothing(qtbot, tmp_path: Path,  # noqa: ANN001
                                                    project: Path) -> None:
    from journeymapper.ui import background

    isolate_settings(tmp_path)
    before = dump(project)
    window = open_window(qtbot, project, register=False)
    cdnow = ROOT.parent / "shared" / "data" / "cdnow" / "CDNOW_master.txt"
    assert window.customers.add_file(cdnow) is not None
    window.close()  # deletes the window, and the run with it
    qtbot.waitUntil(lambda: not background.working(), timeout=30_000)
    assert dump(project) == before
