"""A plan meets a project: names matched to segments and touchpoints, what is missing created
(or refused), and everything written in ONE transaction, recorded as an import that can be
refreshed or undone as a whole.

The GUI wizard calls :func:`prepare_import` (mapping, first rows, what will change, errors)
and then :func:`apply_import`; the command line does the same in one go.
"""

from __future__ import annotations

import dataclasses
import difflib
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from journeymapper.errors import (
    NAME_CHARS,
    InputError,
    JourneyMapperError,
    ReadOnlyError,
    shorten,
    some_of,
    system_error,
)
from journeymapper.importers import kinds, matching, stage_order
from journeymapper.importers.options import ImportOptions
from journeymapper.importers.plan import Plan
from journeymapper.importers.readers import sha256_of
from journeymapper.importers.removal import CARRIED, carry_over, remove
from journeymapper.model import (
    DEFAULT_SEGMENT,
    Competitor,
    Import,
    Metric,
    Observation,
    Segment,
    Stage,
    Touchpoint,
    Transition,
    name_key,
    new_id,
)
from journeymapper.model.channel_guess import guess_channel
from journeymapper.model.layout import next_slot
from journeymapper.model.metrics import builtin_metric
from journeymapper.storage import ProjectFile
from journeymapper.storage.aliases import add_aliases, add_rules
from journeymapper.storage.limits import MAX_SUMMARY_CHARS
from journeymapper.storage.opening import refuse_stream

Progress = Callable[[float], bool | None]
CHUNK = 5000  # rows written between progress reports: often enough for a smooth bar
SHOWN_CHANGES = 12  # old -> new lines in a summary: one screen
SHOWN_NAMES = 10  # names listed per line of a summary; the rest are counted


class ImportCancelled(JourneyMapperError):
    """The progress callback said stop; nothing was written."""


@dataclass
class Preview:
    """What the wizard shows before anything is written. ``errors`` empty and ``plan`` set:
    ready to apply."""

    path: Path
    file: str
    kind: str
    options: ImportOptions
    sha256: str = ""
    headers: list[str] = field(default_factory=list)
    questions: list[str | None] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    first_rows: list[list[str]] = field(default_factory=list)
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    source: str = ""
    plan: Plan | None = None
    changes: list[str] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    already_imported: Import | None = None
    replaces: Import | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.plan is not None


@dataclass
class ImportResult:
    import_id: str | None
    summary: str
    already_imported: bool = False


# -- the project as the resolver sees it --------------------------------------------------

@dataclass
class _State:
    segments: list[Segment]
    stages: dict[str, list[Stage]]
    touchpoints: dict[str, list[Touchpoint]]
    competitors: list[Competitor]
    metrics: dict[str, Metric]
    transitions: dict[tuple[str, str, str], Transition]

    @classmethod
    def load(cls, pf: ProjectFile) -> _State:
        segments = pf.segments()
        stages = {s.id: pf.stages(s.id) for s in segments}
        tps: dict[str, list[Touchpoint]] = defaultdict(list)
        for t in pf.touchpoints():
            tps[t.segment_id].append(t)
        trans = {}
        for t in pf.transitions():
            trans.setdefault((t.segment_id, t.source_id, t.target_id), t)
        return cls(segments, stages, tps, pf.competitors(),
                   {m.key: m for m in pf.metrics()}, trans)


@dataclass
class _Writes:
    """Everything an import writes, computed before writing (so a preview can describe it)."""

    segments: list[Segment] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    touchpoints: list[Touchpoint] = field(default_factory=list)
    competitors: list[Competitor] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    new_transitions: list[Transition] = field(default_factory=list)
    counted_transitions: list[Transition] = field(default_factory=list)  # existing, recounted
    names: dict[str, str] = field(default_factory=dict)  # segment/touchpoint id -> name


def _close(name: str, candidates: list[str]) -> str:
    keys = {name_key(c): c for c in candidates}
    hits = difflib.get_close_matches(name_key(name), list(keys), n=2, cutoff=0.6)
    return f" (did you mean {' or '.join(repr(shorten(keys[h])) for h in hits)}?)" if hits else ""


