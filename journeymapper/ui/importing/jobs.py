"""What the import wizard's background jobs do, free of widgets: look at a file (its columns,
first rows, sheets, the kind it most likely is), prepare an import against the project (the
one pipeline's preview, commands.pipeline, for every kind), and run it as one operation on the
worker's connection (ui.background gives each job its own): the record of the rows it changed
is made there and handed to the window, which undoes it as one step.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymapper.commands import pipeline
from journeymapper.commands.imports import place_touchpoints, remember_source
from journeymapper.errors import InputError, JourneyMapperError
from journeymapper.importers import kinds, matching, rule_proposals
from journeymapper.importers.apply import Preview, replan
from journeymapper.importers.columns import FIELDS, guess_field
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.plan import Plan
from journeymapper.importers.readers import file_format, read_table
from journeymapper.importers.rule_proposals import Proposal
from journeymapper.model import name_key
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation

SAMPLE_LIMIT = 256 << 10  # bigger text files are sniffed from their head only (header, 10 rows)
NEW_STAGE = "New touchpoints"  # where unknown names go in a project without stages


def fields_of(kind: str, metric_keys: list[str] | None = None) -> list[str]:
    """The fields a column of this kind of import can map to (the importers' own lists)."""
    found = kinds.get(kind)
    return [*found.fields, *((metric_keys or []) if found.metric_columns else [])]


def guessed_mapping(headers: list[str], fields: list[str], overrides: dict[str, str],
                    questions: list[str | None] | None = None) -> dict[str, str]:
    """The importer's guess, for showing when the file is refused before it maps columns."""
    from journeymapper.importers.columns import guess_mapping

    try:
        return guess_mapping(headers, fields, overrides, questions)
    except InputError:
        return guess_mapping(headers, fields, None, questions)


# -- looking at a file ---------------------------------------------------------------------

@dataclass
class Sniffed:
    headers: list[str] = field(default_factory=list)
    questions: list[str | None] = field(default_factory=list)
    first_rows: list[list[str]] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    source: str = ""
    kind: str = kinds.METRICS.name


def _score(headers: Any, questions: Any = None) -> int:
    """Columns that name a field or a built-in metric (a wide KPI sheet's "Wait time (s)")."""
    from journeymapper.importers.metrics_import import metric_key
    from journeymapper.model.metrics import BUILTIN_METRICS

    return sum(1 for i, h in enumerate(headers)
               if guess_field(str(h), questions[i] if questions and i < len(questions) else None,
                              FIELDS) or metric_key(str(h), BUILTIN_METRICS))


def _answers(rows: list[list[str]], columns: list[int]) -> bool:
    """Whether the cells look like survey answers (whole numbers 0-10), not aggregates."""
    from journeymapper.importers.readers import parse_number

    seen = False
    for cells in rows:
        for i in columns:
            value = parse_number(cells[i]) if i < len(cells) and cells[i] else None
            if value is None:
                continue
            if value != int(value) or not 0 <= value <= 10:
                return False
            seen = True
    return seen


def guess_kind(headers: list[str], questions: list[str | None] | None = None,
               rows: list[list[str]] | None = None) -> str:
    """The kind of import a header (and the first rows) most likely belongs to; the user can
    change it."""
    found: dict[str, int] = {}
    for i, h in enumerate(headers):
        q = questions[i] if questions and i < len(questions) else None
        f = guess_field(str(h), q, FIELDS)
        if f:
            found.setdefault(f, i)
    if {"from_touchpoint", "to_touchpoint"} <= found.keys():
        return kinds.TRANSITIONS.name
    if "customer" in found and "touchpoint" in found and found.keys() & {"timestamp", "date"}:
        return kinds.EVENTS.name
    if "customer" in found and "amount" in found and found.keys() & {"timestamp", "date"}:
        return kinds.TRANSACTIONS.name
    scores = [found[f] for f in ("nps", "csat", "ces", "likert") if f in found]
    # A sheet of NPS values per touchpoint is metrics; answers are whole numbers 0-10.
    aggregates = "n" in found or {"metric", "value"} <= found.keys()
    if scores and not aggregates and (any(questions or []) or rows is None
                                      or _answers(rows, scores)):
        return kinds.SURVEY.name
    return kinds.METRICS.name


def sniff(path: Path, sheet: str | None = None) -> Sniffed:
    """Columns, first rows and sheets of a file, reading only its head when it is big."""
    fmt = file_format(path)
    if fmt == "parquet":
        out = _sniff_parquet(path)
    elif fmt == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        try:
            sheets = list(book.sheetnames)
        finally:
            book.close()
        table = read_table(path, _score, sheet, survey=True)
        out = Sniffed(table.headers, table.questions, table.first_rows(), sheets,
                      table.sheet, "xlsx")
    else:
        try:
            out = _sniff_text(path)
        except InputError:
            out = _sniff_whitespace(path)
    out.kind = guess_kind(out.headers, out.questions, out.first_rows)
    return out


def _sniff_whitespace(path: Path) -> Sniffed:
    """Whitespace-aligned text (CDNOW_master.txt), which the transactions import reads."""
    with path.open("rb") as f:
        lines = f.read(1 << 16).decode("latin-1").splitlines()[:11]
    rows = [ln.split() for ln in lines if ln.strip()]
    if len(rows) < 2 or len(rows[0]) < 2 or any(len(r) != len(rows[0]) for r in rows[1:-1]):
        raise InputError("has columns this import cannot tell apart", path.name)
    first = rows[0]
    has_header = not any(c[:1].isdigit() for c in first)
    headers = first if has_header else [f"column {i + 1}" for i in range(len(first))]
    body = rows[1:] if has_header else rows
    return Sniffed(headers, [None] * len(headers), body[:10], source="whitespace")


def _sniff_text(path: Path) -> Sniffed:
    if path.stat().st_size > SAMPLE_LIMIT:
        with path.open("rb") as f:
            head = f.read(SAMPLE_LIMIT)
        cut = head.rfind(b"\n") + 1
        if head[:2] in (b"\xff\xfe", b"\xfe\xff") and cut % 2:
            cut += 1  # UTF-16: a newline is two bytes
        with tempfile.TemporaryDirectory() as tmp:
            sample = Path(tmp) / path.name
            sample.write_bytes(head[:cut] or head)
            table = read_table(sample, _score, survey=True)
    else:
        table = read_table(path, _score, survey=True)
    return Sniffed(table.headers, table.questions, table.first_rows(), source=table.source)


def _sniff_parquet(path: Path) -> Sniffed:
    """Schema and first rows only: a partitioned log may be larger than memory."""
    from journeymapper.importers.readers import display, parquet_head

    headers, rows = parquet_head(path, path.name)
    return Sniffed(headers, [None] * len(headers), [[display(c) for c in r] for r in rows],
                   source="parquet")


# -- preparing -----------------------------------------------------------------------------

@dataclass
class Unknown:
    """A touchpoint the data names that the project lacks, in ``segments`` (None: in every
    segment), with the stage its namesake has elsewhere and close matches."""

    segments: list[str | None]
    name: str
    stage: str | None = None
    matches: list[str] = field(default_factory=list)


@dataclass
class Prepared:
    preview: Preview
    sniffed: Sniffed | None = None
    unknown: list[Unknown] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)  # stage names of the project, in order
    metric_keys: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # rows of the file per name_key
    proposals: list[Proposal] = field(default_factory=list)  # rules for the unknown names

    @property
    def ok(self) -> bool:
        return self.preview.ok


