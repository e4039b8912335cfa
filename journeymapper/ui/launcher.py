"""Opening projects in windows: the lock that warns a second instance, read-only fallback,
errors shown as message boxes, new projects from templates, the demo copy, the welcome
screen. Kept apart from the main window so the window only ever sees an open project."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLockFile, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from journeymapper.errors import JourneyMapperError, ProjectFileError, one_line
from journeymapper.paths import resource
from journeymapper.storage.outputs import atomic_write
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.templates import fill_from_template, load_template, template_names
from journeymapper.ui.main_window import MainWindow
from journeymapper.ui.preferences import apply_metric_defaults
from journeymapper.ui.recent import add_recent

# Open windows, so they are not garbage-collected while shown.
WINDOWS: list[QWidget] = []
DEMO_NAME = "telco-demo.jmap"


def lock_folder() -> Path:
    """This user's private folder of open-file locks, made 0700. One that is a link or
    belongs to someone else is not used: they could take or delete our locks."""
    user = os.geteuid() if hasattr(os, "geteuid") else os.environ.get("USERNAME", "user")
    base = Path(tempfile.gettempdir()) / f"journeymapper-{user}"
    for folder in (base, base / "locks"):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        st = folder.lstat()
        if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "geteuid")
                                            and st.st_uid != os.geteuid()):
            raise OSError(f"{folder} is not a folder of this user")
        if st.st_mode & 0o077:
            folder.chmod(0o700)
    return base / "locks"


def lock_path(path: Path) -> str:
    """The lock of the file ``path`` is, whatever the path (a symlink, a hard link, another
    spelling): named by its device and inode."""
    st = path.stat()
    return str(lock_folder() / f"{st.st_dev}-{st.st_ino}.lock")


def ask_read_only_dialog(parent: QWidget | None, name: str, holder: str) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Project already open")
    box.setText(f"{name} is already open{holder}.")
    box.setInformativeText("Changes from two windows would overwrite each other. Open it "
                           "read-only to look at it, or cancel.")
    read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is read_only


def acquire(path: Path, parent: QWidget | None,
            ask_read_only: Callable[[QWidget | None, str, str], bool]
            ) -> tuple[QLockFile | None, bool] | None:
    """(lock, read_only), or None when the person cancelled."""
    try:
        lock = QLockFile(lock_path(path))
    except OSError:
        return None, False  # no private lock folder: opened without the warning
    # Never stale by age: a lock is taken over only when its process is gone (a crash).
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        return lock, False
    if lock.error() == QLockFile.LockError.LockFailedError:
        holder = _holder(lock)
        if ask_read_only(parent, path.name, holder):
            return None, True
        return None
    # No lock could be made (the temporary folder is full or not writable).
    return None, False


def _holder(lock: QLockFile) -> str:
    """Who holds the lock, for the question. PySide6 6.11 gives (pid, host, app); other
    versions put an ok flag first: read both rather than show a host name as the process."""
    info = tuple(lock.getLockInfo() or ())
    if info and isinstance(info[0], bool):
        ok, info = info[0], info[1:]
    else:
        ok = bool(info) and isinstance(info[0], int) and info[0] > 0
    if ok and len(info) >= 2:
        return f" by another JourneyMapper (process {info[0]} on {info[1]})"
    return " in another JourneyMapper"


def open_path(path: str | Path, parent: QWidget | None = None, read_only: bool = False,
              ask_read_only: Callable[[QWidget | None, str, str], bool] = ask_read_only_dialog,
              show: bool = True) -> MainWindow | None:
    path = Path(path).expanduser().absolute()
    lock: QLockFile | None = None
    if not read_only:
        if not path.exists():
            show_error(parent, ProjectFileError(f"{path.name}: no such file ({path})"))
            return None
        got = acquire(path, parent, ask_read_only)
        if got is None:
            return None
        lock, read_only = got
    try:
        project = ProjectFile.open(path, read_only=read_only)
    except JourneyMapperError as e:
        if lock is not None:
            lock.unlock()
        show_error(parent, e)
        return None
    window = MainWindow(project, lock, opener=lambda what, p=None: dispatch(what, p, window))
    WINDOWS.append(window)
    window.destroyed.connect(lambda *_: WINDOWS.remove(window) if window in WINDOWS else None)
    add_recent(path)
    if show:
        window.show()
        window.focus_canvas()
    return window


def show_error(parent: QWidget | None, error: Exception) -> None:
    import sys

    text = one_line(error)  # the command line's one line, also in the box
    print(f"journeymapper: error: {text}", file=sys.stderr)
    QMessageBox.critical(parent, "Cannot open project", text)


def dispatch(what: str, path: str | None, parent: QWidget | None) -> MainWindow | None:
    """Open what a window asked for ("open" a path, "new" from a template, the "demo"):
    the window opened, or None."""
    if what == "open" and path:
        return open_path(path, parent)
    if what == "new":
        return new_from_template_dialog(parent)
    if what == "demo":
        return open_demo(parent)
    return None


def create_from_template(path: str | Path, template: str, replace: bool = False) -> Path:
    path = Path(path)
    project = ProjectFile.create(path, replace=replace)
    try:
        if template.lower() != "blank":
            fill_from_template(project, load_template(template))
        apply_metric_defaults(project)  # the thresholds of Preferences
    finally:
        project.close()
    return path


def create_chosen(parent: QWidget | None, path: str, template: str) -> str | None:
    """Create the project a save dialog chose (adding .jmap, replacing a file the dialog
    confirmed, but only once the new one is whole); its path, or None after showing why it
    could not be made (the old file then unchanged)."""
    if not path.endswith(".jmap"):
        path += ".jmap"
    try:
        create_from_template(path, template, replace=True)
    except (OSError, JourneyMapperError) as e:
        show_error(parent, e)
        return None
    return path


def new_from_template_dialog(parent: QWidget | None) -> MainWindow | None:
    names = template_names()
    template, ok = QInputDialog.getItem(parent, "New project", "Start from:", names,
                                        0, False)
    if not ok:
        return None
    path, _ = QFileDialog.getSaveFileName(parent, "New project", "",
                                          "JourneyMapper projects (*.jmap)")
    created = create_chosen(parent, path, template) if path else None
    return open_path(created, parent) if created else None


def data_dir() -> Path:
    folder = Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _held_elsewhere(path: Path) -> bool:
    """Whether a running JourneyMapper holds the lock of the existing file ``path``."""
    try:
        probe = QLockFile(lock_path(path))
    except OSError:
        return False
    probe.setStaleLockTime(0)
    if probe.tryLock(0):
        probe.unlock()
        return False
    return True


def demo_copy() -> Path:
    """A fresh copy of the bundled demo in the user's data folder (the bundle itself may be
    read-only, and a workshop should be able to change the demo freely)."""
    target = data_dir() / DEMO_NAME
    if target.exists() and _held_elsewhere(target):  # open elsewhere: make a second copy
        i = 2
        while (data_dir() / f"telco-demo-{i}.jmap").exists():
            i += 1
        target = data_dir() / f"telco-demo-{i}.jmap"
    bundled = resource("demo", "telco.jmap")
    if bundled.exists():
        with atomic_write(target) as tmp:  # a full disk leaves the last copy, not half of one
            shutil.copyfile(bundled, tmp)
    else:
        # Until the demo is built: the b2c retail template stands in for it.
        create_from_template(target, "b2c retail", replace=True)
    return target


def open_demo(parent: QWidget | None = None, show: bool = True) -> MainWindow | None:
    try:
        path = demo_copy()
    except (OSError, JourneyMapperError) as e:
        show_error(parent, e)
        return None
    return open_path(path, parent, show=show)


def show_welcome() -> QWidget:
    from journeymapper.ui.welcome import WelcomeWindow

    welcome = WelcomeWindow(dispatch, create_chosen)
    WINDOWS.append(welcome)  # deleted when closed: then let go
    welcome.destroyed.connect(lambda *_: WINDOWS.remove(welcome) if welcome in WINDOWS else None)
    welcome.show()
    return welcome
