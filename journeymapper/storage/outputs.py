"""Where a command's outputs may go, and the one way every output gets there (DESIGN.md, "Safety
rules"): a command never writes over one of its own inputs, and every output is written
atomically, so a failure leaves the old file as it was and nothing of the new one behind.

Files are compared by identity (device and inode), never by the path as typed: ``./p.jmap``, a
symlink and a hard link to ``p.jmap`` are all ``p.jmap``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from journeymapper.errors import NAME_CHARS, JourneyMapperError, shorten
from journeymapper.storage.opening import read_header
from journeymapper.storage.schema import APPLICATION_ID

# SQLite keeps a database's pending changes beside it under these names: writing there is
# writing into the database the next time it is opened.
SQLITE_COMPANIONS = ("-journal", "-wal", "-shm")

SYSTEM_REASONS = tuple(os.strerror(code) for code in (
    errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO))


class OutputError(JourneyMapperError):
    """An output that cannot be written where it was asked for; the message names it."""


def _named(text: object) -> str:
    return shorten(text, 2 * NAME_CHARS)


def _identity(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    try:
        st = os.stat(path)  # follows symlinks: a link is the file it points at
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one existing file, through links and spellings."""
    ia = _identity(a)
    return ia is not None and ia == _identity(b)


def _files_of(path: Path) -> Iterator[Path]:
    """An input and what it stands for: every file of a folder (a Parquet dataset), and the
    companion files SQLite may keep beside a file."""
    if path.is_dir():
        for folder, _, names in os.walk(path):
            for name in names:
                yield Path(folder, name)
        return
    yield path
    for suffix in SQLITE_COMPANIONS:
        yield Path(f"{path}{suffix}")


def check_output(output: str | os.PathLike[str] | None,
                 inputs: Iterable[str | os.PathLike[str] | None] = (),
                 project_ok: bool = False) -> Path:
    """The real path an output will be written to (symlinks resolved, so that the atomic
    rename replaces the file and keeps the link), or OutputError when it must not be: no name,
    a folder, a missing folder, a write-protected file, one of the command's ``inputs`` (None
    entries are ignored), or, unless ``project_ok`` (Save As), a JourneyMapper project: an
    export or a contact list never replaces one, whether or not the command knows it is open
    somewhere (the app's RFM window does not). Called before a command does any work."""
    text = os.fspath(output) if output is not None else ""
    if not text.strip():
        raise OutputError("no output file given (the output name is empty)")
    given = Path(text)
    name = _named(given.name or text)
    try:
        return _checked(given, name, inputs, project_ok)
    except (OSError, ValueError) as e:  # a name too long, a NUL byte, a folder not searchable
        said = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise OutputError(f"{name}: cannot be written there ({_named(said)}); nothing was "
                          "written") from e


def _checked(given: Path, name: str, inputs: Iterable[str | os.PathLike[str] | None],
             project_ok: bool) -> Path:
    real = Path(os.path.realpath(given))
    if real.is_dir():
        raise OutputError(f"{name}: is a folder; give the name of a file to write")
    if not real.parent.is_dir():
        raise OutputError(f"{name}: the folder {_named(given.parent)} does not exist; "
                          "nothing was written")
    identity = _identity(real)
    for source in (Path(i) for i in inputs if i is not None):
        for path in _files_of(source):
            if (identity is not None and identity == _identity(path)) or \
                    real == Path(os.path.realpath(path)):
                raise OutputError(f"{name}: is the same file as {_named(path.name)}, an input "
                                  "of this command; choose another output; nothing was written")
    if identity is None:
        return real
    mode = os.stat(real).st_mode
    # The rename would put a file in the place of a device or a pipe (as root, of /dev/null).
    if not stat.S_ISREG(mode):
        raise OutputError(f"{name}: is not a regular file (a device, a pipe or a socket); give "
                          "the name of a file to write; nothing was written")
    # By the mode bits, not os.access: root may write anywhere, but a file its owner
    # protected is not one to replace silently.
    if not stat.S_IMODE(mode) & 0o222:
        raise OutputError(f"{name}: is read-only; nothing was written")
    if not project_ok and _is_project(real):
        raise OutputError(f"{name}: is a JourneyMapper project, which this command never "
                          "replaces; choose another output; nothing was written")
    return real


