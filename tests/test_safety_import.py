"""An import is one write transaction, whatever happens around it (DESIGN "Safety rules"):
two processes importing the same file at the same moment store it once; a project another
program is writing is "busy" after the busy timeout; a full disk leaves the project as it was;
each of these is one line naming the file, exit 2, never a traceback. A summary stays a few
lines however many names an import brings, so the project opens again. And the app shows an
error that escapes a slot as that same one line in a message box."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from journeymapper.cli import main
from journeymapper.errors import one_line
from journeymapper.storage import ProjectFile

ROOT = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).with_name("safety_import_child.py")
BUSY_TIMEOUT = 5.0  # DESIGN: a second process waits at least 5 s

DATA = {
    "metrics": "touchpoint,nps,volume\nWeb shop,10,400\nBill,-5,250\n",
    "survey": "touchpoint,nps\nBill,10\nBill,9\nBill,3\nWeb shop,10\n",
    "events": "customer,touchpoint,timestamp\n1,Web shop,2020-01-01\n1,Bill,2020-01-02\n"
              "2,Web shop,2020-01-03\n2,Kiosk,2020-01-04\n",
    "transitions": "from,to,count\n,Web shop,5\nWeb shop,Bill,4\nBill,,4\n",
}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def env() -> dict[str, str]:
    # The children import this tree's journeymapper and write no bytecode (the disk-full
    # test limits file sizes).
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.jmap"
    ProjectFile.create(path).close()
    return path


def content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """What an import stored, by name (ids differ from one run to the next)."""
    conn = sqlite3.connect(path)
    try:
        return {
            "imports": conn.execute("SELECT kind, sha256, rows_read FROM import").fetchall(),
            "touchpoints": conn.execute(
                "SELECT s.name, t.name FROM touchpoint t JOIN segment s ON s.id = t.segment_id "
                "ORDER BY 1, 2").fetchall(),
            "values": conn.execute(
                "SELECT o.metric_key, t.name, o.value, o.n FROM observation o "
                "LEFT JOIN touchpoint t ON t.id = o.touchpoint_id ORDER BY 1, 2, 3").fetchall(),
            "transitions": conn.execute(
                "SELECT a.name, b.name, r.count FROM [transition] r "
                "LEFT JOIN touchpoint a ON a.id = r.source_id "
                "LEFT JOIN touchpoint b ON b.id = r.target_id ORDER BY 1, 2").fetchall(),
        }
    finally:
        conn.close()


def child(project: Path, data: Path, kind: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(CHILD), str(project), str(data), kind],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env())


def one_error_line(stderr: str, *names: str) -> str:
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1 and stderr.startswith("journeymapper: error: ")
    assert len(stderr) < 500
    for name in names:
        assert name in stderr
    return stderr


# -- two imports of one file at the same moment ---------------------------------------------

@pytest.mark.parametrize(("kind", "second_name"), [
    ("metrics", None), ("survey", "copy of s.csv"), ("events", None),
    ("transitions", "renamed.csv")])
def test_two_processes_importing_one_file_store_it_once(tmp_path: Path, project: Path,
                                                        kind: str, second_name: str | None
                                                        ) -> None:
    first = tmp_path / "s.csv"
    first.write_text(DATA[kind])
    second = first
    if second_name:  # the same content under another name is the same import
        second = tmp_path / second_name
        shutil.copyfile(first, second)
    reference = tmp_path / "reference.jmap"
    shutil.copyfile(project, reference)
    assert main(["import", str(reference), str(first), "--kind", kind,
                 "--create-missing", "Use"]) == 0

    children = [child(project, first, kind), child(project, second, kind)]
    for proc in children:  # both have read the file and found no earlier import
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    for proc in children:  # now both go for the write transaction at once
        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.flush()
    outcomes = []
    for proc in children:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        outcomes.append(out.splitlines())
    assert sorted(o[0] for o in outcomes) == ["already", "imported"]
    already = next(o for o in outcomes if o[0] == "already")
    assert "already imported" in already[1] and "nothing changed" in already[1]
    stored = content(project)
    assert len(stored["imports"]) == 1
    assert stored == content(reference)  # every value, count and card once


# -- a project another program is writing ---------------------------------------------------

def test_a_busy_project_is_refused_after_the_busy_timeout(tmp_path: Path) -> None:
    """Another program holds the write lock (its transaction not committed) through the whole
    import: a reserved lock is met at the import's write transaction (metrics, and the RFM
    segments of a transactions file), an exclusive one already at opening. Each says busy
    after waiting at least the busy timeout; nothing is changed."""
    runs = []
    for lock, kind in (("IMMEDIATE", "metrics"), ("IMMEDIATE", "transactions"),
                       ("EXCLUSIVE", "metrics")):
        data = tmp_path / f"{kind}.csv"
        data.write_text(_many_values(kind))
        path = tmp_path / f"{lock.lower()}-{kind}.jmap"
        ProjectFile.create(path).close()
        before = sha(path)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute(f"BEGIN {lock}")
        holder.execute("UPDATE project SET value = 'theirs' WHERE key = 'name'")
        # Transactions take no --create-missing (importers.kinds): the CLI refuses it.
        create = ["--create-missing", "Use"] if kind == "metrics" else []
        proc = subprocess.Popen([sys.executable, "-m", "journeymapper", "import", str(path),
                                 str(data), "--kind", kind, *create],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env())
        runs.append((path, lock, before, holder, proc, time.monotonic()))
    for path, lock, before, holder, proc, started in runs:
        _, err = proc.communicate(timeout=60)
        waited = time.monotonic() - started
        holder.execute("ROLLBACK")
        holder.close()
        assert proc.returncode == 2
        line = one_error_line(err, path.name, "is busy")
        assert "damaged" not in line
        assert ("nothing was imported" in line) is (lock == "IMMEDIATE")
        assert waited >= BUSY_TIMEOUT
        assert sha(path) == before
        assert content(path)["imports"] == []


# -- a full disk ------------------------------------------------------------------------------

FULL_DISK = """\
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from journeymapper.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _many_values(kind: str) -> str:
    """A file whose import needs many pages: more than the disk has room for."""
    if kind == "events":
        return "customer,touchpoint,timestamp\n" + "".join(
            f"{c},Page {c % 400},2020-01-0{1 + c % 9}\n{c},Page {(c + 1) % 400},2020-01-10\n"
            for c in range(2000))
    if kind == "transitions":
        return "from,to,count\n" + "".join(f"Page {i},Page {i + 1},{i + 1}\n"
                                           for i in range(600))
    if kind == "transactions":
        return "customer,date,amount\n" + "".join(f"c{i},2026-01-{1 + i % 28:02},{i + 1}\n"
                                                 for i in range(300))
    return "touchpoint,nps,volume\n" + "".join(f"Page {i},{i % 100},{i}\n" for i in range(600))


