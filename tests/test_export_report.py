"""The PDF report: per segment the map, the weak touchpoints ranked with their reasons and the
competitor chart, then the segments compared; charts stay vectors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_export_images import DEMO, export_from_dialog, pdf_pages
from ui_support import isolate_settings, open_window

from journeymapper.analysis.weakness import ranked
from journeymapper.cli import main
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.overlays import pretty


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, Path, list[str]]:  # noqa: ANN001
    """The demo's report from the command line, made once (matplotlib and pypdf are slow to
    start): the project, the PDF and its pages' text."""
    folder = tmp_path_factory.mktemp("report")
    demo = folder / "telco.jmap"
    shutil.copy(DEMO, demo)
    out = folder / "report.pdf"
    assert main(["export", str(demo), "--format", "pdf", "--report", "-o", str(out)]) == 0
    return demo, out, pdf_pages(out)


def expected(path: Path) -> dict[str, list[tuple[str, list[str]]]]:
    """Per segment, the weak and watch touchpoints in rank order with their reasons."""
    with ProjectFile.open(path, read_only=True) as p:
        project = p.load()
    return {s.name: [(a.name, a.reasons) for a in ranked(project, s.id)]
            for s in project.segments}


def norm(text: str) -> str:
    return " ".join(pretty(text).split())


def test_report_lists_the_weak_touchpoints_with_reasons_in_rank_order(qapp, report):
    demo, out, pages = report
    wanted = expected(demo)
    assert sum(len(v) for v in wanted.values()) >= 4  # the demo has weak touchpoints to show
    for segment, listed in wanted.items():
        page = next(p for p in pages if f"Weak touchpoints — {segment}" in p)
        positions = []
        for rank, (name, reasons) in enumerate(listed, start=1):
            assert f"{rank}. {name}" in page, (segment, name)
            positions.append(page.index(f"{rank}. {name}"))
            for reason in reasons:
                assert norm(reason) in page, (segment, reason)
        assert positions == sorted(positions)
        # The map of the segment and its competitor chart are in the report too.
        assert any(f"— {segment}" in p and "Overlay: weak touchpoints" in p for p in pages)
        assert any(f"us vs competitors — {segment}" in p for p in pages)
    assert "NPS by segment" in pages[-1]
    reader = PdfReader(out)
    # Charts are drawn (vector paths and text), not pasted in as bitmaps.
    assert all(not page.images for page in reader.pages)
    assert len(reader.pages) == 3 * len(wanted) + 1


def test_report_from_the_dialog_matches_the_command_line(qtbot, report, tmp_path):
    source, _, cli_pages = report
    demo = tmp_path / "telco.jmap"
    shutil.copy(source, demo)
    isolate_settings(tmp_path)
    window = open_window(qtbot, demo, register=False)
    gui = tmp_path / "gui-report.pdf"
    export_from_dialog(qtbot, window, 3, gui)
    window.close()
    assert pdf_pages(gui) == cli_pages
