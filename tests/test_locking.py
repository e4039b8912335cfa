"""Nobody in twice: while another JourneyMapper process has a project open, opening it again
asks, in a message box naming the file and the process, whether to open it read-only or to
cancel, by whatever path it is opened (the same, a symlink, a hard link, another spelling):
the lock is the file's device and inode, in the user's private lock folder. Both answers are
given as a person gives them (a click on the box's button); a lock left by a process that was
killed is taken over without asking."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from ui_support import isolate_settings, make_project

from journeymapper.ui import launcher

# The first instance: the app's own launcher opens the file (taking the lock) and holds it
# until told to close or killed.
HOLDER = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    from journeymapper.ui import launcher
    app = QApplication([])
    window = launcher.open_path(sys.argv[1], show=False)
    assert window is not None and not window.project.read_only
    print("ready", flush=True)
    sys.stdin.readline()
    window.close()
""")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reach(path: Path, how: str) -> Path:
    """Another path to the same file."""
    if how == "symlink":
        (path.parent / "link.jmap").symlink_to(path)
        return path.parent / "link.jmap"
    if how == "hard link":
        os.link(path, path.parent / "hard.jmap")
        return path.parent / "hard.jmap"
    if how == "symlinked folder":
        (path.parent / "alias").symlink_to(path.parent)
        return path.parent / "alias" / path.name
    if how == "other spelling":
        return path.parent / "." / ".." / path.parent.name / path.name
    return path


WAYS = ["same path", "symlink", "hard link", "symlinked folder", "other spelling"]


@pytest.fixture
def held(tmp_path: Path):  # noqa: ANN201
    isolate_settings(tmp_path)
    path = make_project(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    yield path, proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def ask(button_text: str, retry: bool = True) -> list[str]:
    """Answer the question box with the button of that text, once it is up; the texts seen.
    retry=False: look once, for a question that must not come."""
    texts: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if retry:
                QTimer.singleShot(10, answer)
            return
        texts.append(f"{box.windowTitle()}\n{box.text()}\n{box.informativeText()}")
        button = next(b for b in box.buttons() if b.text().replace("&", "") == button_text)
        button.click()

    QTimer.singleShot(0, answer)
    return texts


@pytest.mark.parametrize("how", WAYS)
def test_second_instance_cancels(qtbot, held, how: str) -> None:  # noqa: ANN001
    path, proc = held
    second = reach(path, how)
    before = sha(path)
    beside = sorted(p.name for p in path.parent.iterdir())
    texts = ask("Cancel")
    assert launcher.open_path(second, show=False) is None
    assert len(texts) == 1
    assert f"{second.name} is already open" in texts[0] and f"process {proc.pid}" in texts[0]
    assert "read-only" in texts[0]
    assert sha(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == beside  # no lock beside the file


def test_the_lock_is_in_a_private_folder_named_by_identity(qtbot, held) -> None:  # noqa: ANN001
    path, _ = held
    lock = Path(launcher.lock_path(path))
    st = path.stat()
    assert lock.name == f"{st.st_dev}-{st.st_ino}.lock" and lock.exists()
    assert launcher.lock_path(reach(path, "hard link")) == str(lock)
    for folder in (lock.parent, lock.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not Path(f"{path}.lock").exists()


@pytest.mark.parametrize("how", ["same path", "symlink", "hard link"])
def test_second_instance_opens_read_only_and_cannot_write(qtbot, held,  # noqa: ANN001
                                                          how: str) -> None:
    path, proc = held
    before = sha(path)
    lock = Path(launcher.lock_path(path))
    texts = ask("Open read-only")
    window = launcher.open_path(reach(path, how))
    assert window is not None and len(texts) == 1
    qtbot.waitExposed(window)
    assert window.project.read_only and "read-only" in window.windowTitle()
    messages: list[str] = []
    window.editor.message.connect(messages.append)
    assert window.editor.add_segment("Second window") is None
    assert messages and "read-only" in messages[-1]
    window.close()
    assert sha(path) == before
    # The first instance still holds its lock: closing the read-only window did not free it.
    assert lock.exists()
    proc.stdin.write("\n")
    proc.stdin.flush()
    assert proc.wait() == 0
    assert not lock.exists()


def test_a_lock_left_by_a_killed_instance_is_taken_over(qtbot, held) -> None:  # noqa: ANN001
    path, proc = held
    proc.kill()
    proc.wait()
    assert Path(launcher.lock_path(path)).exists()  # left behind by the crash
    texts = ask("Cancel", retry=False)  # a question, if one (wrongly) came
    window = launcher.open_path(reach(path, "symlink"))
    assert window is not None
    qtbot.waitExposed(window)
    assert not window.project.read_only
    assert window.editor.add_segment("After the crash") is not None
    assert texts == []
    window.close()
