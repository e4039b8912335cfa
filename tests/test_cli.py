"""The command-line contract of DESIGN.md (new, export json, --version, errors)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from journeymapper import __version__
from journeymapper.cli import main
from journeymapper.storage.templates import template_names


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "journeymapper", *args],
                          capture_output=True, text=True, timeout=120)


def test_version_and_help_from_a_real_process() -> None:
    version = run("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"journeymapper {__version__}"
    help_text = run("--help").stdout
    for command in ("new", "import", "export", "rfm", "events-sql"):
        assert f"  {command} " in help_text


def test_template_project_exports_its_journeys_as_json(tmp_path: Path) -> None:
    path = tmp_path / "x.jmap"
    assert main(["new", str(path), "--template", "b2b saas"]) == 0
    out = tmp_path / "x.json"
    assert main(["export", str(path), "--format", "json", "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["format"] == "journeymapper" and data["version"] == 1
    assert data["project"] == {"name": "x"}
    assert [s["name"] for s in data["segments"]] == ["Small business", "Enterprise"]
    small = data["segments"][0]
    assert small["stages"][:3] == ["Awareness", "Consideration", "Purchase"]
    assert {"name": "Pricing page", "stage": "Consideration", "channel": "web"}.items() <= \
        next(t for t in small["touchpoints"] if t["name"] == "Pricing page").items()


def test_json_export_is_byte_identical_twice(tmp_path: Path) -> None:
    path = tmp_path / "y.jmap"
    main(["new", str(path), "--template", "retail banking"])
    digests = set()
    for name in ("a.json", "b.json"):
        main(["export", str(path), "--format", "json", "-o", str(tmp_path / name)])
        digests.add(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    assert len(digests) == 1


@pytest.mark.parametrize("template", template_names())
def test_every_template_makes_a_project(tmp_path: Path, template: str) -> None:
    path = tmp_path / "t.jmap"
    assert main(["new", str(path), "--template", template]) == 0
    out = tmp_path / "t.json"
    main(["export", str(path), "--format", "json", "-o", str(out)])
    segments = json.loads(out.read_text())["segments"]
    if template == "blank":
        assert [(s["name"], s["stages"]) for s in segments] == [("All customers", [])]
    else:
        assert len(segments) >= 2 and all(s["stages"] and s["touchpoints"] for s in segments)


def test_new_without_template_is_blank(tmp_path: Path) -> None:
    path = tmp_path / "b.jmap"
    assert main(["new", str(path)]) == 0
    out = tmp_path / "b.json"
    main(["export", str(path), "--format", "json", "-o", str(out)])
    assert [(s["name"], s["stages"], s["touchpoints"])
            for s in json.loads(out.read_text())["segments"]] == [("All customers", [], [])]


def test_errors_exit_2_with_one_line_on_stderr(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.jmap"
    bogus.write_text("just some notes\n")
    result = run("export", str(bogus), "--format", "json", "-o", str(tmp_path / "o.json"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "notes.jmap" in result.stderr
    assert not (tmp_path / "o.json").exists()
    assert main(["new", str(tmp_path / "z.jmap"), "--template", "nonesuch"]) == 2
    assert not (tmp_path / "z.jmap").exists()
    existing = tmp_path / "e.jmap"
    existing.write_text("keep")
    assert main(["new", str(existing)]) == 2 and existing.read_text() == "keep"