def _resolve(state: _State, plan: Plan, options: ImportOptions) -> _Writes:
    w = _Writes()
    seg_by_key = {name_key(s.name): s for s in state.segments}
    for s in state.segments:
        w.names[s.id] = s.name
    tp_by_key: dict[str, dict[str, Touchpoint]] = {
        s.id: {name_key(t.name): t for t in state.touchpoints.get(s.id, [])}
        for s in state.segments}
    for tps in state.touchpoints.values():
        for t in tps:
            w.names[t.id] = t.name
    stages = {sid: list(v) for sid, v in state.stages.items()}
    in_stage: dict[str, list[Touchpoint]] = defaultdict(list)
    for tps in state.touchpoints.values():
        for t in tps:
            in_stage[t.stage_id].append(t)

    def segment(name: str) -> Segment:
        found = seg_by_key.get(name_key(name))
        if found is None:
            position = max((s.position for s in seg_by_key.values()), default=-1) + 1
            found = Segment(name, position)
            seg_by_key[name_key(name)] = found
            tp_by_key[found.id] = {}
            w.segments.append(found)
            w.names[found.id] = name
        return found

    # Segments named in the data (or by --segment / the events default) are created if missing.
    for fact in plan.observations:
        if fact.segment:
            segment(fact.segment)
    for t in plan.transitions:
        segment(t.segment or options.segment or DEFAULT_SEGMENT)
    if options.segment:
        segment(options.segment)

    unknown: dict[str, set[str]] = defaultdict(set)  # segment name ('' = any) -> names

    def stage_for(seg: Segment, name: str) -> Stage:
        """A created touchpoint goes to the stage its namesake has in another segment, else to
        --create-missing STAGE; a missing stage is added at the end."""
        stage_name = options.create_missing or ""
        for other in state.segments:
            twin = tp_by_key.get(other.id, {}).get(name_key(name))
            if twin is not None and other.id != seg.id:
                stage_name = next((s.name for s in state.stages.get(other.id, [])
                                   if s.id == twin.stage_id), stage_name)
                break
        mine = stages.setdefault(seg.id, [])
        found = next((s for s in mine if name_key(s.name) == name_key(stage_name)), None)
        if found is None:
            found = Stage(seg.id, stage_name, max((s.position for s in mine), default=-1) + 1)
            mine.append(found)
            w.stages.append(found)
        return found

    def touchpoint(seg: Segment, name: str) -> Touchpoint | None:
        found = tp_by_key[seg.id].get(name_key(name))
        if found is None and options.create_missing:
            stage = stage_for(seg, name)
            twin = next((t for other in state.segments
                         for t in state.touchpoints.get(other.id, [])
                         if name_key(t.name) == name_key(name)), None)
            x, y = next_slot(in_stage[stage.id])
            found = Touchpoint(seg.id, stage.id, name, x=x, y=y,
                               channel=twin.channel if twin else guess_channel(name))
            in_stage[stage.id].append(found)
            tp_by_key[seg.id][name_key(name)] = found
            w.touchpoints.append(found)
            w.names[found.id] = name
        return found

    # Touchpoints in the order the file names them, so created cards follow the flow.
    for seg_name, names in plan.touchpoints.items():
        for name in names:
            if seg_name is not None or options.segment:
                seg = segment(seg_name or options.segment or "")
                if touchpoint(seg, name) is None:
                    unknown[seg.name].add(name)
            elif options.create_missing:
                for seg in list(seg_by_key.values()):
                    touchpoint(seg, name)
            elif not any(name_key(name) in tp_by_key[s.id] for s in seg_by_key.values()):
                unknown[""].add(name)
    if unknown:
        everything = sorted({t.name for tps in state.touchpoints.values() for t in tps})
        missing = [(seg_name, n) for seg_name, names in sorted(unknown.items())
                   for n in sorted(names)]

        def line(seg_name: str, name: str) -> str:
            seg = seg_by_key.get(name_key(seg_name)) if seg_name else None
            pool = ([t.name for t in tp_by_key[seg.id].values()] if seg else everything) \
                or everything
            where = f"in segment {shorten(seg_name)!r}" if seg_name else "in any segment"
            return f"{shorten(name)!r} {where}{_close(name, pool)}"

        # One line however many names: the first few with close matches (looked up for those
        # only: 3,000 unknown names against 3,000 known would take minutes), the rest counted.
        raise InputError(f"names {len(missing):,} touchpoint(s) the project does not have: "
                         + some_of([line(*m) for m in missing[:3]], 3, 100, len(missing))
                         + "; add them with --create-missing STAGE (or fix the names)",
                         plan.file)

    comp_by_key = {name_key(c.name): c for c in state.competitors}

    def competitor(name: str) -> Competitor:
        found = comp_by_key.get(name_key(name))
        if found is None:
            found = Competitor(name)
            comp_by_key[name_key(name)] = found
            w.competitors.append(found)
        return found

    metrics = dict(state.metrics)
    defined = {m.key: m for m in plan.metrics}
    for fact in plan.observations:
        if fact.metric not in metrics:
            builtin = builtin_metric(fact.metric) or defined.get(fact.metric)
            if builtin is None:
                raise InputError(f"metric {shorten(fact.metric)!r} is not defined in the project",
                                 plan.file, fact.row)
            metrics[fact.metric] = dataclasses.replace(builtin)
            w.metrics.append(metrics[fact.metric])
        comp_id = competitor(fact.competitor).id if fact.competitor else None
        if fact.segment or options.segment:
            targets = [segment(fact.segment or options.segment or "")]
        else:
            targets = [s for s in seg_by_key.values()
                       if fact.touchpoint is None or name_key(fact.touchpoint) in tp_by_key[s.id]]
        for seg in targets:
            tp_id = None
            if fact.touchpoint is not None:
                tp_id = tp_by_key[seg.id][name_key(fact.touchpoint)].id
            w.observations.append(Observation(fact.metric, seg.id, fact.value, tp_id, comp_id,
                                              fact.n, fact.se, fact.period))

    arrows: dict[tuple[str, str, str], Transition] = {}
    for t in plan.transitions:
        seg = segment(t.segment or options.segment or DEFAULT_SEGMENT)
        src = tp_by_key[seg.id][name_key(t.source)]
        dst = tp_by_key[seg.id][name_key(t.target)]
        pair = (seg.id, src.id, dst.id)
        if pair in arrows:  # names differing only in case: one arrow, counts added
            arrows[pair].count = (arrows[pair].count or 0) + t.count
            arrows[pair].median_seconds = None
            continue
        existing = state.transitions.get(pair)
        if existing is not None:
            arrows[pair] = dataclasses.replace(existing, count=t.count,
                                               median_seconds=t.median_seconds)
            w.counted_transitions.append(arrows[pair])
        else:
            arrows[pair] = Transition(seg.id, src.id, dst.id, t.count, t.median_seconds)
            w.new_transitions.append(arrows[pair])
    return stage_order.in_source_order(w, state.stages, state.touchpoints, state.segments)


