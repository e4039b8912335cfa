"""What an XLSX file must pass before openpyxl reads it: a workbook is a zip of XML parts, and
both layers can be made to explode. A zip bomb (a megabyte that unpacks to gigabytes) is
refused by the sizes its directory declares; a part that unpacks to more than it declared
fails zipfile's own size and CRC check while it is read here. An XML document type
declaration is refused outright (entity expansion is the attack; Excel never writes one).
The same pass notes the cells that hold a formula but no value (a workbook saved by a tool
that does not compute): openpyxl would read them as empty cells.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from journeymapper.errors import InputError

MAX_UNPACKED_BYTES = 200_000_000  # a workbook of a million cells unpacks to about 100 MB
MAX_PARTS = 10_000
_CHUNK = 1 << 22
_OVERLAP = 1 << 16  # longer than any cell element: a formula is at most 8,192 characters
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
# <c r="B3" ...><f ...>...</f></c> or <f .../> with no <v> (or an empty one) after it.
_NO_VALUE = re.compile(
    rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})(\d+)\"[^>]*>\s*"
    rb"<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*"
    rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>")

Unvalued = dict[str, set[tuple[int, str]]]  # part name -> {(row, column letters)}


def check_workbook(path: Path, file: str) -> Unvalued:
    """Refuse a workbook that unpacks to more than MAX_UNPACKED_BYTES or holds a DTD; return
    the cells of each worksheet part that hold a formula without a value."""
    try:
        with zipfile.ZipFile(path) as zf:
            parts = zf.infolist()
            declared = sum(p.file_size for p in parts)
            if declared > MAX_UNPACKED_BYTES or len(parts) > MAX_PARTS:
                raise InputError(
                    f"unpacks to {declared / 1e6:,.0f} MB in {len(parts):,} parts (at most "
                    f"{MAX_UNPACKED_BYTES / 1e6:,.0f} MB in {MAX_PARTS:,}): a zip bomb, or not "
                    "a workbook a person made; save it as CSV", file)
            return {p.filename: cells for p in parts if p.filename.endswith((".xml", ".rels"))
                    and (cells := _scan_part(zf, p, file)) is not None}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError) as e:
        raise InputError(f"cannot be read as an Excel workbook ({e})", file) from e


def _scan_part(zf: zipfile.ZipFile, part: zipfile.ZipInfo, file: str) -> set[tuple[int, str]]:
    sheet = part.filename.startswith("xl/worksheets/")
    found: set[tuple[int, str]] = set()
    buffer = b""
    with zf.open(part) as f:
        while True:
            chunk = f.read(_CHUNK)
            buffer += chunk
            if _DTD.search(buffer):
                raise InputError(f"holds an XML document type declaration in {part.filename} "
                                 "(Excel never writes one; entity expansion is an attack)",
                                 file)
            if sheet and b"<f" in buffer:
                found.update((int(m.group(2)), m.group(1).decode())
                             for m in _NO_VALUE.finditer(buffer))
            if not chunk:
                return found
            buffer = buffer[-_OVERLAP:]