def _stage_names(pf: ProjectFile) -> list[str]:
    names: list[str] = []
    for seg in pf.segments():
        for st in pf.stages(seg.id):
            if name_key(st.name) not in {name_key(n) for n in names}:
                names.append(st.name)
    return names


def unknown_touchpoints(pf: ProjectFile, plan: Plan, options: ImportOptions) -> list[Unknown]:
    """The names the importer would refuse without --create-missing (its own rule: a name
    with a segment must be in that segment, one without in some segment), after the
    project's aliases and rules and the import's own had their say."""
    segments = pf.segments()
    with contextlib.suppress(InputError):  # a bad --alias or rule: the preview says so
        plan = matching.translate(plan, matching.for_import(pf, options), segments, options)
    stage_name = {st.id: st.name for s in segments for st in pf.stages(s.id)}
    by_seg: dict[str, dict[str, Any]] = {name_key(s.name): {} for s in segments}
    seg_names = {s.id: name_key(s.name) for s in segments}
    everywhere: dict[str, Any] = {}
    for t in pf.touchpoints():
        by_seg[seg_names[t.segment_id]][name_key(t.name)] = t
        everywhere.setdefault(name_key(t.name), t)
    all_names = sorted({t.name for t in everywhere.values()})
    out: dict[str, Unknown] = {}  # one entry per name, listing the segments that lack it
    for seg, names in plan.touchpoints.items():
        target = seg or options.segment
        for name in names:
            if target is not None:
                if name_key(name) in by_seg.get(name_key(target), {}):
                    continue
            elif name_key(name) in everywhere:
                continue
            found = out.get(name_key(name))
            if found is None:
                twin = everywhere.get(name_key(name))
                matches = difflib.get_close_matches(name, all_names, n=3, cutoff=0.6)
                found = out[name_key(name)] = Unknown(
                    [], name, stage_name.get(twin.stage_id) if twin else None,
                    [m for m in matches if name_key(m) != name_key(name)])
            if target not in found.segments:
                found.segments.append(target)
    return list(out.values())


