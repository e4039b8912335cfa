"""How long a text and how many rows a .jmap may hold: one table for writing and for opening.

Storage refuses to write a longer text or a row past a table's limit, and opening refuses a
file beyond them; the open-time byte limits are derived from these character limits, so
whatever JourneyMapper writes into a file it opens again (DESIGN.md, "Safety rules").
Importers use the same constants to refuse or shorten what they would write.
"""

from __future__ import annotations

# UTF-8 needs at most 4 bytes for a character: the byte limit a file is checked against on open.
BYTES_PER_CHAR = 4

MAX_NAME_CHARS = 1_000  # a segment, stage, touchpoint, competitor or metric name; also ids, keys
MAX_PATH_CHARS = 4_096  # a file name or path an import remembers (PATH_MAX on Linux)
MAX_NOTE_CHARS = 100_000  # a touchpoint's notes: pages of text, not a pasted book
MAX_SUMMARY_CHARS = 200_000  # an import's summary; importers shorten theirs to fit
MAX_MAPPING_CHARS = 200_000  # an import's column mapping, as JSON
MAX_SETTING_CHARS = 200_000  # a project setting's value
MAX_STORY_CHARS = 20_000  # a lane's cell, a persona's text, an action's expected effect
MAX_PHOTO_BYTES = 2 * 1024 * 1024  # a persona's photo (DESIGN.md, "Words")
# Where an import's file was and its options (JSON): as long as the setting it once was.
MAX_SOURCE_CHARS = MAX_SETTING_CHARS

# Every text column not named here is a name, key or id, limited to MAX_NAME_CHARS.
LONG_TEXT_CHARS = {
    ("touchpoint", "notes"): MAX_NOTE_CHARS,
    ("import", "summary"): MAX_SUMMARY_CHARS,
    ("import", "mapping"): MAX_MAPPING_CHARS,
    ("import", "file_name"): MAX_PATH_CHARS,
    ("import", "source"): MAX_SOURCE_CHARS,
    ("project", "value"): MAX_SETTING_CHARS,
    ("lane_cell", "text"): MAX_STORY_CHARS,
    ("persona", "description"): MAX_STORY_CHARS,
    ("persona", "goals"): MAX_STORY_CHARS,
    ("persona", "needs"): MAX_STORY_CHARS,
    ("persona", "quote"): MAX_STORY_CHARS,
    ("evidence_note", "text"): MAX_STORY_CHARS,
    ("action", "effect"): MAX_STORY_CHARS,
    # A variant's path: a JSON list of up to 30 touchpoint ids, each quoted, with a comma.
    ("journey_variant", "path"): 31 * (MAX_NAME_CHARS + 4),
}

# Far above any real map (DESIGN: 30-200 touchpoints a segment), far below what would hang the
# app, and above what imports of large logs write: an event log has fewer distinct transitions
# than events, so two imports of 1M events each fit (a 1M-event log of 50 pages writes 93
# transitions; 100,000 events over 3,000 pages, 80,000). Writes past them are refused.
MAX_ROWS = {
    "project": 200_000, "import": 100_000, "import_created": 3_000_000, "segment": 1_000,
    "stage": 20_000, "touchpoint": 100_000, "transition": 2_000_000, "metric": 1_000,
    "competitor": 1_000, "observation": 2_000_000, "journey_chain": 2_000_000,
    "journey_count": 2_000_000, "journey_variant": 2_000_000, "journey_path": 2_000_000,
    "alias": 100_000, "rule": 10_000, "lane": 20_000, "lane_cell": 400_000, "persona": 1_000,
    "evidence_note": 200_000, "action": 100_000,
}
# Bytes of a BLOB column: only a persona's photo is one.
MAX_BLOB_BYTES = {("persona", "photo"): MAX_PHOTO_BYTES}


# The largest magnitude of any number JourneyMapper writes (a value, a count, a position): the
# readers refuse a measurement beyond it, storage refuses to write one, opening refuses a file
# holding one. Products of a few such numbers (the economics) stay far from infinity, and a
# position + 1 far from SQLite's 2**63.
MAX_NUMBER = 1e15

# Counts, durations and standard errors: never below zero when JourneyMapper writes them, and
# the drawing and the statistics rely on it (a negative count has no square root).
NON_NEGATIVE = {
    ("transition", "count"), ("transition", "median_seconds"), ("observation", "n"),
    ("observation", "se"), ("import", "rows_read"), ("import", "rows_used"),
    ("import", "rows_rejected"), ("journey_chain", "count"), ("journey_count", "journeys"),
    ("journey_count", "converted"), ("journey_variant", "journeys"),
    ("journey_variant", "converted"), ("journey_path", "journeys"), ("action", "votes"),
    ("touchpoint", "votes"),
}


def max_chars(table: str, column: str) -> int:
    """The most characters JourneyMapper writes into ``table.column`` (a text column)."""
    return LONG_TEXT_CHARS.get((table, column), MAX_NAME_CHARS)


def max_bytes(table: str, column: str) -> int:
    """The most bytes a text in ``table.column`` of a file JourneyMapper wrote can have."""
    return BYTES_PER_CHAR * max_chars(table, column)


# The longest string or row SQLite may hand us (its SQLITE_LIMIT_LENGTH): room for the largest
# row at its limits (the import row's texts, or a persona with its photo), plus its numbers.
MAX_VALUE_BYTES = max(
    BYTES_PER_CHAR * (MAX_PATH_CHARS + MAX_SUMMARY_CHARS + MAX_MAPPING_CHARS + MAX_SOURCE_CHARS
                      + 10 * MAX_NAME_CHARS),
    MAX_PHOTO_BYTES + BYTES_PER_CHAR * (4 * MAX_STORY_CHARS + 4 * MAX_NAME_CHARS)) + 65_536