@pytest.mark.parametrize("kind", ["metrics", "events", "transitions"])
def test_a_full_disk_during_an_import_leaves_the_project_as_it_was(tmp_path: Path,
                                                                    project: Path,
                                                                    kind: str) -> None:
    data = tmp_path / f"{kind}.csv"
    data.write_text(_many_values(kind))
    before, data_before = sha(project), sha(data)
    # No file may grow past the project's size: the journal has room, the project has not.
    proc = subprocess.run([sys.executable, "-c", FULL_DISK, str(project.stat().st_size),
                           "import", str(project), str(data), "--kind", kind,
                           "--create-missing", "Use"],
                          capture_output=True, text=True, env=env(), timeout=120)
    assert proc.returncode == 2, proc.stdout
    one_error_line(proc.stderr, "p.jmap", "nothing was imported")
    assert sha(project) == before and sha(data) == data_before
    assert not list(tmp_path.glob("p.jmap-*"))  # no journal left behind
    with ProjectFile.open(project) as pf:
        assert pf.imports() == [] and pf.touchpoints() == []


# -- other errors reaching the command line ---------------------------------------------------

def test_system_errors_are_one_line_naming_the_file(tmp_path: Path, project: Path,
                                                    capsys) -> None:
    before = sha(project)
    folder = tmp_path / "data.csv"
    folder.mkdir()
    for kind in ("metrics", "survey", "transitions"):
        assert main(["import", str(project), str(folder), "--kind", kind]) == 2
        one_error_line(capsys.readouterr().err, "data.csv")
    assert sha(project) == before
    assert main(["import", str(tmp_path / "missing.jmap"), str(folder), "--kind",
                 "metrics"]) == 2
    one_error_line(capsys.readouterr().err, "missing.jmap")


def test_a_folder_given_as_dot_is_named(tmp_path: Path, project: Path, capsys,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "notes.txt").write_text("not a log\n")
    monkeypatch.chdir(logs)
    for kind in ("events", "transitions"):
        assert main(["import", str(project), ".", "--kind", kind]) == 2
        assert one_error_line(capsys.readouterr().err).startswith("journeymapper: error: logs")


