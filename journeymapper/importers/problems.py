"""Collecting the bad rows of a file so that the user sees the first few at once (file, row,
column each), and ``--skip-bad-rows`` can drop them instead of refusing the import."""

from __future__ import annotations

from dataclasses import dataclass, field

from journeymapper.errors import InputError

SHOWN = 5  # problems named in one message: enough to see a pattern, short enough to read


@dataclass
class Problems:
    file: str
    found: list[InputError] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)
    uncounted: int = 0  # bad rows beyond those named (big logs only name the first few)

    def add(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.found.append(InputError(message, self.file, row, column))
        if row is not None:
            self.bad_rows.add(row)

    def extend(self, other: Problems) -> None:
        self.found += other.found
        self.bad_rows |= other.bad_rows
        self.uncounted += other.uncounted

    def __bool__(self) -> bool:
        return bool(self.found)

    def error(self, skippable: bool = True) -> InputError:
        """One error naming the first problems; its file/row/column are the first one's."""
        self.found.sort(key=lambda e: e.row if e.row is not None else -1)
        first = self.found[0]
        lines = [str(first)]
        for e in self.found[1:SHOWN]:
            lines.append(f"  also {e}")
        more = len(self.found) - SHOWN + self.uncounted
        if more > 0:
            lines.append(f"  and {more} more problem(s)")
        if skippable and self.bad_rows:
            lines.append("  nothing was imported; --skip-bad-rows imports the other rows")
        else:
            lines.append("  nothing was imported")
        err = InputError(first.detail, first.file, first.row, first.column)
        err.args = ("\n".join(lines),)
        return err

    def check(self, skip_bad_rows: bool) -> None:
        """Raise unless every problem is a row problem and bad rows may be skipped."""
        if not self.found:
            return
        if not skip_bad_rows or any(e.row is None for e in self.found):
            raise self.error(skippable=all(e.row is not None for e in self.found))
