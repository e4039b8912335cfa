"""Files to a grid of cells: CSV (any delimiter and the encodings people actually send), XLSX
(openpyxl read-only) and survey exports (Qualtrics, SurveyMonkey). Big event logs do not come
through here: DuckDB reads them (see events.py); this module only sniffs their layout.

Cells are ``None`` (empty: no observation, never zero), ``str``, numbers, ``datetime`` or
:class:`Percent` (a percent-formatted spreadsheet cell or a "23.5%" text: a fraction).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from journeymapper.errors import InputError, shorten, some_of
from journeymapper.importers.checks import (
    CONTROL,
    check_text,
    check_width,
    control_message,
    decimal_comma,
    read_number,
)
from journeymapper.importers.engine import duckdb_connection, duckdb_module, literal_paths
from journeymapper.importers.problems import Problems

MAX_FIELD_CHARS = 100_000  # far above any name, number or survey comment; a sign of a broken file
HEADER_SEARCH_ROWS = 30  # title rows and notes above a header are a handful, never pages
SAMPLE_BYTES = 1 << 16
# The csv module's own limit (128 KiB) would fail with no column named; we check sizes ourselves.
csv.field_size_limit(1 << 30)


class Percent(float):
    """A fraction that was written or formatted as a percentage (0.235 shown as 23.5 %)."""


Row = tuple[int, list[Any]]  # (row number in the file, 1-based; cells)


@dataclass
class Grid:
    """Raw rows of a file or sheet, before the header is known."""

    file: str
    rows: list[Row]
    source: str  # "csv" or "xlsx"
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    problems: Problems | None = None


@dataclass
class Table:
    """A header and the data rows under it, aligned to the header."""

    file: str
    headers: list[str]
    questions: list[str | None]
    rows: list[Row]
    source: str  # csv, xlsx, qualtrics, surveymonkey
    header_row: int
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    problems: Problems | None = None
    _comma: bool | None = None

    def first_rows(self, count: int = 10) -> list[list[str]]:
        return [[display(c) for c in cells] for _, cells in self.rows[:count]]

    def decimal_comma(self) -> bool:
        """Whether the file's numbers use a decimal comma (checks.decimal_comma), looked up
        once, when a value first needs it."""
        if self._comma is None:
            self._comma = decimal_comma(c for _, cells in self.rows for c in cells)
        return self._comma

    def number(self, cell: Any) -> tuple[float | None, str | None]:
        """(number, None), (None, None) for an empty cell or (None, why not): cell_number
        with this file's decimal separator."""
        return cell_number(cell, self.decimal_comma)


def display(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Percent):
        return f"{float(cell) * 100:g}%"
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    return str(cell)


def load_raw(con: Any, table: Table) -> None:
    """A table read here (a workbook) into DuckDB as the ``raw`` table of a file DuckDB reads
    itself: a text column c0, c1, ... per header, and the row's number in the file."""
    def text(v: Any) -> str | None:
        if v is None:
            return None
        if hasattr(v, "isoformat"):
            return v.isoformat()
        if isinstance(v, float):
            return repr(float(v))  # a Percent is a fraction; repr keeps every digit
        return display(v)

    cols = ", ".join(f"c{i} VARCHAR" for i in range(len(table.headers)))
    con.execute(f"CREATE TABLE raw ({cols}, file_row BIGINT)")
    con.executemany(f"INSERT INTO raw VALUES ({', '.join('?' for _ in table.headers)}, ?)",
                    [[text(v) for v in cells] + [n] for n, cells in table.rows])


# -- what a file is -----------------------------------------------------------------------

def file_format(path: Path) -> str:
    """csv, xlsx or parquet, from the content where it tells (a renamed file still reads)."""
    if path.is_dir():
        return "parquet"
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError("is an old Excel .xls file; save it as .xlsx or .csv", path.name)
    return "csv"


def parquet_files(path: Path) -> list[Path]:
    """A Parquet file, or a folder of them (partitioned: sub-folders too), sorted by name so
    that ties in timestamps keep a defined order."""
    if path.is_file():
        return [path]
    files = sorted(p for p in path.rglob("*.parquet") if p.is_file())
    if not files:
        raise InputError("is a folder without .parquet files", path.name)
    return files