def test_an_unforeseen_error_is_one_line_and_a_traceback_only_for_developers(
        tmp_path: Path, project: Path) -> None:
    """A bug (here: a module that fails to import, as a broken install would) is one line with
    the file's name and exit 2; JM_DEBUG=1 shows the traceback."""
    broken = tmp_path / "site"
    (broken / "openpyxl").mkdir(parents=True)
    (broken / "openpyxl" / "__init__.py").write_text("raise RuntimeError('broken install')\n")
    data = tmp_path / "k.xlsx"
    data.write_bytes(b"PK\x03\x04 not really a workbook")
    command = [sys.executable, "-m", "journeymapper", "import", str(project), str(data),
               "--kind", "metrics"]
    for debug, traceback in (("", False), ("1", True)):
        proc = subprocess.run(command, capture_output=True, text=True, timeout=60,
                              env={**env(), "PYTHONPATH": f"{broken}{os.pathsep}{ROOT}",
                                   "JM_DEBUG": debug})
        assert proc.returncode == 2
        assert ("Traceback" in proc.stderr) is traceback
        last = proc.stderr.splitlines()[-1]
        assert last.startswith("journeymapper: error: k.xlsx: ") and "broken install" in last
        if not traceback:
            one_error_line(proc.stderr, "JM_DEBUG=1")


SPECIAL = """\
import sys
from journeymapper.cli import main
for argv in sys.argv[1:]:
    print(main(argv.split("|")), flush=True)
"""


def test_pipes_and_devices_are_refused_not_waited_on(tmp_path: Path, project: Path) -> None:
    """A FIFO blocks the reader until someone writes, /dev/zero never ends: given as any file a
    command reads, each is refused at once (run in a child: a hang fails by its timeout)."""
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    log = tmp_path / "log.csv"
    log.write_text(DATA["events"])
    runs = [f"import|{project}|{special}|--kind|{kind}" for special in (fifo, "/dev/zero")
            for kind in ("metrics", "survey", "events", "transitions", "transactions")]
    runs += [f"import|{fifo}|{log}|--kind|events", f"export|{fifo}|--format|json|-o|"
             f"{tmp_path / 'out.json'}", f"rfm|{fifo}|-o|{tmp_path / 'c.csv'}",
             f"rfm|{log}|-o|{tmp_path / 'c.csv'}|--into|{fifo}",
             f"import|{project}|{log}|--kind|events|--segments-from|{fifo}"]
    before = sha(project)
    proc = subprocess.run([sys.executable, "-c", SPECIAL, *runs], capture_output=True,
                          text=True, env=env(), timeout=60)
    assert proc.stdout.split() == ["2"] * len(runs)
    lines = proc.stderr.splitlines()
    assert len(lines) == len(runs) and "Traceback" not in proc.stderr
    assert all("pipe.csv: is not a file but a pipe" in line or "zero: is not a file" in line
               for line in lines)
    assert sha(project) == before and not (tmp_path / "out.json").exists()


