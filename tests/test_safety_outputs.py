"""DESIGN.md "Safety rules": a command never writes over one of its own inputs (the same file by
device and inode, however it is spelt or linked), and every output is written atomically (a
failure leaves the old file as it was, no temporary file behind, exit 2 and one line)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from journeymapper.cli import main
from journeymapper.model import Observation, Stage, Touchpoint, Transition
from journeymapper.storage import ProjectFile
from journeymapper.storage.outputs import OutputError, atomic_write, check_output

# (name, the arguments after -o OUT) for every kind of export.
FORMATS = {"png": ["--format", "png", "--scale", "1"], "svg": ["--format", "svg"],
           "pdf": ["--format", "pdf"], "report": ["--format", "pdf", "--report"],
           "json": ["--format", "json"], "csv": ["--format", "csv"]}
TRANSACTIONS = ("customer,date,amount\n"
                "c-0001,2024-01-01,100\nc-0001,2024-02-01,50\nc-0001,2024-03-01,20\n"
                "c-0002,2024-03-01,10\nc-0003,2023-01-05,7.5\nc-0004,2024-02-15,30\n")
MAGIC = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF", "report": b"%PDF", "json": b"{",
         "csv": b"\xef\xbb\xbf"}
OLD = b"the old output, which a failed write must leave as it is\n"
ROOT = Path(__file__).resolve().parent.parent


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def make_project(path: Path) -> Path:
    """Two touchpoints, a transition and an observation: every export has something to draw."""
    with ProjectFile.create(path, "Cards") as project:
        seg = project.segments()[0]
        stage = project.insert(Stage(seg.id, "Apply", 0))
        a = project.insert(Touchpoint(seg.id, stage.id, "Online form", channel="web", y=80))
        b = project.insert(Touchpoint(seg.id, stage.id, "Identity check", channel="app", y=180))
        project.insert(Transition(seg.id, a.id, b.id, count=40))
        project.insert(Observation("nps", seg.id, -12.5, b.id, n=40, se=9.1))
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p.jmap")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "tx.csv"
    path.write_text(TRANSACTIONS)
    return path


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().err


def assert_one_line(err: str, *words: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("journeymapper: error: "), err
    for word in words:
        assert word in lines[0], err


# -- an output that is an input ----------------------------------------------------------

def spellings(target: Path) -> Iterator[tuple[str, Callable[[], str]]]:
    """Ways to name ``target`` as an output: the path itself, relative through ./ and ..,
    a symlink, a symlink to a symlink, and a hard link."""
    folder = target.parent

    def relative() -> str:
        os.chdir(folder)
        return f"./{target.name}"

    def dotdot() -> str:
        (folder / "sub").mkdir(exist_ok=True)
        return str(folder / "sub" / ".." / target.name)

    def symlink() -> str:
        link = folder / f"link-{target.name}.out"
        link.symlink_to(target)
        return str(link)

    def chain() -> str:
        first = folder / "first.out"
        first.symlink_to(target)
        second = folder / "second.out"
        second.symlink_to(first)
        return str(second)

    def hardlink() -> str:
        link = folder / f"hard-{target.name}.out"
        os.link(target, link)
        return str(link)

    yield from {"same": lambda: str(target), "relative": relative, "dotdot": dotdot,
                "symlink": symlink, "chain": chain, "hardlink": hardlink}.items()


SPELLINGS = [name for name, _ in spellings(Path("x"))]


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_export_over_the_project_is_refused(fmt: str, spelling: str, project: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(project.parent)
    out = dict(spellings(project))[spelling]()
    before, files = sha(project), listing(project.parent)
    code, err = run_cli(["export", project, *FORMATS[fmt], "-o", out], capsys)
    assert code == 2
    assert_one_line(err, "same file as p.jmap")
    assert sha(project) == before and listing(project.parent) == files
    with ProjectFile.open(project) as pf:
        assert [t.name for t in pf.touchpoints()] == ["Online form", "Identity check"]


@pytest.mark.parametrize("fmt", ["json", "svg"])
def test_export_of_a_linked_project_over_its_real_file_is_refused(
        fmt: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The other way round: the project is given through a link, the output is the file.
    soft, hard = project.parent / "soft.jmap", project.parent / "hard.jmap"
    soft.symlink_to(project)
    os.link(project, hard)
    before = sha(project)
    for given, out in ((soft, project), (hard, project), (soft, hard)):
        code, err = run_cli(["export", given, *FORMATS[fmt], "-o", out], capsys)
        assert code == 2
        assert_one_line(err, "an input of this command")
    assert sha(project) == before


@pytest.mark.parametrize("companion", ["-journal", "-wal", "-shm"])
def test_export_into_the_projects_journal_is_refused(companion: str, project: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    # SQLite would read such a file as the project's pending changes the next time it opens.
    out = Path(f"{project}{companion}")
    code, err = run_cli(["export", project, "--format", "json", "-o", out], capsys)
    assert code == 2
    assert_one_line(err, "same file as")
    assert not out.exists()


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_rfm_list_over_its_data_is_refused(spelling: str, data: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(data.parent)
    out = dict(spellings(data))[spelling]()
    code, err = run_cli(["rfm", data, "-o", out], capsys)
    assert code == 2
    assert_one_line(err, "same file as tx.csv")
    assert data.read_text() == TRANSACTIONS


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_rfm_list_over_the_project_is_refused(spelling: str, data: Path, project: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(project.parent)
    out = dict(spellings(project))[spelling]()
    before = sha(project)
    code, err = run_cli(["rfm", data, "-o", out, "--into", project], capsys)
    assert code == 2
    assert_one_line(err, "same file as p.jmap")
    assert sha(project) == before


def test_rfm_list_over_a_file_of_its_parquet_folder_is_refused(
        tmp_path: Path, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import duckdb

    folder = tmp_path / "tx"
    folder.mkdir()
    for part in ("a", "b"):
        duckdb.sql(f"COPY (SELECT * FROM read_csv('{data}')) TO '{folder / part}.parquet' "
                   "(FORMAT parquet)")
    before = {p.name: sha(p) for p in folder.iterdir()}
    hard = tmp_path / "hard.csv"
    os.link(folder / "b.parquet", hard)
    for out in (folder / "a.parquet", hard):
        code, err = run_cli(["rfm", folder, "-o", out], capsys)
        assert code == 2
        assert_one_line(err, "same file as")
    assert {p.name: sha(p) for p in folder.iterdir()} == before
    # The control: the same folder does give a list elsewhere.
    assert main(["rfm", str(folder), "-o", str(tmp_path / "list.csv")]) == 0
    assert (tmp_path / "list.csv").read_text().startswith("customer,")


def test_no_export_or_contact_list_replaces_another_project(project: Path, data: Path,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    # The app's RFM window writes a list knowing only the data file: a project open in the
    # window must still be safe, as must any other project.
    from journeymapper.analysis.rfm import analyse

    other = make_project(project.parent / "other.jmap")
    before = sha(other)
    for fmt in ("json", "svg"):
        code, err = run_cli(["export", project, *FORMATS[fmt], "-o", other], capsys)
        assert code == 2
        assert_one_line(err, "other.jmap: is a JourneyMapper project")
    code, err = run_cli(["rfm", data, "-o", other], capsys)
    assert code == 2
    assert_one_line(err, "is a JourneyMapper project")
    with pytest.raises(OutputError, match="is a JourneyMapper project"):
        analyse(data, other)
    assert sha(other) == before
    # Save As may replace a project: the person chose that file to be the copy.
    with ProjectFile.open(project) as pf:
        pf.save_as(other)
    with ProjectFile.open(other) as copy:
        assert copy.name == "Cards"


def test_the_export_function_of_the_app_refuses_the_project(qapp, project: Path) -> None:
    # File > Export… calls this function: a chosen file that is the project is refused too.
    from journeymapper.ui.export import ExportOptions, export

    link = project.parent / "map.svg"
    link.symlink_to(project)
    before = sha(project)
    with ProjectFile.open(project) as pf:
        for out in (project, link):
            with pytest.raises(OutputError, match="same file as p.jmap"):
                export(pf, out, ExportOptions(format="svg"))
    assert sha(project) == before


def test_save_as_onto_the_project_through_a_link_changes_nothing(project: Path) -> None:
    hard = project.parent / "hard.jmap"
    os.link(project, hard)
    before = sha(project)
    with ProjectFile.open(project) as pf:
        pf.save_as(hard)
        pf.save_as(project)
    assert sha(project) == before and os.stat(hard).st_ino == os.stat(project).st_ino


# -- outputs that cannot be written --------------------------------------------------------

def bad_outputs(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """(output, a word the message must hold) for each kind of impossible output."""
    (tmp_path / "folder").mkdir()
    protected = tmp_path / "protected.out"
    protected.write_bytes(OLD)
    protected.chmod(0o444)
    os.mkfifo(tmp_path / "pipe.out")  # replaced by a rename, as root /dev/null would be
    return {"empty": ("", "output name is empty"),
            "pipe": (str(tmp_path / "pipe.out"), "not a regular file"),
            "blank": ("  ", "output name is empty"),
            "folder": (str(tmp_path / "folder"), "is a folder"),
            "dot": (".", "is a folder"),
            "missing": (str(tmp_path / "missing" / "x.out"), "does not exist"),
            "under a file": (str(tmp_path / "protected.out" / "x.out"), "does not exist"),
            "read-only": (str(protected), "is read-only")}


@pytest.mark.parametrize("command", [*FORMATS, "rfm"])
def test_impossible_outputs_exit_2_with_one_line(command: str, project: Path, data: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = project.parent
    monkeypatch.chdir(folder)
    cases = bad_outputs(folder)
    before = {p: sha(p) for p in (project, data)}
    for kind, (out, word) in cases.items():
        files = listing(folder)
        argv = (["rfm", data, "-o", out, "--into", project] if command == "rfm"
                else ["export", project, *FORMATS[command], "-o", out])
        code, err = run_cli(argv, capsys)
        assert code == 2, kind
        assert_one_line(err, word)
        assert listing(folder) == files, kind
    assert (folder / "protected.out").read_bytes() == OLD
    assert {p: sha(p) for p in (project, data)} == before


def test_names_no_file_can_have_exit_2_with_one_line(project: Path, data: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    folder = project.parent
    loop = folder / "loop.out"
    loop.symlink_to(loop)
    files = listing(folder)
    names = {"too long": (str(folder / ("é" * 200 + ".json")), "too long"),
             "NUL byte": (str(folder / "a\x00b.json"), "null byte"),
             "symlink loop": (str(loop / "x.json"), "does not exist")}
    for command in (["export", project, "--format", "json"], ["rfm", data], ["new"]):
        for kind, (out, word) in names.items():
            argv = [*command, out] if command == ["new"] else [*command, "-o", out]
            code, err = run_cli(argv, capsys)
            assert code == 2, (command, kind)
            assert_one_line(err, word)
            assert len(err) < 500
    assert listing(folder) == files


@pytest.mark.parametrize("kind", ["empty", "folder", "missing", "under a file"])
def test_new_refuses_impossible_targets(kind: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out, word = bad_outputs(tmp_path)[kind]
    files = listing(tmp_path)
    code, err = run_cli(["new", out], capsys)
    assert code == 2
    assert_one_line(err, word)
    assert listing(tmp_path) == files


def test_new_refuses_an_existing_file_and_a_link_to_one(project: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    link = project.parent / "link.jmap"
    link.symlink_to(project)
    before = sha(project)
    for target in (project, link):
        code, err = run_cli(["new", target], capsys)
        assert code == 2
        assert_one_line(err, "already exists")
    assert sha(project) == before


# -- atomic writes -------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_replaces_the_old_file_keeping_its_mode_and_links(
        fmt: str, qapp, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = project.parent
    real = folder / f"real.{fmt}"
    real.write_bytes(OLD)
    real.chmod(0o600)
    link = folder / f"link.{fmt}"
    link.symlink_to(real)
    files = listing(folder)
    code, err = run_cli(["export", project, *FORMATS[fmt], "-o", link], capsys)
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == real  # written through the link
    assert real.read_bytes().startswith(MAGIC[fmt])
    assert oct(real.stat().st_mode & 0o777) == oct(0o600)
    if os.geteuid() == 0:  # root replacing another user's file leaves it theirs
        os.chown(real, 4321, 4321)
        assert main(["export", str(project), *FORMATS[fmt], "-o", str(real)]) == 0
        assert (real.stat().st_uid, real.stat().st_gid) == (4321, 4321)
    assert listing(folder) == files


def test_atomic_write_leaves_the_old_file_when_the_writer_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(OLD)

    class Broken(Exception):
        pass

    with pytest.raises(OutputError) as caught, atomic_write(target) as tmp:
        tmp.write_bytes(b"half of it")
        raise Broken(f"the library failed writing {tmp}")
    assert str(caught.value) == ("out.bin: could not be written (the library failed writing "
                                 "out.bin); the old file is unchanged")
    with pytest.raises(OutputError, match="produced nothing"), atomic_write(target):
        pass  # a Qt writer that failed silently leaves an empty file
    with contextlib.suppress(KeyboardInterrupt), atomic_write(target) as tmp:
        tmp.write_bytes(b"interrupted")
        raise KeyboardInterrupt
    assert target.read_bytes() == OLD and listing(tmp_path) == {"out.bin"}
    with atomic_write(tmp_path / "new.bin") as tmp:
        tmp.write_bytes(b"complete")
    assert (tmp_path / "new.bin").read_bytes() == b"complete"
    assert listing(tmp_path) == {"out.bin", "new.bin"}


def test_check_output_resolves_and_compares_by_identity(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("x")
    link = tmp_path / "l.csv"
    link.symlink_to(data)
    assert check_output(link, []) == data.resolve()
    assert check_output(tmp_path / "other.csv", [data, None]) == (tmp_path / "other.csv")
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "gone" / "x.csv")
    with pytest.raises(OutputError, match="does not exist"):
        check_output(dangling, [data])


def test_file_new_replaces_a_confirmed_file_with_a_whole_project(qapp, tmp_path: Path) -> None:
    from journeymapper.ui.launcher import create_chosen

    old = tmp_path / "old.jmap"
    old.write_bytes(OLD)
    assert create_chosen(None, str(old), "b2c retail") == str(old)
    with ProjectFile.open(old) as pf:
        assert pf.touchpoints()  # the template's, in place of the old bytes
    assert listing(tmp_path) == {"old.jmap"}


def test_the_demo_copy_is_replaced_whole_or_not_at_all(qapp, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from journeymapper.ui import launcher

    bundled = launcher.resource("demo", "telco.jmap")
    monkeypatch.setattr(launcher, "data_dir", lambda: tmp_path)
    old = tmp_path / launcher.DEMO_NAME
    old.write_bytes(OLD)
    # A bundle that cannot be copied (a folder in its place): the last copy stays as it was.
    (tmp_path / "bundle").mkdir()
    monkeypatch.setattr(launcher, "resource", lambda *_: tmp_path / "bundle")
    with pytest.raises(OutputError, match="the old file is unchanged"):
        launcher.demo_copy()
    assert old.read_bytes() == OLD and listing(tmp_path) == {launcher.DEMO_NAME, "bundle"}
    monkeypatch.setattr(launcher, "resource", lambda *_: bundled)
    assert launcher.demo_copy() == old
    assert sha(old) == sha(bundled) and listing(tmp_path) == {launcher.DEMO_NAME, "bundle"}


# -- a full disk, simulated: RLIMIT_FSIZE makes every write past N bytes fail (EFBIG) -------

CHILD = """
import contextlib, io, json, resource, signal, sys, traceback
from journeymapper.cli import main
from journeymapper.storage import ProjectFile
import journeymapper.ui.export.report, matplotlib.backends.backend_pdf, pypdf  # before the limit
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
results = []
for argv in json.loads(sys.argv[2]):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            if argv[0] in ("save-as", "create-replace"):  # the app's Save As and File > New
                try:
                    if argv[0] == "save-as":
                        with ProjectFile.open(argv[1]) as pf:
                            pf.save_as(argv[2])
                    else:
                        ProjectFile.create(argv[1], replace=True).close()
                    code = 0
                except Exception as e:
                    code = 2
                    print(f"journeymapper: error: {e}", file=sys.stderr)
            else:
                code = main(argv)
        except BaseException:
            code = None
            traceback.print_exc()
    results.append([code, err.getvalue()])
