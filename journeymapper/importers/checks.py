"""What every data file is checked for, whatever its kind and format (DESIGN.md, "Safety
rules"): control characters, numbers that are not finite or whose separators are ambiguous,
counts out of range, names too long to store, headers too wide. Each refusal names the file,
row and column, in a message kept short however wide the file is.
"""

from __future__ import annotations

import codecs
import csv
import math
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from journeymapper.errors import InputError, shorten
from journeymapper.storage.limits import MAX_NAME_CHARS

MAX_COLUMNS = 1_000  # a wide survey export has a few hundred; thousands are a broken file
MAX_COUNT = 10**12  # a count of events, answers or moves; far below SQLite's 2**63
# C0 controls but tab, LF and CR, and DEL: never in a name, a number or a date.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
_CONTROL_BYTE = re.compile(CONTROL.pattern.encode())
_CHUNK = 1 << 20


def check_width(width: int, file: str, row: int | None) -> None:
    if width > MAX_COLUMNS:
        raise InputError(f"has {width:,} columns (at most {MAX_COLUMNS:,}: a broken file, or "
                         "not a table?)", file, row, f"#{MAX_COLUMNS + 1}")


def name_problem(text: str | None) -> str | None:
    """Why a name (touchpoint, segment, competitor, period) cannot be stored, or None."""
    if text is None:
        return None
    if len(text) > MAX_NAME_CHARS:
        return (f"a name of {len(text):,} characters ({shorten(text, 30)!r}; at most "
                f"{MAX_NAME_CHARS:,})")
    if CONTROL.search(text):
        return control_message(text)
    return None


def control_message(text: str, text_file: bool = False) -> str:
    """Why ``text`` (a cell, or a text file's line) is refused: its first control character."""
    code = ord(CONTROL.search(text).group())  # type: ignore[union-attr]
    if text_file:
        return (f"is not a text file in UTF-8, UTF-16 or Latin-1 (control character {code:#04x};"
                " UTF-16 without a byte-order mark, or a binary file?); save it as CSV UTF-8")
    return f"holds control character {code:#04x} (a broken export?)"


# -- control characters in text files -----------------------------------------------------

def _fields(line: str, delimiter: str) -> list[str]:
    """The fields of one line of a file about to be refused (a stray CR is no line end here,
    and whatever the csv module makes of it, a broken line still has fields)."""
    try:
        return next(csv.reader([line.replace("\r", " ")], delimiter=delimiter), [""])
    except csv.Error:
        return line.split(delimiter)


def _column_at(line: str, offset: int, delimiter: str | None, headers: list[str]) -> str:
    """The header name of the field of ``line`` that holds character ``offset``."""
    if delimiter is None:  # whitespace-aligned
        index = len(line[:offset].split()) - (0 if line[offset - 1:offset].isspace() else 1)
    else:
        index = len(_fields(line[:offset] + "\x1e", delimiter)) - 1
    index = max(index, 0)
    if index < len(headers) and not CONTROL.search(headers[index]):  # not the bad header
        return shorten(headers[index])
    return f"#{index + 1}"


