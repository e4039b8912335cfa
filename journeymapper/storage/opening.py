"""Opening a .jmap so that a refused file is left as it was, journal and WAL files included.

The header is read before SQLite touches the file. A file with a journal or WAL file beside
it (a crash, another program) is first recovered and checked in a private copy: SQLite would
roll back or checkpoint the real file on its first read, before any check could refuse it.
Read-only is decided from the permission bits (root may write anything, but a file nobody
may write is still opened read-only) and from the folder, where SQLite writes its journal.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import struct
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from journeymapper.errors import InputError, JourneyMapperError, ProjectFileError, system_error
from journeymapper.storage.limits import MAX_VALUE_BYTES

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 5.0  # how long a read or write waits for another program's write to end
SIDE_FILES = ("-journal", "-wal")


def is_stream(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a pipe, socket or device rather than a file or folder: reading one
    would block (a FIFO waits for a writer) or never end (/dev/zero). A missing path is not.
    Every input, a project or a data file, is refused so, in the app as on the command line."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def refuse_stream(path: str | os.PathLike[str]) -> None:
    """InputError naming ``path`` when it is a pipe, socket or device (a data file)."""
    if is_stream(path):
        raise InputError("is not a file but a pipe, socket or device; refused", Path(path).name)


def read_header(path: Path) -> tuple[int, int]:
    """(application_id, user_version) from the 100-byte SQLite header, without opening SQLite,
    so that a foreign file is refused before anything could touch it."""
    name = path.name
    if not path.exists():
        raise ProjectFileError(f"{name}: no such file ({path})")
    if path.is_dir():
        raise ProjectFileError(f"{name}: is a folder, not a JourneyMapper project")
    if is_stream(path):
        raise ProjectFileError(f"{name}: is not a file but a pipe, socket or device; refused")
    try:
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as e:
        raise ProjectFileError(f"{name}: cannot be read ({e.strerror})") from e
    if not header:
        raise ProjectFileError(f"{name}: is empty, not a JourneyMapper project")
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise ProjectFileError(f"{name}: is not a JourneyMapper project (not an SQLite database)")
    user_version, = struct.unpack(">i", header[60:64])
    application_id, = struct.unpack(">i", header[68:72])
    return application_id, user_version


def _wal_mode(path: Path) -> bool:
    """Whether the header marks the file for write-ahead logging (bytes 18-19 are 2)."""
    with path.open("rb") as f:
        return f.read(20)[18:20] == b"\x02\x02"


def _may_write(st: os.stat_result) -> bool:
    """Whether the permission bits let us write: for root any w bit (root ignores the rest,
    but a file nobody may write is meant to stay as it is), else the bits for who we are."""
    if not hasattr(os, "geteuid"):  # Windows: only the read-only attribute
        return bool(st.st_mode & stat.S_IWRITE)
    uid = os.geteuid()
    if uid == 0:
        return bool(st.st_mode & 0o222)
    if st.st_uid == uid:
        return bool(st.st_mode & stat.S_IWUSR)
    if st.st_gid == os.getegid() or st.st_gid in os.getgroups():
        return bool(st.st_mode & stat.S_IWGRP)
    return bool(st.st_mode & stat.S_IWOTH)


def write_protection(path: Path) -> str:
    """Why ``path`` must be opened read-only, or "" when it may be written."""
    # os.access as well: it knows read-only mounts and access lists, which the bits do not.
    if not (_may_write(path.stat()) and os.access(path, os.W_OK)):
        return "the file is read-only"
    folder = path.absolute().parent
    if not (_may_write(folder.stat()) and os.access(folder, os.W_OK)):
        return "its folder is read-only, and SQLite writes a journal beside the file"
    return ""


def configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.row_factory = sqlite3.Row


def opening_error(name: str, error: sqlite3.Error) -> JourneyMapperError:
    """What SQLite said while opening: busy for a lock, else damaged."""
    busy = system_error(name, error)
    if "busy" in str(busy):
        return busy
    return ProjectFileError(f"{name}: is damaged and cannot be opened ({error})")


def _connect(uri: str) -> sqlite3.Connection:
    return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                           timeout=BUSY_TIMEOUT_S)


def connect(path: Path, read_only: bool, check: Callable[[sqlite3.Connection, str], None]
            ) -> sqlite3.Connection:
    """A connection to the project at ``path``, configured and passed by ``check``.

    Beside a journal, the file is checked first through a read-only connection, which
    changes nothing: it reads the file as it is while another program writes it, and finds a
    journal that must be rolled back (a crash's). Such a journal, or a WAL file, is recovered
    and checked in a private copy first. Only a file that passed is opened read-write, which
    lets SQLite recover it; a read-only open reads the recovered copy, held in memory."""
    name = path.name
    # A -wal file beside it is read (and then written into it) whatever the header says.
    if _wal_mode(path) or Path(f"{path}-wal").exists():
        recovered = _checked_copy(path, check)
    elif Path(f"{path}-journal").exists():
        recovered = _checked_as_it_is(path, check)
    else:
        recovered = None
    if recovered is not None and read_only:
        return recovered
    if recovered is not None:
        recovered.close()
    conn = _open(path, "ro" if read_only else "rw")
    with closed_on_error(conn, name):
        check(conn, name)
        if not read_only and _wal_mode(path):
            # Edits in WAL mode would live in a -wal file beside the .jmap until a
            # checkpoint: a copy of the .jmap alone could miss them. Back to a rollback
            # journal, as every file JourneyMapper makes.
            conn.execute("PRAGMA journal_mode=DELETE")
    return conn


@contextlib.contextmanager
def closed_on_error(conn: sqlite3.Connection, name: str) -> Iterator[None]:
    """While a file is being opened: a refusal or an SQLite error closes ``conn``, and what
    SQLite said becomes one line naming the file."""
    try:
        yield
    except sqlite3.DatabaseError as e:
        conn.close()
        raise opening_error(name, e) from e
    except JourneyMapperError:
        conn.close()
        raise


def _open(path: Path, mode: str) -> sqlite3.Connection:
    try:
        conn = _connect(f"{path.resolve().as_uri()}?mode={mode}")
    except sqlite3.Error as e:
        raise ProjectFileError(f"{path.name}: cannot be opened ({e})") from e
    configure(conn)
    return conn


def _checked_as_it_is(path: Path, check: Callable[[sqlite3.Connection, str], None]
                      ) -> sqlite3.Connection:
    """The file beside its journal, checked read-only: a connection to it if the journal is
    another program's write in progress (or left over and empty), a recovered copy if it is a
    crash's (hot: SQLite would roll it back, which read-only it may not)."""
    conn = _open(path, "ro")
    try:
        check(conn, path.name)
    except sqlite3.DatabaseError as e:
        conn.close()
        if getattr(e, "sqlite_errorcode", None) == sqlite3.SQLITE_READONLY_ROLLBACK:
            return _checked_copy(path, check)
        raise opening_error(path.name, e) from e
    except JourneyMapperError:
        conn.close()
        raise
    return conn


def in_memory(conn: sqlite3.Connection) -> sqlite3.Connection:
    """A private in-memory copy of ``conn``'s database (a read-only file's recovered or
    upgraded image: whatever is done to it never reaches the file)."""
    memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    memory.deserialize(conn.serialize())
    configure(memory)
    return memory


def _checked_copy(path: Path, check: Callable[[sqlite3.Connection, str], None]
                  ) -> sqlite3.Connection:
    """The file and its journal or WAL file copied to a private folder, recovered there by
    SQLite and checked; returned as an in-memory database of the recovered content. (A
    crash's journal or another program's WAL: no writer changes them while they are copied.)"""
    name = path.name
    with tempfile.TemporaryDirectory(prefix="journeymapper-open-") as folder:
        copy = Path(folder) / "copy.jmap"
        try:
            # The side files first: a writer changes the journal before the file itself.
            for suffix in SIDE_FILES:
                if Path(f"{path}{suffix}").exists():
                    shutil.copyfile(f"{path}{suffix}", f"{copy}{suffix}")
            shutil.copyfile(path, copy)
        except OSError as e:
            raise system_error(name, e) from e
        conn = _connect(f"{copy.as_uri()}?mode=rw")
        try:
            configure(conn)
            check(conn, name)
            conn.execute("PRAGMA journal_mode=DELETE")  # one image, nothing left in a -wal
            return in_memory(conn)
        except sqlite3.DatabaseError as e:
            raise opening_error(name, e) from e
        finally:
            conn.close()