def test_the_app_without_a_screen_is_one_line_not_an_abort(project: Path) -> None:
    """Qt aborts a process that finds no display; the command line says so first."""
    bare = {k: v for k, v in env().items()
            if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    for args in ([str(project)], ["--demo"], ["missing.jmap"]):
        proc = subprocess.run([sys.executable, "-m", "journeymapper", *args],
                              capture_output=True, text=True, env=bare, timeout=60)
        assert proc.returncode == 2
        one_error_line(proc.stderr, "there is no screen", "run without one")
        assert Path(args[0]).name in proc.stderr or args == ["--demo"]


# -- summaries and messages stay short --------------------------------------------------------

MANY = 3000


def _many_names(kind: str) -> str:
    names = [f"Seite {i} – Übersicht" for i in range(MANY)]
    if kind == "events":
        return "customer,touchpoint,timestamp\n" + "".join(
            f"{i},{n},2020-01-01T00:00:00\n{i},Kasse,2020-01-02T00:00:00\n"
            for i, n in enumerate(names))
    if kind == "transitions":
        return "from,to,count\n" + "".join(f"{n},Kasse,{i + 1}\n" for i, n in enumerate(names))
    return "touchpoint,volume\n" + "".join(f"{n},{i}\n" for i, n in enumerate(names))


@pytest.mark.parametrize("kind", ["events", "transitions", "metrics"])
def test_an_import_of_thousands_of_names_keeps_the_project_openable(tmp_path: Path,
                                                                    project: Path,
                                                                    kind: str,
                                                                    capsys) -> None:
    data = tmp_path / "pages.csv"
    data.write_text(_many_names(kind))
    assert main(["import", str(project), str(data), "--kind", kind,
                 "--create-missing", "Pages"]) == 0
    out = capsys.readouterr().out
    assert "more" in out and len(out) < 2000 and len(out.splitlines()) < 30
    with ProjectFile.open(project) as pf:  # opens again: what an import writes, it reads
        summary = pf.imports()[0].summary
        assert summary == out.rstrip("\n")
        assert len(pf.touchpoints()) >= MANY


@pytest.mark.parametrize("name", ["Kasse", "K" * 900, "Ä\u202eevil" + "ß" * 900])
def test_unknown_names_are_one_short_line(tmp_path: Path, project: Path, capsys,
                                          name: str) -> None:
    """Without --create-missing, thousands of unknown names (long ones, up to the name limit,
    ones with direction overrides) are refused in one line under 500 characters."""
    data = tmp_path / "pages.csv"
    data.write_text("touchpoint,volume\n" + "".join(f"{name} {i},{i}\n" for i in range(MANY)))
    before = sha(project)
    assert main(["import", str(project), str(data), "--kind", "metrics"]) == 2
    line = one_error_line(capsys.readouterr().err, "pages.csv", f"names {MANY:,} touchpoint(s)",
                          "--create-missing", f"and {MANY - 3:,} more")
    assert "\x1b" not in line and "\u202e" not in line
    assert sha(project) == before


def test_one_line_keeps_messages_short_and_printable() -> None:
    for message in ("x" * 100_000, "a\nb\n" * 10_000, "\x00\x1b[31m\u2028\udcff" * 1000,
                    "first\n" + "also " * 500 + "\nnothing was imported"):
        line = one_line(message)
        assert len(line) <= 470 and "\n" not in line
        assert line.isprintable() or "…" in line
        assert not any(c in line for c in "\x00\x1b\u2028\udcff")
    assert one_line("first\n" + "also " * 500 + "\nnothing was imported").endswith(
        "…; nothing was imported")


# -- the app ----------------------------------------------------------------------------------

@pytest.fixture
def app_errors(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from journeymapper.app import install_error_handlers

    # pytest-qt's own hook comes back after the test.
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    import threading
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    install_error_handlers()
    yield


@pytest.mark.parametrize(("raised", "shown"), [
    ("project", "p.jmap: is busy: another program is writing it; try again"),
    ("sqlite", "p.jmap: is busy: another program is writing it; try again"),
    ("disk", "p.jmap: could not be written: the disk is full"),
    ("input", "k.csv, row 3, column 'nps': not a number"),
    ("bug", "p.jmap: could not be processed (ZeroDivisionError: division by zero); this is a "
            "bug in JourneyMapper; JM_DEBUG=1 shows where"),
    ("long", "…"),
])
def test_the_app_shows_an_escaped_error_as_one_line_in_a_message_box(
        qtbot, app_errors: None, tmp_path: Path, capfd, raised: str, shown: str) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

    from journeymapper.errors import InputError, ProjectFileError

    def slot() -> None:
        if raised == "project":
            raise ProjectFileError("p.jmap: is busy: another program is writing it; try again")
        if raised == "sqlite":  # what SQLite says: about the window's project
            raise sqlite3.OperationalError("database is locked")
        if raised == "disk":
            raise OSError(28, "No space left on device")
        if raised == "input":
            raise InputError("not a number", "k.csv", 3, "nps")
        if raised == "long":
            raise InputError("bad\n" + "x" * 10_000, "k" * 3000 + ".csv")
        _ = 1 / 0

    window = QPushButton("Import")
    window.project = ProjectFile.create(tmp_path / "p.jmap")  # as MainWindow has it
    qtbot.addWidget(window)
    window.clicked.connect(slot)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    boxes: list[tuple[str, str]] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, close_box)
            return
        boxes.append((box.windowTitle(), box.text()))
        box.accept()

    QTimer.singleShot(0, close_box)
    window.click()  # the slot raises; the box is up, then closed
    assert len(boxes) == 1
    title, text = boxes[0]
    assert title == "JourneyMapper"
    assert shown in text and "\n" not in text and len(text) < 500
    err = capfd.readouterr().err
    assert "Traceback" not in err and f"journeymapper: error: {text}" in err
    assert window.isVisible()  # the app goes on
    window.project.close()


def test_the_app_routes_refuse_pipes_too(tmp_path: Path) -> None:
    """Not only the command line: ProjectFile.open, the import pipeline and the RFM analysis
    (what the app's windows call) refuse a FIFO instead of waiting on it. In a child with a
    time limit, so that a regression fails instead of hanging the suite."""
    fifo = tmp_path / "pipe.jmap"
    os.mkfifo(fifo)
    project = tmp_path / "p.jmap"
    ProjectFile.create(project).close()
    script = f"""
from journeymapper.analysis.rfm import analyse
from journeymapper.errors import JourneyMapperError
from journeymapper.importers.apply import prepare_import
from journeymapper.storage import ProjectFile
said = []
for attempt in (lambda: ProjectFile.open({str(fifo)!r}),
                lambda: analyse({str(fifo)!r})):
    try:
        attempt()
    except JourneyMapperError as e:
        said.append(str(e))
with ProjectFile.open({str(project)!r}) as pf:
    said.append(str(prepare_import(pf, {str(fifo)!r}, "events").errors[0]))
print("\\n".join(said))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    lines = done.stdout.splitlines()
    assert len(lines) == 3 and all("pipe.jmap" in x and "pipe, socket or device" in x
                                   for x in lines), done
