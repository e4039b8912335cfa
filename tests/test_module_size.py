"""Small modules with one purpose each: none in the package is over 600 lines (issue 16)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "journeymapper"
LIMIT = 600


def oversized(root: Path, limit: int = LIMIT) -> dict[str, int]:
    """Every module below ``root`` with more than ``limit`` lines, by its path from ``root``."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found[path.relative_to(root).as_posix()] = lines
    return found


def test_no_module_over_600_lines() -> None:
    assert oversized(PACKAGE) == {}


def test_a_module_over_the_limit_is_named(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "long.py").write_text("x = 1\n" * (LIMIT + 1), encoding="utf-8")
    (tmp_path / "at_limit.py").write_text("x = 1\n" * LIMIT, encoding="utf-8")
    assert oversized(tmp_path) == {"sub/long.py": LIMIT + 1}
