"""A contact list written by ``journeymapper rfm`` read back as {customer id: RFM segment}, for
``import --kind events --segments-from CONTACTS.csv``: each customer's journeys then go to
their RFM segment ("Champions", "Can't lose them", ...), so a workshop sees where the journeys
of one segment diverge from another's.

The list is read as text (ids stay exactly as written, "00001" stays "00001"); only the
``customer`` and ``rfm_segment`` columns matter, any others (the scores, ``at_risk``) are
ignored. Customers of the event log who are not on the list keep the segment they would have
had without it (the log's segment column, ``--segment``, or "All customers").
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

from journeymapper.errors import InputError, shorten, some_of
from journeymapper.importers.checks import check_width, name_problem
from journeymapper.importers.readers import decode

REQUIRED = ("customer", "rfm_segment")


def load_segments_from(path: str | os.PathLike[str]) -> dict[str, str]:
    """{customer: rfm_segment} from a contact list. Raises InputError (file, row, column) for
    a missing file or column, an empty segment, or a customer listed twice with different
    segments."""
    path = Path(path)
    file = path.name
    if not path.is_file():
        raise InputError(f"no such contact list ({path})", file)
    text, _ = decode(path.read_bytes(), file)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _segments(reader, file)
    except csv.Error as e:
        raise InputError(f"cannot be read as CSV ({e}; a truncated file or a stray quote?)",
                         file, reader.line_num + 1) from e


def _segments(reader: Any, file: str) -> dict[str, str]:
    header = next(reader, None)
    if header is None:
        raise InputError("is empty (a contact list from journeymapper rfm has a header)", file)
    check_width(len(header), file, 1)
    names = [h.strip().lstrip("\ufeff") for h in header]
    for column in REQUIRED:
        if column not in names:
            raise InputError(f"has no {column!r} column (columns: {some_of(names)}); it is "
                             "not a contact list from journeymapper rfm", file, 1, column)
    ci, si = names.index("customer"), names.index("rfm_segment")
    segments: dict[str, str] = {}
    for record in reader:
        row = reader.line_num
        if not any(c.strip() for c in record):
            continue
        if len(record) <= max(ci, si):
            raise InputError(f"has {len(record)} field(s), the header has {len(names)}", file,
                             row, names[len(record)] if len(record) < len(names) else None)
        customer, segment = record[ci].strip(), record[si].strip()
        if not customer:
            raise InputError("no customer id", file, row, "customer")
        if not segment:
            raise InputError("no segment", file, row, "rfm_segment")
        why = name_problem(segment)  # it becomes a segment's name
        if why:
            raise InputError(why, file, row, "rfm_segment")
        if segments.setdefault(customer, segment) != segment:
            raise InputError(f"customer {shorten(customer)!r} is listed twice, in "
                             f"{shorten(segments[customer])!r} and {shorten(segment)!r}", file, row,
                             "customer")
    return segments
