"""Bad input for the deck and the web page: an unknown format, an output folder that does not
exist, a segment that does not exist, an output that is the project. Each exits 2 with one
line and writes nothing (no file, no temporary file left beside it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_export_images import DEMO

from journeymapper.cli import main


@pytest.fixture()
def demo(tmp_path: Path) -> Path:
    shutil.copy(DEMO, tmp_path / "telco.jmap")
    return tmp_path / "telco.jmap"


def refused(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    try:
        code = main(["export", *args])
    except SystemExit as e:  # a usage error: argparse exits
        code = e.code
    assert code == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("journeymapper: error: "), err
    return lines[0]


@pytest.mark.parametrize("fmt", ["pptx", "html"])
def test_a_missing_folder_or_segment_writes_nothing(demo: Path, tmp_path: Path, fmt: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    before = demo.read_bytes()
    line = refused(capsys, [str(demo), "--format", fmt, "-o", str(tmp_path / "no" / f"x.{fmt}")])
    assert "does not exist" in line
    out = tmp_path / f"x.{fmt}"
    line = refused(capsys, [str(demo), "--format", fmt, "-o", str(out), "--segment", "Nobody"])
    assert "no segment named 'Nobody'" in line and "Household" in line
    line = refused(capsys, [str(demo), "--format", fmt, "-o", str(demo)])
    assert "same file" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["telco.jmap"]
    assert demo.read_bytes() == before


@pytest.mark.parametrize("fmt", ["pptx", "html"])
def test_an_old_output_stays_when_the_export_is_refused(demo: Path, tmp_path: Path, fmt: str,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    out = tmp_path / f"old.{fmt}"
    out.write_bytes(b"the old file")
    refused(capsys, [str(demo), "--format", fmt, "-o", str(out), "--segment", "Nobody"])
    refused(capsys, [str(demo), "--format", fmt, "-o", str(out), "--metric", "nope"])
    assert out.read_bytes() == b"the old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"old.{fmt}", "telco.jmap"]


@pytest.mark.parametrize("fmt", ["docx", "PPTX", "htm", ""])
def test_an_unknown_format_is_one_line(demo: Path, tmp_path: Path, fmt: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    line = refused(capsys, [str(demo), "--format", fmt, "-o", str(tmp_path / "x.out")])
    assert "invalid choice" in line and "pptx" in line and "html" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["telco.jmap"]
