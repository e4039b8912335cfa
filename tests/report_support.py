"""The PDF report read back as a reader's tools read it (poppler: pdftotext, pdfinfo, pdfimages,
pdftoppm), and projects generated for it from the command line."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

from journeymapper.cli import main

FOOTER = re.compile(r"Page (\d+) / (\d+)")


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.M).group(1))


def page_text(pdf: Path, number: int, layout: bool = False) -> str:
    """One page's text, ligatures undone (NFKC): in the order it was drawn (a table cell's
    wrapped lines together), or with ``layout`` as it stands on the page, line by line."""
    text = run("pdftotext", "-layout" if layout else "-raw", "-f", str(number), "-l",
               str(number), str(pdf), "-")
    return unicodedata.normalize("NFKC", text)


def pages(pdf: Path, layout: bool = False) -> list[str]:
    return [page_text(pdf, n, layout) for n in range(1, page_count(pdf) + 1)]


def flat(text: str) -> str:
    """Runs of white space (line ends and the layout's columns) made one space."""
    return " ".join(text.split())


def image_pages(pdf: Path) -> list[int]:
    """The page of each image in the PDF (pdfimages -list), smasks left out."""
    rows = run("pdfimages", "-list", str(pdf)).splitlines()[2:]
    return [int(r.split()[0]) for r in rows if r.split()[2] != "smask"]


def body(text: str) -> str:
    """A page's text without its footer line (the line with "Page N / M")."""
    return "\n".join(line for line in text.splitlines() if not FOOTER.search(line)).strip()


def report(project: Path, out: Path, *extra: str) -> Path:
    assert main(["export", str(project), "--format", "pdf", "--report", "-o", str(out),
                 *extra]) == 0
    return out


def generated(folder: Path, name: str, rows: list[tuple[str, str, str, float, int]],
              template: str = "blank") -> Path:
    """A project named ``name`` from a template, with metrics rows (segment, touchpoint,
    metric, value, n) imported; touchpoints it lacks go to a stage "Discover"."""
    path = folder / f"{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-') or 'p'}.jmap"
    assert main(["new", str(path), "--template", template, "--name", name]) == 0
    csv = folder / f"{path.stem}.csv"
    csv.write_text("segment,touchpoint,metric,value,n\n" + "".join(
        f'"{s}","{t}",{m},{v},{n}\n' for s, t, m, v, n in rows), encoding="utf-8")
    assert main(["import", str(path), str(csv), "--kind", "metrics",
                 "--create-missing", "Discover"]) == 0
    return path
