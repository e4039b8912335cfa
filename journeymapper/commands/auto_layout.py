"""Auto-layout (Ctrl+L, ``journeymapper layout``): one undoable operation that orders the cards
of each stage to have few arrow crossings (model.ordering, as Graphviz dot orders a ranked
graph) and places them down their stage (model.placement). A segment whose touchpoints all
sit in one stage and that has transitions first gets stages proposed from its journeys
(model.layering): "Step 1" ... "Step k", left to right along the transitions; one whose
stages stand against the flow gets them reordered along it."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from journeymapper.commands.base import unique_name
from journeymapper.commands.stages import reorder_stages
from journeymapper.model import Stage, Touchpoint
from journeymapper.model.crossings import count_crossings
from journeymapper.model.layering import along_the_flow, propose, rightward
from journeymapper.model.layout import CARD_GAP, CARD_HEIGHT, CARD_WIDTH, HEADER_HEIGHT, STAGE_WIDTH
from journeymapper.model.placement import arrange
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation

STEP = "Step {}"


def _arrows(project: ProjectFile, segment_id: str) -> list[tuple[str, str, float]]:
    """(source, target, count) of the segment's arrows in the order of their cards' places
    (stage, then top to bottom): a layout follows the map, not the order of random ids."""
    stage = {s.id: i for i, s in enumerate(project.stages(segment_id))}
    place = {t.id: (stage[t.stage_id], t.y, t.x) for t in project.touchpoints(segment_id)}
    return sorted(((t.source_id, t.target_id, float(t.count or 1))
                   for t in project.transitions(segment_id)),
                  key=lambda a: (place[a[0]], place[a[1]]))


def _in_place(tps: Iterable[Touchpoint]) -> list[Touchpoint]:
    return sorted(tps, key=lambda t: (t.y, t.x))


def proposal(project: ProjectFile, segment_id: str) -> list[list[str]] | None:
    """Touchpoint ids of each proposed stage, left to right, when all of the segment's
    touchpoints sit in one stage and arrows join some of them; None otherwise."""
    tps = _in_place(project.touchpoints(segment_id))
    arrows = [a for a in _arrows(project, segment_id) if a[0] != a[1]]
    if not arrows or len({t.stage_id for t in tps}) != 1:
        return None
    columns = propose([t.id for t in tps], arrows)
    return columns if len(columns) > 1 else None


def reordering(project: ProjectFile, segment_id: str) -> list[str] | None:
    """The segment's stage ids in the order of its journeys, when its stages stand against
    the flow (model.layering.along_the_flow); None otherwise. Empty stages keep their
    places; the others trade places among themselves."""
    stages = project.stages(segment_id)
    tps = project.touchpoints(segment_id)
    used = {t.stage_id for t in tps}
    occupied = [s for s in stages if s.id in used]
    index = {s.id: i for i, s in enumerate(occupied)}
    arrows = [a for a in _arrows(project, segment_id) if a[0] != a[1]]
    order = along_the_flow({t.id: index[t.stage_id] for t in tps}, arrows, len(occupied))
    if order is None:
        return None
    moved = iter(occupied[i].id for i in order)
    return [next(moved) if s.id in used else s.id for s in stages]


def _apply_proposal(project: ProjectFile, segment_id: str, columns: list[list[str]]) -> None:
    """The stage holding every card becomes Step 1 and Steps 2... follow it; stages around
    it (empty) keep their places on either side."""
    stages = project.stages(segment_id)
    home = project.get(Touchpoint, columns[0][0])
    assert home is not None
    at = next(i for i, s in enumerate(stages) if s.id == home.stage_id)
    taken = {s.name for i, s in enumerate(stages) if i != at}
    steps = [stages[at]]
    names = [unique_name(STEP.format(1), taken)]
    for k in range(2, len(columns) + 1):
        taken.add(names[-1])
        names.append(unique_name(STEP.format(k), taken))
        steps.append(Stage(segment_id, names[-1], width=STAGE_WIDTH))
    project.update("stage", steps[0].id, name=names[0])
    new = {s.id for s in steps[1:]}
    for position, stage in enumerate(stages[:at] + steps + stages[at + 1:]):
        if stage.id in new:
            stage.position = position
            project.insert(stage)
        elif stage.position != position:
            project.update("stage", stage.id, position=position)
    for stage, ids in zip(steps[1:], columns[1:], strict=True):
        for tid in ids:
            project.update("touchpoint", tid, stage_id=stage.id)


def _centres(project: ProjectFile, segment_id: str) -> dict[str, tuple[float, float]]:
    """Where each card's centre is on the map (the point arrows are counted between)."""
    left, lefts = 0.0, {}
    for stage in project.stages(segment_id):
        lefts[stage.id] = left
        left += stage.width
    return {t.id: (lefts[t.stage_id] + t.x + CARD_WIDTH / 2, t.y + CARD_HEIGHT / 2)
            for t in project.touchpoints(segment_id)}


