"""Shared fixtures. Qt runs offscreen; tests copy what they modify into tmp_path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TELCO = SHARED / "data" / "telco"
CDNOW = SHARED / "data" / "cdnow"


@pytest.fixture
def telco(tmp_path: Path) -> Path:
    """A writable copy of the telco sample data."""
    target = tmp_path / "telco"
    shutil.copytree(TELCO, target)
    return target
