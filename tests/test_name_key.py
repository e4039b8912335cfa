"""Names match in one way everywhere (model.name_key): case and whitespace do not count."""

from __future__ import annotations

import ast
from pathlib import Path

import journeymapper
from journeymapper.model import name_key

PACKAGE = Path(journeymapper.__file__).parent


def test_case_and_whitespace_do_not_count() -> None:
    assert name_key("Check out") == name_key("checkout") == name_key(" CHECK\tOUT\n")
    assert name_key("Straße") == name_key("STRASSE")  # casefold, not lower
    assert name_key("Check-out") != name_key("Checkout")  # punctuation does count


def test_no_module_folds_names_its_own_way() -> None:
    """A copy of name_key (casefold of a name with its whitespace removed) anywhere else."""
    copies = []
    for path in PACKAGE.rglob("*.py"):
        if path.parent.name == "model" and path.name == "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                source = ast.unparse(node)
                if "casefold()" in source and ("split()" in source or "\\s+" in source):
                    copies.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}")
    assert copies == []