def _accept_unknown(pf: ProjectFile, preview: Preview, stage: str) -> None:
    """Re-resolve a plan whose only fault was unknown touchpoints as --create-missing STAGE
    would, so the preview can be applied (the wizard places them first, each in the stage the
    user picked; the importer's own rule covers the rest). Uses the importer's resolver,
    since re-reading the file (a big event log) only to say this again would be slow."""
    replan(pf, preview, dataclasses.replace(preview.options, create_missing=stage))


def prepare(pf: ProjectFile, data: Path, kind: str, options: ImportOptions,
            fallback_stage: str | None = None) -> Prepared:
    """What the wizard's mapping and preview pages show, on the worker's connection. Never
    writes."""
    metric_keys = [m.key for m in pf.metrics()]
    stages = _stage_names(pf)
    sniffed: Sniffed | None = None
    try:
        sniffed = sniff(data, options.sheet) if data.exists() else None
    except JourneyMapperError:
        sniffed = None  # the importer says what is wrong with the file, below
    preview = pipeline.prepare(pf, data, dataclasses.replace(options, kind=kind))
    prepared = Prepared(preview, sniffed, stages=stages, metric_keys=metric_keys)
    # The wizard's own choices for the names (rules, new cards) come with --create-missing:
    # the names still to place are listed then too.
    if preview.plan is not None and (preview.errors or options.create_missing) \
            and preview.already_imported is None:
        prepared.unknown = unknown_touchpoints(pf, preview.plan, preview.options)
        if prepared.unknown:
            prepared.rows = rule_proposals.rows_by_name(preview.plan)
            prepared.proposals = rule_proposals.propose(
                [u.name for u in prepared.unknown], prepared.rows,
                sorted({t.name for t in pf.touchpoints()}, key=name_key))
            stage = fallback_stage or next(
                (u.stage for u in prepared.unknown if u.stage), None) or \
                (stages[0] if stages else NEW_STAGE)
            try:
                _accept_unknown(pf, preview, stage)
            except InputError as e:
                preview.errors = [e]
    return prepared


# -- running -------------------------------------------------------------------------------

@dataclass
class Ran:
    operation: Operation  # empty when nothing changed
    summary: str
    import_id: str | None
    already_imported: bool = False


def source_record(path: Path, options: ImportOptions, project_dir: Path) -> dict[str, Any]:
    """What the Imports panel needs to run an import again: the file and the options. A file
    beside the project (or below it) is kept relative to it, so a project folder moved or sent
    with its data still finds it, and the project does not carry the folder names of the
    machine it was made on."""
    o = dataclasses.asdict(options)
    o.pop("customer_segments", None)
    o["answer_scale"] = list(options.answer_scale) if options.answer_scale else None
    path = path.resolve()
    where = path.relative_to(project_dir.resolve()) if path.is_relative_to(
        project_dir.resolve()) else path
    return {"path": where.as_posix(), "options": o}


def source_path(record: dict[str, Any], project_dir: Path) -> Path | None:
    """The file of a source record, relative paths read from the project's folder."""
    text = record.get("path")
    return project_dir / text if text else None


def options_from_record(record: dict[str, Any]) -> ImportOptions:
    o = dict(record.get("options") or {})
    known = {f.name for f in dataclasses.fields(ImportOptions)}
    o = {k: v for k, v in o.items() if k in known}
    if o.get("answer_scale"):
        o["answer_scale"] = tuple(o["answer_scale"])
    return ImportOptions(**o)


def _placed_lines(placed: list[tuple[str, str, str]]) -> list[str]:
    by_stage: dict[str, list[str]] = {}
    for _segment, name, stage in placed:
        names = by_stage.setdefault(stage, [])
        if name not in names:
            names.append(name)
    return [f"  new touchpoint(s) in {stage} ({len(names)}): " + ", ".join(names)
            for stage, names in by_stage.items()]


def run(pf: ProjectFile, prepared: Prepared,
        placements: list[tuple[str | None, str, str]], progress: Any,
        source_options: ImportOptions | None = None) -> Ran:
    """Write the import (touchpoints the user placed first) as one operation on the worker's
    connection, and return its record. ``progress(fraction)`` may raise ImportCancelled (or
    return False): nothing is written."""
    preview = prepared.preview
    with pf.operation(f"Import {preview.path.name}") as op:
        placed: list[tuple[str, str, str]] = []
        if preview.already_imported is None and placements:
            placed = place_touchpoints(pf, placements)
        result = pipeline.write(pf, preview, progress)
        summary, import_id = result.summary, result.import_id
        already = result.already_imported
        if placed:
            head, _, rest = summary.partition("\n")
            summary = "\n".join([head, *_placed_lines(placed)] + ([rest] if rest else []))
        if import_id and not already:
            remember_source(pf, import_id, source_record(
                preview.path, source_options or preview.options, pf.path.parent))
    return Ran(op, summary, import_id, already)