def crossings(project: ProjectFile, segment_id: str) -> int:
    """Arrow crossings of a segment's map as DESIGN.md counts them."""
    return count_crossings(_centres(project, segment_id),
                           [(a, b) for a, b, _ in _arrows(project, segment_id)])


def rightward_share(project: ProjectFile, segment_id: str) -> float:
    """The share of the transition counts that run rightward or stay within a stage."""
    index = {s.id: i for i, s in enumerate(project.stages(segment_id))}
    steps = {t.id: index[t.stage_id] for t in project.touchpoints(segment_id)}
    return rightward(steps, _arrows(project, segment_id))


def _lay_out(project: ProjectFile, segment_id: str, propose_stages: bool) -> None:
    columns = proposal(project, segment_id) if propose_stages else None
    if columns:
        _apply_proposal(project, segment_id, columns)
    elif propose_stages and (along := reordering(project, segment_id)):
        reorder_stages(project, segment_id, along)
    stages = project.stages(segment_id)
    tps = _in_place(project.touchpoints(segment_id))
    # Cards of proposed stages start in the proposal's order, the others as they are.
    first = {tid: i for i, tid in enumerate(n for c in columns or [] for n in c)}
    layers = [[t.id for t in sorted((t for t in tps if t.stage_id == s.id),
                                    key=lambda t: first.get(t.id, 0))] for s in stages]
    xs, left, inset = [], 0.0, {}
    for s in stages:
        inset[s.id] = max(0.0, (s.width - CARD_WIDTH) / 2)
        xs.append(left + inset[s.id] + CARD_WIDTH / 2)
        left += s.width
    edges = [(a, b) for a, b, _ in _arrows(project, segment_id)]
    centres = arrange(layers, edges, xs, CARD_HEIGHT, CARD_GAP)
    top = HEADER_HEIGHT + CARD_GAP
    new = {t.id: (inset[t.stage_id], float(round(top + centres[t.id]))) for t in tps}
    column = {sid: x for sid, x in zip((s.id for s in stages), xs, strict=True)}

    def count(places: dict[str, tuple[float, float]]) -> int:
        return count_crossings({t.id: (column[t.stage_id], places[t.id][1]) for t in tps},
                               edges)

    now = {t.id: (t.x, t.y) for t in tps}
    # A tidy map no worse than the new layout stays: Ctrl+L twice is one step, not a shuffle.
    if _tidy(tps, inset, top) and count(now) <= count(new):
        return
    for t in tps:
        if now[t.id] != new[t.id]:
            project.update("touchpoint", t.id, x=new[t.id][0], y=new[t.id][1])


def _tidy(tps: list[Touchpoint], inset: dict[str, float], top: float) -> bool:
    """Cards centred in their stages, the top one where a layout puts it, none too close to
    the next in its stage."""
    if not tps or any(t.x != inset[t.stage_id] for t in tps) or min(t.y for t in tps) != top:
        return not tps
    ys: dict[str, list[float]] = {}
    for t in tps:
        ys.setdefault(t.stage_id, []).append(t.y)
    return all(b - a >= CARD_HEIGHT + CARD_GAP - 1 for column in ys.values()  # 1: rounding
               for a, b in pairwise(sorted(column)))


def auto_layout(project: ProjectFile, segment_id: str, propose: bool = True) -> Operation | None:
    """Lay out one segment as one undoable step; with ``propose``, first with the stages
    :func:`proposal` proposes, or in the order :func:`reordering` finds, if any."""
    return auto_layout_segments(project, [segment_id], propose)


def auto_layout_segments(project: ProjectFile, segment_ids: Iterable[str],
                         propose: bool = True) -> Operation | None:
    """Lay out several segments as one undoable step (the command line's every segment)."""
    with project.operation("Auto-layout") as op:
        for sid in segment_ids:
            _lay_out(project, sid, propose)
    return op or None
