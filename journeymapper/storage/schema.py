"""The .jmap schema: version 1 and the migrations forward from it.

A migration is a list of SQL statements that takes a file from version ``i`` to ``i + 1``;
``SCHEMA_VERSION`` is the number of migrations. Never edit a released migration: add one.
A file of any older version migrates to the schema of a new file, exactly
(tests/test_storage_migrations.py builds one of each version from a prefix of MIGRATIONS).

Columns are added with ALTER TABLE ADD COLUMN, in place. A change ADD COLUMN cannot make (a
column's type or constraint changed, a column dropped or moved) belongs to sqlite-utils'
``table.transform()``, run with foreign keys off (a dropped parent table would fire its
children's ON DELETE actions); it would make migrations Python, and the open check builds
its reference schema from them on every open, so sqlite-utils (and numpy) would then load
whenever a file opens.
"""

from __future__ import annotations

# "JMAP" in ASCII: lets `file` and this app tell a project from any other SQLite file.
APPLICATION_ID = 0x4A4D4150

V1 = [
    """CREATE TABLE project (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE import (
        id TEXT PRIMARY KEY, file_name TEXT NOT NULL, sha256 TEXT NOT NULL, kind TEXT NOT NULL,
        mapping TEXT NOT NULL DEFAULT '{}', rows_read INTEGER NOT NULL DEFAULT 0,
        rows_used INTEGER NOT NULL DEFAULT 0, rows_rejected INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL, summary TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE segment (
        id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, position INTEGER NOT NULL)""",
    """CREATE TABLE stage (
        id TEXT PRIMARY KEY,
        segment_id TEXT NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
        name TEXT NOT NULL, position INTEGER NOT NULL, width REAL NOT NULL DEFAULT 260)""",
    """CREATE INDEX stage_segment ON stage(segment_id, position)""",
    """CREATE TABLE touchpoint (
        id TEXT PRIMARY KEY,
        segment_id TEXT NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
        stage_id TEXT NOT NULL REFERENCES stage(id) ON DELETE CASCADE,
        name TEXT NOT NULL, channel TEXT NOT NULL DEFAULT 'web', owner TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '', moment_of_truth INTEGER NOT NULL DEFAULT 0,
        goal INTEGER NOT NULL DEFAULT 0, contact_kind TEXT NOT NULL DEFAULT 'organic',
        contacts_per_month REAL, x REAL NOT NULL DEFAULT 20, y REAL NOT NULL DEFAULT 0)""",
    """CREATE INDEX touchpoint_segment ON touchpoint(segment_id)""",
    """CREATE INDEX touchpoint_stage ON touchpoint(stage_id)""",
    """CREATE TABLE transition (
        id TEXT PRIMARY KEY,
        segment_id TEXT NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
        source_id TEXT NOT NULL REFERENCES touchpoint(id) ON DELETE CASCADE,
        target_id TEXT NOT NULL REFERENCES touchpoint(id) ON DELETE CASCADE,
        count INTEGER, median_seconds REAL,
        import_id TEXT REFERENCES import(id) ON DELETE SET NULL)""",
    """CREATE INDEX transition_segment ON transition(segment_id)""",
    """CREATE INDEX transition_source ON transition(source_id)""",
    """CREATE INDEX transition_target ON transition(target_id)""",
    """CREATE TABLE metric (
        key TEXT PRIMARY KEY, label TEXT NOT NULL, unit TEXT NOT NULL DEFAULT '',
        direction TEXT NOT NULL DEFAULT 'higher'
            CHECK (direction IN ('higher', 'lower', 'neutral')),
        weak REAL, good REAL, weight REAL NOT NULL DEFAULT 1,
        fraction INTEGER NOT NULL DEFAULT 0, builtin INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE competitor (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE)""",
    """CREATE TABLE observation (
        id TEXT PRIMARY KEY,
        metric_key TEXT NOT NULL REFERENCES metric(key) ON DELETE CASCADE,
        segment_id TEXT NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
        touchpoint_id TEXT REFERENCES touchpoint(id) ON DELETE CASCADE,
        competitor_id TEXT REFERENCES competitor(id) ON DELETE CASCADE,
        value REAL NOT NULL, n INTEGER, se REAL, period TEXT,
        import_id TEXT REFERENCES import(id) ON DELETE CASCADE)""",
    """CREATE INDEX observation_segment ON observation(segment_id)""",
    """CREATE INDEX observation_touchpoint ON observation(touchpoint_id)""",
    """CREATE INDEX observation_import ON observation(import_id)""",
    """CREATE INDEX observation_competitor ON observation(competitor_id)""",
    # What an import created (segments, stages, touchpoints, competitors, transitions), so
    # that undoing or refreshing it removes exactly that and nothing a person made.
    """CREATE TABLE import_created (
        id TEXT PRIMARY KEY,
        import_id TEXT NOT NULL REFERENCES import(id) ON DELETE CASCADE,
        entity TEXT NOT NULL, entity_id TEXT NOT NULL)""",
    """CREATE INDEX import_created_import ON import_created(import_id)""",
]