def refuse_control(text: str, start: int, file: str, delimiter: str | None,
                   headers: list[str] | None = None, row_base: int = 1) -> None:
    """Raise for the control character at ``text[start]``: its row (line) and column."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    if headers is None:
        first = text[:text.find("\n")] if "\n" in text else text
        headers = [h.strip() for h in _fields(first, delimiter or ",")]
    row = row_base + text.count("\n", 0, start)
    column = _column_at(line, start - line_start, delimiter, headers)
    raise InputError(control_message(text[start], text_file=True), file, row, column)


def check_text(text: str, file: str, delimiter: str | None) -> None:
    """Refuse decoded text holding a control character, naming its row and column."""
    bad = CONTROL.search(text)
    if bad:
        refuse_control(text, bad.start(), file, delimiter)


def scan_bytes(path: Path, file: str, encoding: str, delimiter: str | None,
               headers: list[str]) -> None:
    """The same check over a file that DuckDB reads (it would take any byte), at about
    2.5 GB/s so that it can run beside DuckDB's read: nothing but a byte test on the way,
    the row and column are worked out once one is found. In UTF-8 and the one-byte encodings
    a control byte is a control character; UTF-16 is decoded."""
    if encoding == "utf-16":
        _scan_utf16(path, file, delimiter, headers)
        return
    offset = 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            if len(chunk.translate(None, _CONTROL_BYTES)) != len(chunk):
                start = _CONTROL_BYTE.search(chunk).start()  # type: ignore[union-attr]
                _refuse_byte(path, offset + start, file, encoding, delimiter, headers)
            offset += len(chunk)


def _refuse_byte(path: Path, position: int, file: str, encoding: str, delimiter: str | None,
                 headers: list[str]) -> None:
    """Raise for the control byte at ``position``: its line counted, its field found."""
    lines, line_start = 0, 0
    with path.open("rb") as f:
        done = 0
        while done < position:
            chunk = f.read(min(_CHUNK, position - done))
            lines += chunk.count(b"\n")
            if b"\n" in chunk:
                line_start = done + chunk.rfind(b"\n") + 1
            done += len(chunk)
        f.seek(line_start)
        line = f.read(min(position - line_start, _CHUNK) + _CHUNK).split(b"\n", 1)[0]
    cut = position - line_start
    text = line.decode(encoding, "replace")
    start = len(line[:cut].decode(encoding, "replace"))
    refuse_control(text, start, file, delimiter, headers, row_base=lines + 1)


def _scan_utf16(path: Path, file: str, delimiter: str | None, headers: list[str]) -> None:
    decoder = codecs.getincrementaldecoder("utf-16")("replace")
    lines, tail = 0, ""  # lines before the open one, and the open line's text
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            text = tail + decoder.decode(chunk)
            bad = CONTROL.search(text)
            if bad:
                refuse_control(text, bad.start(), file, delimiter, headers, row_base=lines + 1)
            lines += text.count("\n")
            tail = text[text.rfind("\n") + 1:][-_CHUNK:]


# -- numbers ------------------------------------------------------------------------------

# The shapes of numbers, shared with the SQL of transactions.amount_expression (RE2 reads
# them alike).
COMMA_DECIMAL = r"[+-]?\d*,\d+"
DOT_DECIMAL = r"[+-]?\d*\.\d+"
GROUPED_COMMA = r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?"  # 1,234,567 or 1,234.5
GROUPED_DOT = r"[+-]?\d{1,3}(\.\d{3})+(,\d*)?"
AMBIGUOUS = r"[+-]?[1-9]\d{0,2}[.,]\d{3}"  # "12,000": 12 or 12000?
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_COMMA_DECIMAL = re.compile(COMMA_DECIMAL)
_DOT_DECIMAL = re.compile(DOT_DECIMAL)
_GROUPED_COMMA = re.compile(GROUPED_COMMA)
_GROUPED_DOT = re.compile(GROUPED_DOT)
_AMBIGUOUS = re.compile(AMBIGUOUS)


def _cleaned(text: str) -> str:
    return text.strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")


def decimal_comma(texts: Iterable[Any]) -> bool:
    """Whether a file's numbers use a decimal comma: one proves it ("0,5", "12,50",
    "1.234,5") and none a decimal point ("3.5", "1,234.50")."""
    comma = point = False
    for cell in texts:
        if not isinstance(cell, str) or not cell or not (cell[0].isdigit() or cell[0] in "+-.,"
                                                          or cell[-1] == "%"):
            continue
        text = _cleaned(cell).rstrip("%")
        if _AMBIGUOUS.fullmatch(text):
            continue
        if _GROUPED_DOT.fullmatch(text) and "," in text or _COMMA_DECIMAL.fullmatch(text):
            comma = True
        elif _GROUPED_COMMA.fullmatch(text) and "." in text or _DOT_DECIMAL.fullmatch(text):
            point = True
        if comma and point:
            return False
    return comma


def read_number(cell: Any, comma: bool | Callable[[], bool] = False
                ) -> tuple[float | None, str | None]:
    """(number, None), (None, None) for an empty cell, or (None, why it is not a number).
    Understands "1,234.5", "1.234,5", "0,235" (a decimal comma), "23.5%" (a fraction, marked
    by the caller), "−3" (a typographic minus). A lone separator before three digits
    ("12,000") is a thousands separator only in a file of decimal commas (``comma``), where
    "12.000" is 12000 and "12,000" 12; elsewhere a comma there is refused as ambiguous.
    ``comma`` may be a function, called only when a value needs the answer (it looks at
    the whole file)."""
    if cell is None:
        return None, None
    if isinstance(cell, bool):
        return None, f"{shorten(cell)!r} is not a number"
    if isinstance(cell, int | float):
        if not math.isfinite(cell):
            return None, f"{shorten(cell)!r} is not a finite number"
        return cell, None
    if isinstance(cell, datetime | date | time | timedelta):
        return None, f"{shorten(cell)!r} is a date or time, not a number"
    if not isinstance(cell, str):
        return None, f"{shorten(cell)!r} is not a number"
    text = _cleaned(cell)
    if text.endswith("%"):
        text = text[:-1]
    if "," in text and "." in text:  # the later one is the decimal separator
        if text.rfind(",") > text.rfind(".") and _GROUPED_DOT.fullmatch(text):
            text = text.replace(".", "").replace(",", ".")
        elif text.rfind(".") > text.rfind(",") and _GROUPED_COMMA.fullmatch(text):
            text = text.replace(",", "")
        else:
            return None, f"{shorten(cell)!r} is not a number"
    elif _AMBIGUOUS.fullmatch(text):
        if comma() if callable(comma) else comma:
            text = text.replace(".", "").replace(",", ".")
        elif "," in text:
            return None, (f"{shorten(cell)!r} is ambiguous: a thousands separator or a decimal "
                          "comma? (write 12000 or 12.0; a file whose numbers use a decimal "
                          "comma elsewhere, such as 0,5, reads it as a decimal comma)")
    elif text.count(",") > 1 and _GROUPED_COMMA.fullmatch(text):
        text = text.replace(",", "")
    elif text.count(".") > 1 and _GROUPED_DOT.fullmatch(text):
        text = text.replace(".", "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    if not _PLAIN.fullmatch(text):
        return None, f"{shorten(cell)!r} is not a number"
    value = float(text)
    if not math.isfinite(value):
        return None, f"{shorten(cell)!r} is not a finite number"
    return value, None


def read_count(value: float | None) -> tuple[int | None, str | None]:
    """A count from a number: whole, 0 or more, at most MAX_COUNT."""
    if value is None:
        return None, None
    if value < 0 or value != int(value) or value > MAX_COUNT:
        return None, f"is not a count (a whole number 0 to {MAX_COUNT:,})"
    return int(value), None
