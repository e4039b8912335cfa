"""The domain model: plain dataclasses, free of Qt and of storage.

Every entity carries a stable uuid4 id so that undo, imports and exports keep pointing at
the same thing after a rename or a move.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from journeymapper.model.journeys import SegmentJourneys


def new_id() -> str:
    return str(uuid.uuid4())


def name_key(name: str) -> str:
    """What names are matched by (segments, stages, touchpoints, competitors, a data file's
    values): case and whitespace do not count, so "Check out" in a file finds "checkout"."""
    return "".join(name.split()).casefold()


CHANNELS = ("web", "app", "store", "phone", "email", "chat", "social", "field", "partner", "mail",
            "media", "other")
CONTACT_KINDS = ("organic", "onboarding", "event-triggered", "save team")
DIRECTIONS = ("higher", "lower", "neutral")
DEFAULT_SEGMENT = "All customers"
# A new segment's story lanes (DESIGN.md, "Words"), above its cards.
DEFAULT_LANES = ("Customer goal", "Doing", "Thinking & feeling", "Pain points", "Opportunities")
LANE_KINDS = ("text", "emotion")  # an emotion lane draws the emotion curve instead of cells
LANE_PLACEMENTS = ("above", "below")
ACTION_STATUSES = ("idea", "planned", "doing", "done", "dropped")
EFFORTS = ("", "S", "M", "L")
EVIDENCE_SIGNS = ("+", "-")


@dataclass
class Segment:
    name: str
    position: int = 0
    id: str = field(default_factory=new_id)


@dataclass
class Stage:
    segment_id: str
    name: str
    position: int = 0
    width: float = 260.0
    id: str = field(default_factory=new_id)


@dataclass
class Touchpoint:
    """A card. ``x`` is the offset inside its stage's column, ``y`` from the top of the map, so
    that a card moves with its column when stages are reordered or resized."""

    segment_id: str
    stage_id: str
    name: str
    channel: str = "web"
    owner: str = ""
    notes: str = ""
    moment_of_truth: bool = False
    goal: bool = False
    contact_kind: str = "organic"
    contacts_per_month: float | None = None
    x: float = 20.0
    y: float = 0.0
    votes: int = 0  # dot votes of a workshop
    id: str = field(default_factory=new_id)


@dataclass
class Transition:
    """A directed edge; ``source_id == target_id`` is a repeat visit. ``count`` and
    ``median_seconds`` are observed (from ``import_id``), never typed in."""

    segment_id: str
    source_id: str
    target_id: str
    count: int | None = None
    median_seconds: float | None = None
    import_id: str | None = None
    id: str = field(default_factory=new_id)


@dataclass
class Metric:
    """A metric definition. ``fraction`` metrics are stored 0..1 and shown as %."""

    key: str
    label: str
    unit: str = ""
    direction: str = "higher"
    weak: float | None = None
    good: float | None = None
    weight: float = 1.0
    fraction: bool = False
    builtin: bool = False


@dataclass
class Competitor:
    name: str
    id: str = field(default_factory=new_id)


@dataclass
class Observation:
    """A value of a metric at a touchpoint of a segment (``touchpoint_id`` None: the segment as a
    whole), or of a competitor at the matching touchpoint, with where it came from."""

    metric_key: str
    segment_id: str
    value: float
    touchpoint_id: str | None = None
    competitor_id: str | None = None
    n: int | None = None
    se: float | None = None
    period: str | None = None
    import_id: str | None = None
    id: str = field(default_factory=new_id)


@dataclass
class Import:
    file_name: str
    sha256: str
    kind: str
    mapping: dict[str, str] = field(default_factory=dict)
    rows_read: int = 0
    rows_used: int = 0
    rows_rejected: int = 0
    created_at: str = ""
    summary: str = ""
    id: str = field(default_factory=new_id)
    source: str = ""  # JSON: where the file was and the options used, to run it again


@dataclass
class Lane:
    """A row of a segment's map across its stages; its text per stage is a LaneCell."""

    segment_id: str
    name: str
    position: int = 0
    kind: str = "text"
    placement: str = "above"
    hidden: bool = False
    id: str = field(default_factory=new_id)