def _matched(pf: ProjectFile, plan: Plan, options: ImportOptions) -> tuple[_Writes, Plan]:
    """What ``plan`` writes once its names met the cards (their names, aliases and rules,
    the project's and the import's own), and the plan with those names."""
    state = _State.load(pf)
    plan = matching.translate(plan, matching.for_import(pf, options), state.segments, options)
    return _resolve(state, plan, options), plan


def _describe(w: _Writes, plan: Plan) -> list[str]:
    """What an import adds, a line per kind of thing: the first names of each and a count of
    the rest (an event log of 3,000 page names still gives a summary of a few lines)."""
    out = []
    if w.segments:
        out.append("new segment(s): " + some_of([s.name for s in w.segments], SHOWN_NAMES))
    if w.stages:
        out.append("new stage(s): " + some_of(
            [f"{shorten(s.name)} ({shorten(w.names[s.segment_id])})" for s in w.stages],
            SHOWN_NAMES, 2 * NAME_CHARS + 3))
    if w.touchpoints:
        names = Counter(t.name for t in w.touchpoints)
        out.append(f"new touchpoint(s) ({len(w.touchpoints)}): " + some_of(
            [shorten(n) + (f" ×{k}" if k > 1 else "") for n, k in names.items()],
            SHOWN_NAMES, NAME_CHARS + 8))
    if w.competitors:
        out.append("new competitor(s): " + some_of([c.name for c in w.competitors],
                                                   SHOWN_NAMES))
    if w.observations:
        per = Counter(o.metric_key for o in w.observations)
        out.append(f"{len(w.observations)} value(s): " +
                   ", ".join(f"{k} {v}" for k, v in per.items()))
    if w.new_transitions or w.counted_transitions:
        total = sum(t.count or 0 for t in w.new_transitions + w.counted_transitions)
        out.append(f"{len(w.new_transitions) + len(w.counted_transitions)} transition(s) "
                   f"counted ({total:,} moves), {len(w.new_transitions)} of them new arrows")
    return out


