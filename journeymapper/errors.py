"""Errors a user can act on. Every layer raises these; the entry points show them."""

from __future__ import annotations


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
            where.append(str(file))
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
