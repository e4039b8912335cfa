"""Errors a user can act on. Every layer raises these; the entry points show them, each as the
one line :func:`one_line` makes of it (DESIGN: one line naming the file, never a traceback)."""

from __future__ import annotations

import errno
import os
import re
import sqlite3
from collections.abc import Sequence

# DESIGN: every message under 500 characters, with room for "journeymapper: error: ".
MAX_MESSAGE_CHARS = 470
NAME_CHARS = 60  # a name quoted in a message: enough to tell it from its neighbours

# Characters that would break the line or fool the reader: control characters (a file name may
# hold a newline or a terminal escape), line separators, bidirectional overrides, and the lone
# surrogates that stand for a file name's bytes that are not UTF-8 (printing one would fail).
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _visible(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                            else f"\\u{ord(m.group()):04x}", text)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:max(limit - 1, 0)] + "…"


def shorten(text: object, limit: int = NAME_CHARS) -> str:
    """``text`` (a name, a file name, a cell) fit to quote in a message: unprintable
    characters shown as escapes, cut to ``limit`` characters with "…"."""
    return _cut(_visible(str(text)), limit)


def some_of(names: Sequence[str], shown: int = 5, limit: int = NAME_CHARS,
            total: int | None = None) -> str:
    """The first ``shown`` names, each shortened, then "and N more": a list that stays short
    however many names there are (``total`` of them, when ``names`` holds only the first)."""
    total = len(names) if total is None else total
    head = ", ".join(shorten(n, limit) for n in names[:shown])
    return head + (f" and {total - shown:,} more" if total > shown else "")


def one_line(message: object, limit: int = MAX_MESSAGE_CHARS) -> str:
    """A message as the single line the command line prints and the app's message box shows:
    lines joined with "; ", unprintable characters escaped, and at most ``limit`` characters
    (the last line, usually what to do about it, kept when it is short)."""
    lines = [line.strip() for line in _visible_lines(str(message)) if line.strip()]
    text = "; ".join(lines)
    if len(text) <= limit:
        return text
    last = lines[-1]
    if len(lines) > 1 and len(last) <= limit // 3:
        return _cut("; ".join(lines[:-1]), limit - len(last) - 2) + "; " + last
    return _cut(text, limit)


def unexpected(error: BaseException, name: str | None = None) -> str:
    """What the person is told of an error nobody foresaw (a bug), about file ``name``: what it
    was, and how a developer sees where (the traceback is never shown otherwise)."""
    what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return (f"{shorten(name, 2 * NAME_CHARS) + ': ' if name else ''}could not be processed "
            f"({shorten(what, 200)})\nthis is a bug in JourneyMapper; JM_DEBUG=1 shows where")


def _visible_lines(text: str) -> list[str]:
    # Split on the usual line breaks only; other separators become escapes within the line.
    return [_visible(line) for line in re.split(r"\r\n|\r|\n", text)]


class JourneyMapperError(Exception):
    """A problem the user can fix, with a message fit to show them as it is."""


class ProjectFileError(JourneyMapperError):
    """A .jmap file that cannot be opened (or written) as asked."""


class ReadOnlyError(ProjectFileError):
    """A write was asked of a project opened read-only."""


class InputError(JourneyMapperError):
    """Bad input data: names the file, and where known the row and column at fault."""

    def __init__(self, message: str, file: str | None = None, row: int | None = None,
                 column: str | None = None) -> None:
        self.file, self.row, self.column, self.detail = file, row, column, message
        where = []
        if file:
            where.append(shorten(file, 2 * NAME_CHARS))
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {shorten(column)!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def system_error(name: str, error: sqlite3.Error | OSError) -> JourneyMapperError:
    """What SQLite or the operating system said about file ``name``, as the one-line error a
    person can act on: busy (another program is writing it), disk full, damaged, no access."""
    name = shorten(name, 2 * NAME_CHARS)
    if isinstance(error, OSError):
        if error.errno in _FULL:
            return JourneyMapperError(f"{name}: could not be written: the disk is full "
                                      f"({error.strerror})")
        reason = error.strerror or type(error).__name__
        return JourneyMapperError(f"{name}: cannot be read or written ({reason})")
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    said = shorten(error, 120)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(error):
        return ProjectFileError(f"{name}: is busy: another program is writing it; try again")
    if code == sqlite3.SQLITE_FULL:
        return ProjectFileError(f"{name}: could not be written: the disk is full")
    if code == sqlite3.SQLITE_IOERR:
        return ProjectFileError(f"{name}: could not be written ({said}; is the disk full?)")
    if code == sqlite3.SQLITE_READONLY:
        return ReadOnlyError(f"{name}: is read-only ({said})")
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return ProjectFileError(f"{name}: is damaged ({said})")
    if code == sqlite3.SQLITE_CANTOPEN:
        return ProjectFileError(f"{name}: cannot be opened ({said})")
    return ProjectFileError(f"{name}: {said}")


def user_message(error: BaseException, name: str | None = None) -> str:
    """The one line a person is shown for ``error``, about file ``name`` where the error does
    not say: the message of an error they can act on, what SQLite or the system said, or, for a
    bug, what it was (never a traceback)."""
    if isinstance(error, JourneyMapperError):
        return one_line(error)
    if isinstance(error, sqlite3.Error | OSError):
        filename = getattr(error, "filename", None)
        if isinstance(filename, bytes):
            filename = os.fsdecode(filename)
        return one_line(system_error(os.path.basename(str(filename)) if filename
                                     else name or "the file", error))
    return one_line(unexpected(error, name))