# -- prepare ------------------------------------------------------------------------------

def _describe_read(preview: Preview, read: kinds.Read) -> None:
    preview.headers, preview.questions = read.headers, read.questions
    preview.first_rows, preview.source = read.first_rows, read.source
    preview.sheet, preview.sheets = read.sheet, read.sheets


def _replaced(pf: ProjectFile, kind: str, file: str) -> list[Import]:
    """The earlier imports that an import of ``file`` replaces, oldest first: the one of an
    older version of the same file, or every earlier import of a kind the project holds once
    (kinds.Kind.replaces)."""
    per_kind = kinds.get(kind).replaces == "kind"
    same = [i for i in pf.imports() if i.kind == kind and (per_kind or i.file_name == file)]
    return same if per_kind else same[-1:]


def prepare_import(project_file: ProjectFile, path: str | Path, kind: str,
                   options: ImportOptions | None = None, read: kinds.Read | None = None,
                   progress: Progress | None = None) -> Preview:
    """Read and check ``path`` as ``kind`` against the project, writing nothing: the guessed
    mapping, the first rows, what would change, and the errors (empty when it can be applied).
    Call again with changed ``options.overrides`` after the user fixes the mapping. ``read``:
    the file as the caller already read it with the kind's reader (``rfm``, which scored it
    for its contact list); ``progress`` goes to the reader."""
    path = Path(path)
    options = dataclasses.replace(options or ImportOptions(), kind=kind)
    # "." (a Parquet folder given as the working folder) has no name: say the folder's.
    preview = Preview(path, path.name or path.resolve().name, kind, options)
    try:
        if not path.exists():
            raise InputError(f"no such file ({path})", path.name)
        refuse_stream(path)
        # Hashing reads the whole file once more: done while the importer reads it (DuckDB
        # and hashlib both let go of the GIL), it costs no time.
        seen = read or kinds.Read()
        with ThreadPoolExecutor(1) as pool:
            digest = pool.submit(sha256_of, path)
            try:
                if read is None:
                    kinds.read(project_file, path, options, preview.file, progress, seen)
            finally:  # what was seen of a refused file is shown with the error
                _describe_read(preview, seen)
            preview.sha256 = digest.result()
        plan = seen.plan
        assert plan is not None
        preview.already_imported = next(
            (i for i in project_file.imports()
             if i.kind == kind and i.sha256 == preview.sha256), None)
        if preview.already_imported is None:
            preview.replaces = next(iter(_replaced(project_file, kind, preview.file)[-1:]),
                                    None)
        preview.plan = plan
        preview.mapping = plan.mapping
        if preview.already_imported is None:
            writes, matched = _matched(project_file, plan, options)
            preview.changes = _describe(writes, matched)
    except InputError as e:
        preview.errors.append(e)
    return preview


def replan(project_file: ProjectFile, preview: Preview, options: ImportOptions) -> None:
    """Check an already-read ``preview`` again under changed ``options`` (e.g. the GUI placing
    unknown touchpoints as --create-missing would) without reading the file again: a big event
    log takes seconds to read, its plan an instant to resolve. Raises InputError as
    prepare_import records it."""
    assert preview.plan is not None
    writes, matched = _matched(project_file, preview.plan, options)
    preview.options = options
    preview.changes = _describe(writes, matched)
    preview.errors = []


# -- apply --------------------------------------------------------------------------------

def _value_map(pf: ProjectFile, import_id: str) -> dict[tuple[Any, ...], float]:
    rows = pf.conn.execute(
        """SELECT s.name, t.name, c.name, o.metric_key, o.period, o.value
           FROM observation o JOIN segment s ON s.id = o.segment_id
           LEFT JOIN touchpoint t ON t.id = o.touchpoint_id
           LEFT JOIN competitor c ON c.id = o.competitor_id WHERE o.import_id = ?""",
        [import_id]).fetchall()
    return {tuple(r[:5]): r[5] for r in rows}


