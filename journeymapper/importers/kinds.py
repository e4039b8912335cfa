"""The kinds of import, in one registry: each kind's name, what reads it into a Plan, the
wizard's label, the fields its columns map to, which options apply to it and what an import of
it replaces. The command line (``--kind`` choices and help), the wizard (kind box, fields,
options shown) and importers.apply all look a kind up here; no other code names a kind.

A new kind is one ``register(Kind(...))`` line. A kind whose reading is analysis (transactions:
the RFM scoring) is registered by that analysis module, since importers may not import it;
``journeymapper.commands.pipeline``, which every import route goes through, imports those
modules.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymapper.errors import InputError
from journeymapper.importers.matching import without_skipped
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.plan import Plan
from journeymapper.model import name_key
from journeymapper.storage import ProjectFile


@dataclass
class Read:
    """What a reader saw of a file (what the wizard shows, also when the file is refused)
    and the plan it made of it."""

    plan: Plan | None = None
    headers: list[str] = field(default_factory=list)
    questions: list[str | None] = field(default_factory=list)
    first_rows: list[list[str]] = field(default_factory=list)
    source: str = ""
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    value: Any = None  # the kind's own result (an RfmResult), for callers that show it

    def saw(self, table: Any) -> None:
        """The file as read into a table (readers.Table), before its plan is built."""
        self.headers, self.questions = table.headers, table.questions
        self.first_rows, self.source = table.first_rows(), table.source
        self.sheet, self.sheets = table.sheet, table.sheets

    def update(self, other: Read) -> None:
        for f in dataclasses.fields(self):
            setattr(self, f.name, getattr(other, f.name))


# reader(project, path, options, file name shown in messages, progress, seen) -> the plan; it
# fills ``seen`` as soon as it has read the file. The progress callback takes a fraction and
# may raise to cancel (the import's ImportCancelled).
Reader = Callable[[ProjectFile, Path, ImportOptions, str, Callable[[float], Any] | None, Read],
                  Plan]

# Options a kind may take (ImportOptions fields, and --segments-from / --as-of).
SEGMENT, COMPETITOR, CREATE_MISSING, GOAL, DATE_FORMAT, ANSWER_SCALE, SKIP_BAD_ROWS, \
    SEGMENTS_FROM, AS_OF = ("segment", "competitor", "create_missing", "goal", "date_format",
                            "answer_scale", "skip_bad_rows", "segments_from", "as_of")


@dataclass
class Kind:
    name: str
    label: str  # the wizard's choice
    help: str  # what the command line's help calls it
    module: str  # the importers module whose FIELDS a column can map to
    options: frozenset[str]
    read: Reader | None = None  # None until the module that reads it registers it
    metric_columns: bool = False  # a column may also map to any metric key (wide sheets)
    # "file": a newer version of the same file replaces its import; "kind": any earlier import
    # of the kind does (one customer base: two transactions imports would double it).
    replaces: str = "file"
    unsegmented: str = "All customers"  # where rows without a segment go
    # A sheet of edits (actions, lanes: importers.plan_sheets), written by
    # commands.plan_import, not as observations with an import record.
    edits: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        """What a column can map to (imported when asked: the command line starts without
        loading every importer)."""
        return tuple(importlib.import_module(f"journeymapper.importers.{self.module}").FIELDS)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add ``kind`` (or give a registered kind its reader)."""
    KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    kind = KINDS.get(name)
    if kind is None:
        raise InputError(f"unknown kind {name!r} (kinds: {', '.join(KINDS)})")
    return kind


def names() -> list[str]:
    return list(KINDS)


def read(project: ProjectFile, path: Path, options: ImportOptions, file: str,
         progress: Callable[[float], Any] | None, seen: Read) -> None:
    """Read ``path`` as ``options.kind`` into ``seen`` (its plan set when it could be made)."""
    kind = get(options.kind)
    if kind.read is None:  # a bug: the route did not go through commands.pipeline
        raise RuntimeError(f"no reader registered for kind {kind.name!r}")
    seen.plan = kind.read(project, path, options, file, progress, seen)


# -- the importers' own kinds -------------------------------------------------------------

def _metrics(pf: ProjectFile, path: Path, options: ImportOptions, file: str,
             progress: Any, seen: Read) -> Plan:
    from journeymapper.importers import metrics_import

    metrics = pf.metrics()
    table = metrics_import.read(path, options, metrics, file)
    seen.saw(table)
    return without_skipped(table, options, lambda t: metrics_import.build(t, options, metrics))


def _survey(pf: ProjectFile, path: Path, options: ImportOptions, file: str,
            progress: Any, seen: Read) -> Plan:
    from journeymapper.importers import survey

    table = survey.read(path, options, file)
    seen.saw(table)
    cards = sorted({t.name for t in pf.touchpoints()})
    return without_skipped(table, options, lambda t: survey.build(t, options, cards))