@dataclass
class LaneCell:
    lane_id: str
    stage_id: str
    text: str = ""
    id: str = field(default_factory=new_id)


@dataclass
class Persona:
    """The face of a segment. ``photo`` holds an image file's bytes (PNG or JPEG: ``photo_type``
    is "png" or "jpeg"), or None."""

    segment_id: str
    name: str = ""
    description: str = ""
    goals: str = ""
    needs: str = ""
    quote: str = ""
    photo: bytes | None = None
    photo_type: str = ""
    id: str = field(default_factory=new_id)


@dataclass
class EvidenceNote:
    """A plus ('+') or a minus ('-') of a touchpoint, with where it was heard or seen."""

    touchpoint_id: str
    sign: str
    text: str
    source: str = ""
    position: int = 0
    id: str = field(default_factory=new_id)


@dataclass
class Action:
    """What the team will do about it. ``touchpoint_id``/``stage_id``/``segment_id`` say what
    it is for (each optional); ``due`` is an ISO date or ''; ``metric_key`` and ``target`` an
    optional measurable effect beside the ``effect`` text."""

    title: str
    segment_id: str | None = None
    touchpoint_id: str | None = None
    stage_id: str | None = None
    owner: str = ""
    due: str = ""
    status: str = "idea"
    effort: str = ""
    effect: str = ""
    metric_key: str | None = None
    target: float | None = None
    votes: int = 0
    position: int = 0
    created_at: str = ""
    id: str = field(default_factory=new_id)


@dataclass
class Project:
    """Everything in one file, loaded for analysis and export."""

    name: str
    segments: list[Segment] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    touchpoints: list[Touchpoint] = field(default_factory=list)
    transitions: list[Transition] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    competitors: list[Competitor] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    # segment id -> its journey aggregates from an event log (touchpoints by id)
    journeys: dict[str, SegmentJourneys] = field(default_factory=dict)
    # touchpoint id -> the other spellings data files use for it (storage.aliases), sorted
    aliases: dict[str, list[str]] = field(default_factory=dict)
    lanes: list[Lane] = field(default_factory=list)
    lane_cells: list[LaneCell] = field(default_factory=list)
    personas: list[Persona] = field(default_factory=list)
    evidence_notes: list[EvidenceNote] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    def stages_of(self, segment_id: str) -> list[Stage]:
        return sorted((s for s in self.stages if s.segment_id == segment_id),
                      key=lambda s: s.position)

    def touchpoints_of(self, segment_id: str) -> list[Touchpoint]:
        order = {s.id: s.position for s in self.stages}
        return sorted((t for t in self.touchpoints if t.segment_id == segment_id),
                      key=lambda t: (order.get(t.stage_id, 0), t.y, t.x, t.name))

    def transitions_of(self, segment_id: str) -> list[Transition]:
        return [t for t in self.transitions if t.segment_id == segment_id]

    def observations_of(self, segment_id: str) -> list[Observation]:
        return [o for o in self.observations if o.segment_id == segment_id]

    def segment_named(self, name: str) -> Segment | None:
        return next((s for s in self.segments if s.name == name), None)

    def lanes_of(self, segment_id: str) -> list[Lane]:
        return sorted((lane for lane in self.lanes if lane.segment_id == segment_id),
                      key=lambda lane: lane.position)

    def cells_of(self, lane_id: str) -> dict[str, str]:
        """{stage id: the lane's text there} (stages without text are absent)."""
        return {c.stage_id: c.text for c in self.lane_cells if c.lane_id == lane_id and c.text}

    def persona_of(self, segment_id: str) -> Persona | None:
        return next((p for p in self.personas if p.segment_id == segment_id), None)

    def notes_of(self, touchpoint_id: str, sign: str | None = None) -> list[EvidenceNote]:
        return sorted((n for n in self.evidence_notes if n.touchpoint_id == touchpoint_id
                       and sign in (None, n.sign)), key=lambda n: (n.position, n.id))

    def actions_of(self, segment_id: str | None = None) -> list[Action]:
        """The action plan (of one segment, or all), in its order."""
        return sorted((a for a in self.actions if segment_id in (None, a.segment_id)),
                      key=lambda a: (a.position, a.created_at, a.id))