def _diff_lines(old: dict[tuple[Any, ...], float], new: dict[tuple[Any, ...], float]) -> list[str]:
    def fmt(v: float | None) -> str:
        return "—" if v is None else f"{v:.4g}" if abs(v) < 1 else f"{v:.1f}"

    lines = []
    for key in sorted(set(old) | set(new), key=lambda k: tuple(str(x) for x in k)):
        a, b = old.get(key), new.get(key)
        if a is None or b is None or abs(a - b) > 1e-9:
            seg, tp, comp, metric, period = key
            where = " · ".join(shorten(x) for x in (seg, tp or "(segment)", comp, period) if x)
            lines.append(f"  {where} · {shorten(metric)}: {fmt(a)} → {fmt(b)}")
    if len(lines) > SHOWN_CHANGES:
        lines = lines[:SHOWN_CHANGES] + [f"  and {len(lines) - SHOWN_CHANGES:,} more change(s)"]
    return lines


def _report(progress: Progress | None, fraction: float) -> None:
    if progress is not None and progress(min(max(fraction, 0.0), 1.0)) is False:
        raise ImportCancelled("import cancelled; nothing was changed")


def apply_import(project_file: ProjectFile, preview: Preview,
                 progress: Progress | None = None) -> ImportResult:
    """Write a prepared import in one transaction. ``progress(fraction)`` returning False
    cancels: :class:`ImportCancelled` is raised and nothing is left behind."""
    if project_file.read_only:
        raise ReadOnlyError(f"{project_file.path.name}: is read-only "
                            f"({project_file.read_only_reason}); nothing was imported")
    if preview.errors:
        raise preview.errors[0]
    plan = preview.plan
    if plan is None:
        raise InputError("nothing to import", preview.file)
    _report(progress, 0.0)
    try:
        return _write(project_file, preview, plan, progress)
    except (sqlite3.Error, OSError) as e:
        raise nothing_imported(project_file, e) from e


def nothing_imported(project_file: ProjectFile, error: sqlite3.Error | OSError
                     ) -> JourneyMapperError:
    """An import's write transaction failed (busy past the busy timeout, the disk full) and
    rolled back, so the project is as it was: the one line saying so."""
    said = system_error(project_file.path.name, error)
    return type(said)(f"{said}; nothing was imported")


def _write(project_file: ProjectFile, preview: Preview, plan: Plan,
           progress: Progress | None) -> ImportResult:
    with project_file.transaction():
        # The duplicate check belongs inside the write transaction: a second process importing
        # the same file waits here for the first one's commit, then finds its import.
        same = next((i for i in project_file.imports()
                     if i.kind == preview.kind and i.sha256 == preview.sha256), None)
        if same is not None:
            return ImportResult(same.id, f"{shorten(preview.file, 2 * NAME_CHARS)}: already "
                                f"imported ({same.created_at[:16].replace('T', ' ')}); "
                                "nothing changed", already_imported=True)
        earlier = _replaced(project_file, preview.kind, preview.file)
        replaced = earlier[-1] if earlier else None
        old_values: dict[tuple[Any, ...], float] = {}
        if replaced is not None:
            old_values = _value_map(project_file, replaced.id)
        carried: dict[str, list[str]] = defaultdict(list)
        for old in earlier:
            for entity, ids in remove(project_file, old.id, carry=CARRIED).items():
                carried[entity] += ids
        writes, plan = _matched(project_file, plan, preview.options)
        imp = Import(preview.file, preview.sha256, preview.kind, dict(plan.mapping),
                     plan.rows_read, plan.rows_used, plan.rows_skipped + plan.rows_set_aside,
                     datetime.now(UTC).isoformat(timespec="seconds"))
        project_file.insert(imp)
        created: list[tuple[str, str]] = []
        for table, entities in (("metric", writes.metrics), ("segment", writes.segments),
                                ("stage", writes.stages), ("touchpoint", writes.touchpoints),
                                ("competitor", writes.competitors)):
            for e in entities:
                project_file.insert(e)
                created.append((table, e.key if table == "metric" else e.id))
        # The import's --alias and --rules join the project's, for every later import.
        add_aliases(project_file, matching.stored_aliases(project_file, preview.options))
        add_rules(project_file, [tuple(r) for r in preview.options.rules])
        for t in writes.new_transitions:
            t.import_id = imp.id
            created.append(("transition", t.id))
        _report(progress, 0.1)
        rows = [dataclasses.asdict(t) for t in writes.new_transitions]
        for o in writes.observations:
            o.import_id = imp.id
        rows_obs = [dataclasses.asdict(o) for o in writes.observations]
        total = max(len(rows) + len(rows_obs), 1)
        done = 0
        for table, batch_rows in (("transition", rows), ("observation", rows_obs)):
            for start in range(0, len(batch_rows), CHUNK):
                chunk = batch_rows[start:start + CHUNK]
                project_file.insert_rows(table, chunk)
                done += len(chunk)
                _report(progress, 0.1 + 0.8 * done / total)
        for t in writes.counted_transitions:
            project_file.conn.execute(
                "UPDATE [transition] SET count = ?, median_seconds = ?, import_id = ? "
                "WHERE id = ?", [t.count, t.median_seconds, imp.id, t.id])
        if plan.journeys:
            from journeymapper.importers.journeys import store

            store(project_file, plan.journeys, imp.id)
        created += carry_over(project_file, carried)
        project_file.insert_rows("import_created", [
            {"id": new_id(), "import_id": imp.id, "entity": e, "entity_id": i}
            for e, i in created])
        summary = _summary(preview, plan, writes, replaced,
                           _diff_lines(old_values, _value_map(project_file, imp.id))
                           if replaced else [])
        project_file.update("import", imp.id, summary=summary)
        project_file.notify_reset()
        _report(progress, 1.0)
    return ImportResult(imp.id, summary)