def _is_project(path: Path) -> bool:
    try:
        return read_header(path)[0] == APPLICATION_ID
    except JourneyMapperError:  # not an SQLite file at all
        return False


def temporary_beside(path: Path) -> str:
    """A new empty file in ``path``'s folder, to be renamed onto ``path`` once complete. Not
    mkstemp: that makes it private (0600), and a document should get the permissions any new
    file of the user gets (0666 less the umask, which os.open applies). The name has a fixed
    length, so a target with the longest name a folder allows still gets one."""
    while True:
        tmp = str(path.parent / f".jm-{os.urandom(16).hex()}.tmp")
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            return tmp
        except FileExistsError:
            continue


def _reason(error: BaseException, tmp: str, target: Path) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    said = str(error)
    # A library (DuckDB, SQLite) wraps what the system said in its own words, sometimes
    # pages of them: the system's words are what the user can act on.
    for text in SYSTEM_REASONS:
        if text.lower() in said.lower():
            return text
    lines = said.strip().splitlines()
    text = lines[0] if lines else type(error).__name__
    # A library's message may quote the temporary file: the user knows only the target.
    return _named(text.replace(tmp, target.name) if tmp else text)


def _failed(target: Path, reason: str, existed: bool) -> OutputError:
    after = "the old file is unchanged" if existed else "nothing was written"
    return OutputError(f"{_named(target.name)}: could not be written ({reason}); {after}")


def _sync(path: str, flags: int = os.O_RDWR) -> None:
    # Read-write for a file: Windows syncs only what is open for writing.
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    # Makes the rename itself durable. Some systems cannot open or sync a folder; the new file
    # is in place by then, so that is no reason to report a failure.
    with contextlib.suppress(OSError):
        _sync(str(folder), os.O_RDONLY)


def _keep_owner_and_mode(target: Path, tmp: str) -> None:
    """A replaced file keeps its permissions (a private contact list stays private) and, where
    the user may (root), its owner."""
    old = os.stat(target)
    # Neither is a reason to fail the write: a file system without permissions (FAT) refuses
    # chmod, and a user may not give a file away (it becomes their own).
    with contextlib.suppress(OSError):
        os.chmod(tmp, stat.S_IMODE(old.st_mode))
    if hasattr(os, "chown") and (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(OSError):
            os.chown(tmp, old.st_uid, old.st_gid)


@contextlib.contextmanager
def atomic_write(target: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``target`` for a writer to fill; once the writer is done, the
    file is synced and renamed over ``target``. Any failure (an OSError such as a full disk,
    an error of the writer's library, or a writer that wrote nothing, as Qt's writers may
    when they fail) removes the temporary file, leaves ``target`` as it was, and raises one
    OutputError line. A JourneyMapperError of the writer passes through as it is."""
    target = Path(target)
    existed = target.exists()
    try:
        tmp = temporary_beside(target)
    except OSError as e:
        raise _failed(target, _reason(e, "", target), existed) from e
    try:
        yield Path(tmp)
        if os.path.getsize(tmp) == 0:
            raise _failed(target, "the writer produced nothing", existed)
        if existed:
            _keep_owner_and_mode(target, tmp)
        _sync(tmp)
        os.replace(tmp, target)
    except JourneyMapperError:
        raise
    except Exception as e:
        raise _failed(target, _reason(e, tmp, target), existed) from e
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _sync_folder(target.parent)


def write_file(target: str | os.PathLike[str], data: bytes) -> None:
    """``data`` as the whole of ``target``, atomically (see :func:`atomic_write`)."""
    with atomic_write(target) as tmp, open(tmp, "wb") as f:
        f.write(data)