# The journeys of an event log as aggregates (DESIGN.md, "Which touchpoint killed the sale"):
# the journey chain (from_id NULL: start; to_id NULL: an end, converted or lost), the journeys
# of a segment (touchpoint_id NULL) and those through a touchpoint before their goal, the
# variants (path: a JSON list of touchpoint ids; lost: among lost journeys only) and the
# two-step paths into a touchpoint (outgoing 0) and out of it (outgoing 1).
# Each row belongs to its import, segment and touchpoints, and goes with any of them.
V2 = [
    """CREATE TABLE journey_chain (
        id TEXT PRIMARY KEY,
        segment_id TEXT NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
        from_id TEXT REFERENCES touchpoint(id) ON DELETE CASCADE,
        to_id TEXT REFERENCES touchpoint(id) ON DELETE CASCADE,
        converted INTEGER NOT NULL DEFAULT 0 CHECK (converted IN (0, 1)),
        count INTEGER NOT NULL CHECK (count >= 0),
        import_id TEXT REFERENCES import(id) ON DELETE CASCADE)""",
    """CREATE INDEX journey_chain_segment ON journey_chain(segment_id)""",
    """CREATE INDEX journey_chain_import ON journey_chain(import_id)""",
    """CREATE INDEX journey_chain_from ON journey_chain(from_id)""",
    """CREATE INDEX journey_chain_to ON journey_chain(to_id)""",
    """CREATE TABLE journey_count (
        id TEXT PRIMARY KEY,
        segment_id TEXT NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
        touchpoint_id TEXT REFERENCES touchpoint(id) ON DELETE CASCADE,
        journeys INTEGER NOT NULL CHECK (journeys >= 0),
        converted INTEGER NOT NULL CHECK (converted >= 0),
        import_id TEXT REFERENCES import(id) ON DELETE CASCADE)""",
    """CREATE INDEX journey_count_segment ON journey_count(segment_id)""",
    """CREATE INDEX journey_count_import ON journey_count(import_id)""",
    """CREATE INDEX journey_count_touchpoint ON journey_count(touchpoint_id)""",
    """CREATE TABLE journey_variant (
        id TEXT PRIMARY KEY,
        segment_id TEXT NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
        lost INTEGER NOT NULL DEFAULT 0 CHECK (lost IN (0, 1)),
        rank INTEGER NOT NULL,
        path TEXT NOT NULL,
        journeys INTEGER NOT NULL CHECK (journeys >= 0),
        converted INTEGER NOT NULL CHECK (converted >= 0),
        cut INTEGER NOT NULL DEFAULT 0 CHECK (cut IN (0, 1)),
        import_id TEXT REFERENCES import(id) ON DELETE CASCADE)""",
    """CREATE INDEX journey_variant_segment ON journey_variant(segment_id)""",
    """CREATE INDEX journey_variant_import ON journey_variant(import_id)""",
    """CREATE TABLE journey_path (
        id TEXT PRIMARY KEY,
        segment_id TEXT NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
        touchpoint_id TEXT NOT NULL REFERENCES touchpoint(id) ON DELETE CASCADE,
        outgoing INTEGER NOT NULL DEFAULT 0 CHECK (outgoing IN (0, 1)),
        rank INTEGER NOT NULL,
        first_id TEXT NOT NULL REFERENCES touchpoint(id) ON DELETE CASCADE,
        second_id TEXT NOT NULL REFERENCES touchpoint(id) ON DELETE CASCADE,
        journeys INTEGER NOT NULL CHECK (journeys >= 0),
        import_id TEXT REFERENCES import(id) ON DELETE CASCADE)""",
    """CREATE INDEX journey_path_segment ON journey_path(segment_id)""",
    """CREATE INDEX journey_path_import ON journey_path(import_id)""",
    """CREATE INDEX journey_path_touchpoint ON journey_path(touchpoint_id)""",
    """CREATE INDEX journey_path_first ON journey_path(first_id)""",
    """CREATE INDEX journey_path_second ON journey_path(second_id)""",
]

# Where an import's file was and the options it used (JSON, for Re-run; '' when not known)
# live in its row and go with it. They were an ``import.<id>.source`` setting, left behind
# when the import was replaced or removed: moved over here, and those left behind dropped.
V3 = [
    """ALTER TABLE import ADD COLUMN source TEXT NOT NULL DEFAULT ''""",
    """UPDATE import SET source = (SELECT value FROM project
                                   WHERE key = 'import.' || import.id || '.source')
       WHERE EXISTS (SELECT 1 FROM project WHERE key = 'import.' || import.id || '.source')""",
    """DELETE FROM project WHERE key GLOB 'import.*.source'""",
]