def _summary(preview: Preview, plan: Plan, writes: _Writes, replaced: Import | None,
             diff: list[str]) -> str:
    head = (f"{shorten(preview.file, 2 * NAME_CHARS)}: {plan.kind}, {plan.rows_read:,} row(s) "
            f"read, {plan.rows_used:,} "
            f"used, {plan.rows_skipped + plan.rows_set_aside:,} skipped")
    why = []
    if plan.rows_skipped:  # the count is said only when there is another reason beside it
        why.append((f"{plan.rows_skipped:,} " if plan.rows_set_aside else "")
                   + "bad rows, --skip-bad-rows")
    if plan.rows_set_aside:
        why.append(f"{plan.rows_set_aside:,} naming " + some_of(
            [repr(n) for n in preview.options.skip_names], 3) + ", skipped as asked")
    if why:
        head += f" ({'; '.join(why)})"
    lines = [head]
    lines += [f"  {c}" for c in _describe(writes, plan)]
    lines += [f"  {shorten(n, 4 * NAME_CHARS)}" for n in plan.notes[:8]]
    if replaced is not None:
        lines.append(f"  replaces the import of {replaced.created_at[:16].replace('T', ' ')} "
                     f"(an older version of {shorten(replaced.file_name, 2 * NAME_CHARS)})"
                     + ("; changed values:" if diff else "; no value changed"))
        lines += diff
    text = "\n".join(lines)
    # Short by construction; the cut makes sure storage never refuses it (and the file opens).
    return text if len(text) <= MAX_SUMMARY_CHARS else text[:MAX_SUMMARY_CHARS - 1] + "…"


# -- undo ---------------------------------------------------------------------------------

def undo_import(project_file: ProjectFile, import_id: str) -> str:
    """Remove an import's values and counts, and what it created (touchpoints, and stages,
    segments, competitors left empty), in one transaction. Returns a one-line summary."""
    imp = project_file.get(Import, import_id)
    if imp is None:
        raise JourneyMapperError(f"{project_file.path.name}: no import with id {import_id}")
    with project_file.transaction():
        remove(project_file, import_id)
        project_file.notify_reset()
    return f"undid the import of {imp.file_name} ({imp.created_at[:16].replace('T', ' ')})"


def import_file(project_file: ProjectFile, path: str | Path, options: ImportOptions,
                progress: Progress | None = None) -> ImportResult:
    """prepare + apply, raising the first error: what the command line and scripts use."""
    if project_file.read_only:
        raise ReadOnlyError(f"{project_file.path.name}: is read-only "
                            f"({project_file.read_only_reason}); nothing was imported")
    preview = prepare_import(project_file, path, options.kind, options)
    if preview.errors:
        raise preview.errors[0]
    return apply_import(project_file, preview, progress)