def sha256_of(path: Path) -> str:
    import hashlib  # here: a command line that reads no file's identity skips its 5 ms

    digest = hashlib.sha256()
    files = parquet_files(path) if path.is_dir() else [path]
    for p in files:
        if path.is_dir():  # a folder's identity includes which file each byte came from
            digest.update(str(p.relative_to(path)).encode() + b"\x00")
        with p.open("rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


# -- text ---------------------------------------------------------------------------------

def detect_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark announces, or None."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def decode(data: bytes, file: str, delimiter: str | None = None) -> tuple[str, str]:
    """(text, encoding): BOM first, then UTF-8, then Windows-1252 / Latin-1 (what Excel on
    Windows writes). Text with NUL or other control bytes is refused with its row and column
    (``delimiter`` splits the columns; sniffed when None): it is UTF-16 without a byte-order
    mark, or not text at all, and guessing would import garbage."""
    encoding = detect_encoding(data[:4])
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as e:
            raise InputError(f"is not valid {encoding} text (byte {e.start})", file) from e
    else:
        for encoding in ("utf-8", "cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if CONTROL.search(text):
        check_text(text, file, delimiter or sniff_delimiter(text[:SAMPLE_BYTES]))
    return text, encoding


def head_sample(path: Path, file: str) -> tuple[str, str, bool]:
    """The start of a file too big to read whole (an event log, transactions: DuckDB reads
    those), decoded: (sample, encoding, cut), cut meaning the file goes on past the sample,
    whose last line may then be partial. An empty file is refused."""
    with path.open("rb") as f:
        head = f.read(SAMPLE_BYTES)
    if not head.strip():
        raise InputError("is empty", file)
    encoding = detect_encoding(head[:4])
    if encoding is None:
        try:
            head.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as e:
            cut_char = len(head) == SAMPLE_BYTES and e.start > len(head) - 4
            encoding = "utf-8" if cut_char else "latin-1"
    sample = head.decode("utf-16" if encoding == "utf-16" else encoding, errors="ignore")
    return sample, encoding, len(head) == SAMPLE_BYTES


def sample_lines(path: Path, file: str) -> tuple[list[str], str]:
    """The first complete lines of a file that DuckDB reads (an event log, transactions),
    and its encoding. A control character in them is refused (the rest of the file is
    checked by checks.scan_bytes while DuckDB reads it), and so is a first line longer than
    the sample: no header is that long."""
    sample, encoding, cut = head_sample(path, file)
    lines = sample.splitlines()
    if cut:
        if len(lines) <= 1:
            raise InputError(f"has a first line of over {SAMPLE_BYTES:,} bytes (no header is "
                             "that long: a broken file, or not a table?)", file, 1)
        lines = lines[:-1]  # the sample may end inside a line
    if not any(line.strip() for line in lines):
        raise InputError("has no line of text (an empty or binary file?)", file, 1)
    text = "\n".join(lines)
    if CONTROL.search(text):
        check_text(text, file, sniff_delimiter(text))
    return lines, encoding


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines into the same, largest number of fields."""
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of a sample may be cut
    best, best_score = ",", (0, 0)
    for delim in (",", ";", "\t", "|"):
        counts = []
        for ln in lines:
            try:
                counts.append(len(next(csv.reader([ln], delimiter=delim))))
            except (csv.Error, StopIteration):
                counts.append(0)
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        # Consistency across lines first, then the field count: a title row does not decide.
        score = (counts.count(common) if common > 1 else 0, common)
        if score > best_score:
            best, best_score = delim, score
    return best


def read_csv_grid(path: Path, file: str | None = None) -> Grid:
    file = file or path.name
    data = path.read_bytes()
    if not data.strip():
        raise InputError("is empty", file)
    text, encoding = decode(data, file)
    delimiter = sniff_delimiter(text[:SAMPLE_BYTES])
    problems = Problems(file)
    rows: list[Row] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            check_width(len(record), file, start)
            if not any(c.strip() for c in record):
                continue
            cells: list[Any] = [c.strip() or None for c in record]
            for i, c in enumerate(cells):
                if c is not None and len(c) > MAX_FIELD_CHARS:
                    problems.add(f"a field of {len(c):,} characters (at most {MAX_FIELD_CHARS:,};"
                                 " a stray quote or a broken file?)", start, f"#{i + 1}")
                    cells[i] = c[:80] + "…"
            rows.append((start, cells))
    except csv.Error as e:
        raise InputError(f"cannot be read as CSV ({e}; a truncated file or a stray quote?)",
                         file, line) from e
    return Grid(file, rows, "csv", encoding=encoding, delimiter=delimiter, problems=problems)


# -- spreadsheets -------------------------------------------------------------------------

def _xlsx_value(cell: Any) -> Any:
    value = cell.value
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        if "%" in (getattr(cell, "number_format", "") or ""):
            return Percent(value)
        return value
    if isinstance(value, datetime | date | time):
        return value
    return str(value)


# What openpyxl raises for a broken workbook: a bad zip, a missing part, XML that is not
# well-formed (ElementTree's ParseError is a SyntaxError; a control character in a cell is
# one), or values of the wrong type.
_BROKEN_WORKBOOK = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError,
                    SyntaxError)


def _column_letters(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xlsx_problem(cell: Any, value: Any, unvalued: set[tuple[int, str]], row: int,
                  index: int) -> str | None:
    """Why a cell cannot be read as what it shows, or None."""
    letters = _column_letters(index + 1)
    if (row, letters) in unvalued:
        return ("holds a formula without a computed value (open and save the workbook in "
                "Excel or LibreOffice first)")
    if getattr(cell, "data_type", None) == "e":
        return f"holds the error {shorten(value)!r} (fix the formula, or empty the cell)"
    if isinstance(value, str):
        if len(value) > MAX_FIELD_CHARS:
            return f"a cell of {len(value):,} characters"
        if CONTROL.search(value):
            return control_message(value)
    return None


def read_xlsx_grids(path: Path, file: str | None = None) -> list[Grid]:
    """Every sheet of a workbook, in order (values, not formulas), read by its real rows:
    the dimension a sheet declares is not believed (a 5 KB file may declare a million rows
    of 16,384 columns). Checked first by workbooks.check_workbook."""
    import openpyxl

    from journeymapper.importers.workbooks import check_workbook

    file = file or path.name
    unvalued = check_workbook(path, file)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except _BROKEN_WORKBOOK as e:
        raise InputError(f"cannot be read as an Excel workbook ({shorten(e, 200)})", file) from e
    try:
        names = list(wb.sheetnames)
        grids = []
        for ws in wb.worksheets:
            rows: list[Row] = []
            problems = Problems(file)
            no_value = unvalued.get(getattr(ws, "_worksheet_path", ""), set())
            ws.reset_dimensions()
            for r, cells in enumerate(ws.iter_rows(), start=1):
                check_width(len(cells), file, r)
                values = [_xlsx_value(c) for c in cells]
                for i, (c, v) in enumerate(zip(cells, values, strict=True)):
                    why = _xlsx_problem(c, v, no_value, r, i) if v is not None or no_value \
                        else None
                    if why:  # the row is refused; its other checks need not repeat this
                        problems.add(why, r, _column_letters(i + 1))
                        values[i] = None
                while values and values[-1] is None:
                    values.pop()
                if values:
                    rows.append((r, values))
            grids.append(Grid(file, rows, "xlsx", sheet=ws.title, sheets=names,
                              problems=problems))
        return grids
    except _BROKEN_WORKBOOK as e:
        raise InputError(f"cannot be read as an Excel workbook ({shorten(e, 200)})", file) from e
    finally:
        wb.close()


# -- the header ---------------------------------------------------------------------------

Scorer = Callable[[Sequence[str], Sequence[str | None]], int]


def _header_names(cells: list[Any]) -> list[str]:
    names: list[str] = []
    for i, c in enumerate(cells):
        name = display(c).strip() or f"column {i + 1}"
        base, k = name, 2
        while name in names:
            name, k = f"{base} ({k})", k + 1
        names.append(name)
    return names


def _is_import_id_row(cells: list[Any]) -> bool:
    filled = [c for c in cells if c is not None]
    hits = sum(1 for c in filled if isinstance(c, str) and c.startswith('{"ImportId"'))
    return bool(filled) and hits * 2 >= len(filled)


def _is_surveymonkey_row(cells: list[Any]) -> bool:
    return any(isinstance(c, str) and c.strip().lower() in ("response", "open-ended response")
               for c in cells)


def locate_header(grid: Grid, score: Scorer, survey: bool = False) -> Table:
    """The header is the first of the top rows whose names map to at least two fields (title
    and blank rows above it are skipped); survey exports' extra header rows are recognised."""
    if not grid.rows:
        sheet = f" in sheet {shorten(grid.sheet)!r}" if grid.sheet else ""
        raise InputError(f"has no rows{sheet}", grid.file)
    index = None
    for i, (_, cells) in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        names = [display(c) for c in cells]
        if score(names, names) >= 2:
            index = i
            break
    if index is None:  # nothing maps: the widest early row, so the error can name columns
        top = grid.rows[:HEADER_SEARCH_ROWS]
        index = max(range(len(top)), key=lambda i: (len([c for c in top[i][1] if c]), -i))
    rows = grid.rows
    if survey and index >= 1 and index + 1 < len(rows) and _is_import_id_row(rows[index + 1][1]):
        index -= 1  # Qualtrics with question ids that map nothing: the texts row matched
    header_cells = rows[index][1]
    filled = [c for c in header_cells if c is not None]
    if len(filled) < 2 or (grid.source == "csv" and len(header_cells) < 2):
        raise InputError(
            f"has only one column ({shorten(display(filled[0])) if filled else 'none'!s}); an "
            "import needs at least two (is the delimiter one of , ; tab |?)", grid.file,
            rows[index][0])
    headers = _header_names(header_cells)
    questions: list[str | None] = [None] * len(headers)
    source = grid.source
    data_start = index + 1
    if survey and index + 2 < len(rows) and _is_import_id_row(rows[index + 2][1]):
        source, data_start = "qualtrics", index + 3
        texts = rows[index + 1][1]
        questions = [display(texts[i]) if i < len(texts) and texts[i] is not None else None
                     for i in range(len(headers))]
    elif survey and index + 1 < len(rows) and _is_surveymonkey_row(rows[index + 1][1]):
        # SurveyMonkey: row 1 holds question texts (blank after a multi-answer question's
        # first column), row 2 "Response" or the answer options.
        source, data_start = "surveymonkey", index + 2
        options = rows[index + 1][1]
        last_question = ""
        for i, cell in enumerate(header_cells):
            if cell is not None:
                last_question = display(cell)
            option = display(options[i]) if i < len(options) and options[i] is not None else ""
            questions[i] = last_question or None
            if cell is None and last_question:
                headers[i] = f"{last_question} - {option}" if option else headers[i]
    problems = grid.problems or Problems(grid.file)
    width = len(headers)
    data: list[Row] = []
    for number, cells in rows[data_start:]:
        if len(cells) < width:
            if grid.source == "csv":
                problems.add(f"has {len(cells)} field(s), the header has {width} (a truncated "
                             "file or a missing delimiter?)", number, headers[len(cells)])
                continue
            cells = cells + [None] * (width - len(cells))
        elif len(cells) > width:
            extra = [c for c in cells[width:] if c is not None]
            if extra:
                problems.add(f"has {len(cells)} fields, the header has {width} (a delimiter "
                             "inside an unquoted value?)", number, f"#{width + 1}")
                continue
            cells = cells[:width]
        data.append((number, cells))
    return Table(grid.file, headers, questions, data, source, rows[index][0], grid.sheet,
                 grid.sheets, grid.encoding, grid.delimiter, problems)


def read_table(path: Path, score: Scorer, sheet: str | None = None, survey: bool = False,
               file: str | None = None) -> Table:
    """The table of a CSV or XLSX file: in a workbook, sheet ``sheet`` or else the first sheet
    whose header maps."""
    file = file or path.name
    fmt = file_format(path)
    if fmt == "parquet":
        return read_parquet_table(path, file)
    if fmt == "csv":
        if sheet:
            raise InputError(f"--sheet {shorten(sheet)!r}: a CSV file has no sheets", file)
        return locate_header(read_csv_grid(path, file), score, survey)
    grids = read_xlsx_grids(path, file)
    if sheet is not None:
        chosen = [g for g in grids if g.sheet == sheet] or \
                 [g for g in grids if (g.sheet or "").strip().lower() == sheet.strip().lower()]
        if not chosen:
            raise InputError(f"has no sheet {shorten(sheet)!r} (its sheets: "
                             f"{some_of([g.sheet or '' for g in grids])})", file)
        return locate_header(chosen[0], score, survey)
    first_error: InputError | None = None
    for grid in grids:
        if not grid.rows:
            continue
        try:
            table = locate_header(grid, score, survey)
        except InputError as e:
            first_error = first_error or e
            continue
        if score(table.headers, table.questions) >= 2:
            return table
    if first_error:
        raise first_error
    raise InputError("has no sheet with a header this import understands (sheets: "
                     f"{some_of([g.sheet or '' for g in grids])}); pick one with --sheet",
                     file)


def parquet_head(path: Path, file: str, count: int = 10) -> tuple[list[str], list[tuple]]:
    """The columns and first ``count`` rows of a Parquet file or folder (schema and a
    preview only: a partitioned log may be larger than memory)."""
    duckdb = duckdb_module()
    files = parquet_files(path)
    try:
        with duckdb_connection() as con, literal_paths(files, file) as names:
            con.execute(f"SELECT * FROM read_parquet([{', '.join(names)}], "
                        f"union_by_name = true) LIMIT {int(count)}")
            return [str(d[0]) for d in con.description], con.fetchall()
    except duckdb.Error as e:
        raise InputError(f"cannot be read as Parquet ({shorten(str(e).splitlines()[0], 200)})",
                         file) from e


def read_parquet_table(path: Path, file: str) -> Table:
    """A (small) Parquet table as rows, for transitions and metrics; events use DuckDB."""
    duckdb = duckdb_module()
    files = parquet_files(path)
    try:
        with duckdb_connection() as con, literal_paths(files, file) as names:
            con.execute(f"SELECT * FROM read_parquet([{', '.join(names)}], "
                        "union_by_name = true)")
            headers = [d[0] for d in con.description]
            check_width(len(headers), file, None)
            records = con.fetchall()
    except duckdb.Error as e:
        raise InputError(f"cannot be read as Parquet ({shorten(str(e).splitlines()[0], 200)})",
                         file) from e
    problems = Problems(file)
    rows: list[Row] = []
    for i, rec in enumerate(records):
        cells = [None if v == "" else v for v in rec]
        for k, v in enumerate(cells):
            if isinstance(v, str) and (len(v) > MAX_FIELD_CHARS or CONTROL.search(v)):
                problems.add(control_message(v) if CONTROL.search(v) else
                             f"a field of {len(v):,} characters", i + 1, headers[k])
                cells[k] = None
        rows.append((i + 1, cells))
    return Table(file, headers, [None] * len(headers), rows, "parquet", 0, problems=problems)


# -- numbers ------------------------------------------------------------------------------

def cell_number(cell: Any, comma: bool | Callable[[], bool] = False
                ) -> tuple[float | None, str | None]:
    """checks.read_number, with "23.5%" (or a percent-formatted cell) as a Percent, a
    fraction."""
    value, why = read_number(cell, comma)
    if value is not None and isinstance(cell, str) and cell.strip().endswith("%"):
        value = Percent(value / 100)
    return value, why


def parse_number(cell: Any) -> float | None:
    """A number from a cell, or None when it is not one, in a file whose decimal separator is
    not known (the wizard's preview)."""
    return cell_number(cell)[0]