def _transitions(pf: ProjectFile, path: Path, options: ImportOptions, file: str,
                 progress: Any, seen: Read) -> Plan:
    from journeymapper.importers import transitions

    table = transitions.read(path, options, file)
    seen.saw(table)
    return without_skipped(table, options, lambda t: transitions.build(t, options))


def _goals(pf: ProjectFile, options: ImportOptions) -> list[str]:
    """The goal touchpoints: those flagged in the project and those --goal names, with the
    names a file may give them (their aliases)."""
    from journeymapper.importers.matching import goal_spellings

    flagged = [t for t in pf.touchpoints() if t.goal]
    return sorted({t.name for t in flagged} | set(options.goals)
                  | goal_spellings(pf, options, flagged))


def _events(pf: ProjectFile, path: Path, options: ImportOptions, file: str,
            progress: Any, seen: Read) -> Plan:
    from journeymapper.importers import events, matching

    matcher = matching.for_import(pf, options)
    segment = next((s.id for s in pf.segments() if options.segment
                    and name_key(s.name) == name_key(options.segment)), None)
    result = events.aggregate(path, options, _goals(pf, options), file,
                              lambda raw: matcher.match(raw, segment))
    seen.headers, seen.questions = result.headers, [None] * len(result.headers)
    seen.first_rows, seen.source = result.first_rows, result.source
    return result.plan


def _chain(pf: ProjectFile, path: Path, options: ImportOptions, file: str,
           progress: Any, seen: Read) -> Plan:
    from journeymapper.importers import chain_import

    table = chain_import.read(path, options, file)
    seen.saw(table)
    goals = _goals(pf, options)
    return without_skipped(table, options, lambda t: chain_import.build(t, options, goals))


EVERY_SEGMENT = "every segment that has the touchpoint"
METRICS = register(Kind(
    "metrics", "Metrics (KPI sheet: touchpoint, metric, value …)", "metrics (KPI sheets)",
    "metrics_import",
    frozenset({SEGMENT, COMPETITOR, CREATE_MISSING, SKIP_BAD_ROWS}), _metrics,
    metric_columns=True, unsegmented=EVERY_SEGMENT))
SURVEY = register(Kind(
    "survey", "Survey responses (one row per respondent)", "survey responses",
    "survey",
    frozenset({SEGMENT, COMPETITOR, CREATE_MISSING, ANSWER_SCALE, SKIP_BAD_ROWS}), _survey,
    unsegmented=EVERY_SEGMENT))
EVENTS = register(Kind(
    "events", "Event log (customer, touchpoint, timestamp)", "event logs", "events",
    frozenset({SEGMENT, CREATE_MISSING, GOAL, DATE_FORMAT, SKIP_BAD_ROWS, SEGMENTS_FROM}),
    _events))
TRANSITIONS = register(Kind(
    "transitions", "Transition counts (from, to, count)", "transition counts",
    "transitions", frozenset({SEGMENT, CREATE_MISSING, SKIP_BAD_ROWS}), _transitions))
def _variants(pf: ProjectFile, path: Path, options: ImportOptions, file: str,
              progress: Any, seen: Read) -> Plan:
    from journeymapper.importers import variants_import

    table = variants_import.read(path, options, file)
    seen.saw(table)
    goals = _goals(pf, options)
    return without_skipped(table, options, lambda t: variants_import.build(t, options, goals))


VARIANTS = register(Kind(
    "variants", "Journey variants (path, journeys, converted: events-sql --what variants)",
    "journey variants", "variants_import",
    frozenset({SEGMENT, CREATE_MISSING, GOAL, SKIP_BAD_ROWS}), _variants))
CHAIN = register(Kind(
    "chain", "Journey chain (from, to, count: events-sql --what chain)", "journey chains",
    "chain_import", frozenset({SEGMENT, CREATE_MISSING, GOAL, SKIP_BAD_ROWS}), _chain))
def _actions(pf: ProjectFile, path: Path, options: ImportOptions, file: str,
             progress: Any, seen: Read) -> Plan:
    from journeymapper.importers import plan_sheets

    return plan_sheets.read_actions(path, options, file, pf.load(), seen)


def _lanes(pf: ProjectFile, path: Path, options: ImportOptions, file: str,
           progress: Any, seen: Read) -> Plan:
    from journeymapper.importers import plan_sheets

    return plan_sheets.read_lanes(path, options, file, pf.load(), seen)


ACTIONS = register(Kind(
    "actions", "Action plan (the Actions sheet of an exported workbook)", "action plans",
    "plan_sheets", frozenset({SKIP_BAD_ROWS}), _actions, edits=True))
LANES = register(Kind(
    "lanes", "Story lanes (the Lanes sheet of an exported workbook)", "story lanes",
    "plan_sheets", frozenset({SKIP_BAD_ROWS}), _lanes, edits=True))
# Read by journeymapper.analysis.rfm_import, which registers its reader.
TRANSACTIONS = register(Kind(
    "transactions", "Transactions (customer, date, amount) for RFM",
    "transactions (RFM segments)", "transactions", frozenset({DATE_FORMAT, AS_OF}),
    replaces="kind"))