print(json.dumps(results))
"""


def run_limited(commands: list[list[str]], limit: int) -> list[tuple[int | None, str]]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(limit),
                           json.dumps([[str(a) for a in c] for c in commands])],
                          capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    return [tuple(r) for r in json.loads(done.stdout.strip().splitlines()[-1])]


def test_a_full_disk_leaves_every_old_output_as_it_was(project: Path, data: Path) -> None:
    folder = project.parent
    commands, olds = [], []
    for fmt, args in FORMATS.items():
        old = folder / f"old-{fmt}.out"
        commands.append(["export", project, *args, "-o", old])
        olds.append(old)
    olds.append(folder / "contacts.csv")
    commands.append(["rfm", data, "-o", olds[-1], "--into", project])
    olds.append(folder / "copy.jmap")
    commands.append(["save-as", project, olds[-1]])
    olds.append(folder / "replaced.jmap")
    commands.append(["create-replace", olds[-1]])
    for old in olds:
        old.write_bytes(OLD)
    before, files = sha(project), listing(folder)
    # A limit above the old files and below every new one.
    results = run_limited([*commands, ["new", folder / "new.jmap"]], limit=len(OLD) + 8)
    for command, (code, err) in zip([*commands, ["new"]], results, strict=True):
        assert code == 2, (command, err)
        assert_one_line(err, "could not be written")
        # What the system said (SQLite says only "disk I/O error"), not a library's pages.
        assert any(w in err.lower() for w in ("file too large", "full", "disk i/o")), err
    assert [old.read_bytes() for old in olds] == [OLD] * len(olds)
    assert "the old file is unchanged" in results[0][1]
    assert "nothing was written" in results[-1][1]
    assert sha(project) == before
    assert listing(folder) == files  # no temporary file, no journal, no new.jmap


def test_a_full_disk_while_rfm_writes_the_project_leaves_both_as_they_were(project: Path,
                                                                          data: Path) -> None:
    # The list (a few hundred bytes) fits under the limit; the project's journal does not.
    contacts = project.parent / "contacts.csv"
    contacts.write_bytes(OLD)
    before, files = sha(project), listing(project.parent)
    (code, err), = run_limited([["rfm", data, "-o", contacts, "--into", project]],
                               limit=4096)
    assert code == 2
    assert_one_line(err, "p.jmap: could not be written")
    assert contacts.read_bytes() == OLD and sha(project) == before
    assert listing(project.parent) == files


def test_the_same_commands_succeed_under_a_generous_limit(project: Path, data: Path) -> None:
    # The control for the test above: the limit, not the child, makes those writes fail.
    folder = project.parent
    outs = [folder / f"new-{fmt}.out" for fmt in FORMATS]
    commands = [["export", project, *args, "-o", out]
                for (_, args), out in zip(FORMATS.items(), outs, strict=True)]
    results = run_limited([*commands, ["rfm", data, "-o", folder / "c.csv"]], limit=50_000_000)
    assert [code for code, _ in results] == [0] * len(results), results
    assert all(out.stat().st_size > len(OLD) + 8 for out in [*outs, folder / "c.csv"])


# -- a folder nobody may write into ---------------------------------------------------------

@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """``folder`` made unwritable: by its mode bits for a user, immutable for root (who
    ignores mode bits); skipped where neither is possible."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    chattr = shutil.which("chattr")
    if not chattr or subprocess.run([chattr, "+i", str(folder)],
                                    capture_output=True).returncode != 0:
        pytest.skip("root, and this file system cannot make a folder immutable")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_a_writable_file_in_a_read_only_folder(project: Path, data: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    olds = {name: folder / name for name in ("map.json", "map.svg", "list.csv", "copy.jmap")}
    for old in olds.values():
        old.write_bytes(OLD)
    commands = [["export", project, "--format", "json", "-o", olds["map.json"]],
                ["export", project, "--format", "svg", "-o", olds["map.svg"]],
                ["rfm", data, "-o", olds["list.csv"], "--into", project],
                ["new", folder / "new.jmap"]]
    before = sha(project)
    with unwritable(folder):
        for command in commands:
            code, err = run_cli(command, capsys)
            assert code == 2, command
            assert_one_line(err, "could not be written")
        with ProjectFile.open(project) as pf, pytest.raises(OutputError, match="copy.jmap"):
            pf.save_as(olds["copy.jmap"])
    assert all(old.read_bytes() == OLD for old in olds.values())
    assert listing(folder) == set(olds)
    assert sha(project) == before
