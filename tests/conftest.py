"""Shared fixtures. Qt runs offscreen; tests copy what they modify into tmp_path."""

from __future__ import annotations

import gc
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TELCO = SHARED / "data" / "telco"
CDNOW = SHARED / "data" / "cdnow"


_TESTS_RUN = [0]


@pytest.fixture(autouse=True)
def _cycles_collected_between_tests() -> Iterator[None]:
    """Python's cycle collector runs between tests, once every background worker has ended,
    not at whatever moment a test's event loop allocates: two of six full runs crashed
    (segfault) while it freed PySide6 objects of earlier tests in the middle of an event loop
    with a worker thread running. Tests that measure memory measure single steps, which this
    does not change."""
    gc.disable()
    try:
        yield
    finally:
        background = sys.modules.get("journeymapper.ui.background")
        keeper = getattr(background, "_keeper", None)
        for worker in list(getattr(keeper, "workers", ())):
            worker.wait()
        gc.enable()
        # What the test made is all in the youngest generation (nothing was promoted while the
        # collector was off): collecting it is cheap; the whole heap only now and then.
        _TESTS_RUN[0] += 1
        gc.collect(2 if _TESTS_RUN[0] % 100 == 0 else 0)


@pytest.fixture
def telco(tmp_path: Path) -> Path:
    """A writable copy of the telco sample data."""
    target = tmp_path / "telco"
    shutil.copytree(TELCO, target)
    return target


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The clipboard emptied while the QApplication still lives: a test's Copy left its
    QMimeData there, and Qt's offscreen platform then crashed freeing it at the interpreter's
    shutdown, once every test had passed (exit 139, tests/test_ui_canvas.py's copy-and-paste
    test alone). The app on X11 (xcb) quits cleanly after a Copy."""
    gui = sys.modules.get("PySide6.QtGui")
    app = gui.QGuiApplication.instance() if gui is not None else None
    if app is not None:
        app.clipboard().clear()