# Names that differ (DESIGN.md, "Importing"): an alias is another spelling of one card's name,
# so it follows the card's id through renames and goes with the card; a rule maps a
# shell-style pattern to a touchpoint by name (the card may be one an import creates), tried in
# position order, first match wins.
V4 = [
    """CREATE TABLE alias (
        id TEXT PRIMARY KEY,
        touchpoint_id TEXT NOT NULL REFERENCES touchpoint(id) ON DELETE CASCADE,
        name TEXT NOT NULL)""",
    """CREATE INDEX alias_touchpoint ON alias(touchpoint_id)""",
    """CREATE TABLE rule (
        id TEXT PRIMARY KEY, position INTEGER NOT NULL, pattern TEXT NOT NULL,
        touchpoint_name TEXT NOT NULL)""",
]

# The story and the plan (DESIGN.md, "Words"): a segment's lanes with a text cell per stage,
# its persona (the photo's bytes in the file, at most 2 MB), a touchpoint's evidence notes
# (sign '+' or '-') and dot votes, and actions. An action outlives what it is for: deleting
# its touchpoint, stage or segment clears that reference (ON DELETE SET NULL), the plan stays.
V5 = [
    """CREATE TABLE lane (
        id TEXT PRIMARY KEY,
        segment_id TEXT NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
        name TEXT NOT NULL, position INTEGER NOT NULL,
        kind TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'emotion')),
        placement TEXT NOT NULL DEFAULT 'above' CHECK (placement IN ('above', 'below')),
        hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)))""",
    """CREATE INDEX lane_segment ON lane(segment_id, position)""",
    """CREATE TABLE lane_cell (
        id TEXT PRIMARY KEY,
        lane_id TEXT NOT NULL REFERENCES lane(id) ON DELETE CASCADE,
        stage_id TEXT NOT NULL REFERENCES stage(id) ON DELETE CASCADE,
        text TEXT NOT NULL DEFAULT '', UNIQUE (lane_id, stage_id))""",
    """CREATE INDEX lane_cell_stage ON lane_cell(stage_id)""",
    """CREATE TABLE persona (
        id TEXT PRIMARY KEY,
        segment_id TEXT NOT NULL UNIQUE REFERENCES segment(id) ON DELETE CASCADE,
        name TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',
        goals TEXT NOT NULL DEFAULT '', needs TEXT NOT NULL DEFAULT '',
        quote TEXT NOT NULL DEFAULT '', photo BLOB, photo_type TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE evidence_note (
        id TEXT PRIMARY KEY,
        touchpoint_id TEXT NOT NULL REFERENCES touchpoint(id) ON DELETE CASCADE,
        sign TEXT NOT NULL CHECK (sign IN ('+', '-')), text TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL DEFAULT 0)""",
    """CREATE INDEX evidence_note_touchpoint ON evidence_note(touchpoint_id)""",
    """CREATE TABLE action (
        id TEXT PRIMARY KEY, title TEXT NOT NULL,
        segment_id TEXT REFERENCES segment(id) ON DELETE SET NULL,
        touchpoint_id TEXT REFERENCES touchpoint(id) ON DELETE SET NULL,
        stage_id TEXT REFERENCES stage(id) ON DELETE SET NULL,
        owner TEXT NOT NULL DEFAULT '', due TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'idea'
            CHECK (status IN ('idea', 'planned', 'doing', 'done', 'dropped')),
        effort TEXT NOT NULL DEFAULT '' CHECK (effort IN ('', 'S', 'M', 'L')),
        effect TEXT NOT NULL DEFAULT '',
        metric_key TEXT REFERENCES metric(key) ON DELETE SET NULL, target REAL,
        votes INTEGER NOT NULL DEFAULT 0 CHECK (votes >= 0),
        position INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL DEFAULT '')""",
    """CREATE INDEX action_segment ON action(segment_id)""",
    """CREATE INDEX action_touchpoint ON action(touchpoint_id)""",
    """CREATE INDEX action_stage ON action(stage_id)""",
    """ALTER TABLE touchpoint ADD COLUMN votes INTEGER NOT NULL DEFAULT 0 CHECK (votes >= 0)""",
]

MIGRATIONS: list[list[str]] = [V1, V2, V3, V4, V5]
SCHEMA_VERSION = len(MIGRATIONS)

# Tables in parent-first order (what follows a deleted row is the foreign keys' business:
# the undo log records what their ON DELETE actions remove).
TABLES = ("project", "import", "import_created", "segment", "stage", "touchpoint", "transition",
          "metric", "competitor", "observation", "journey_chain", "journey_count",
          "journey_variant", "journey_path", "alias", "rule", "lane", "lane_cell", "persona",
          "evidence_note", "action")
PRIMARY_KEYS = {"project": "key", "metric": "key"}
BOOLEAN_COLUMNS = {"moment_of_truth", "goal", "fraction", "builtin", "hidden"}
