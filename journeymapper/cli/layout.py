"""``journeymapper layout FILE.jmap [--segment S]``: Ctrl+L without a screen. Every segment (or
only S) is laid out as in the app, as one undoable step, with what the app would ask about
applied: stages proposed from the journeys for a segment whose touchpoints all sit in one
stage, stages reordered along the journeys where they stand against the flow."""

from __future__ import annotations

import argparse

from journeymapper.commands.auto_layout import (
    auto_layout_segments,
    crossings,
    proposal,
    reordering,
    rightward_share,
)
from journeymapper.errors import JourneyMapperError, shorten, some_of
from journeymapper.storage import ProjectFile


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("layout", help="order the cards of each stage to uncross the arrows",
                       description="Lay out every segment's map (or one): cards ordered to "
                                   "have few arrow crossings, as Graphviz dot would; a segment "
                                   "whose touchpoints all sit in one stage first gets stages "
                                   "'Step 1'... proposed from its journeys, one whose stages "
                                   "stand against the flow gets them reordered along it. One "
                                   "undoable step.")
    p.add_argument("file", metavar="FILE.jmap")
    p.add_argument("--segment", metavar="S", help="only this segment")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with ProjectFile.open(args.file) as project:
        segments = project.segments()
        if args.segment is not None:
            found = project.segment_named(args.segment)
            if found is None:
                raise JourneyMapperError(
                    f"{project.path.name}: no segment named {shorten(args.segment)!r} "
                    f"(segments: {some_of([s.name for s in segments])})")
            segments = [found]
        before = {s.id: crossings(project, s.id) for s in segments}
        proposed = {s.id for s in segments if proposal(project, s.id)}
        reordered = {s.id for s in segments if reordering(project, s.id)}
        auto_layout_segments(project, [s.id for s in segments])
        for s in segments:
            stages = project.stages(s.id)
            line = (f"{args.file}: {s.name}: {len(project.touchpoints(s.id))} card(s) in "
                    f"{len(stages)} stage(s), {crossings(project, s.id)} crossing(s)")
            share = (f"{rightward_share(project, s.id):.0%} of the transition counts run "
                     "rightward or stay within a stage")
            if s.id in proposed:
                line += (f" (stages proposed from the journeys, {stages[0].name} ... "
                         f"{stages[-1].name}: {share})")
            elif s.id in reordered:
                line += (f" (stages reordered along the journeys, "
                         f"{some_of([st.name for st in stages], 10)}: {share})")
            else:
                line += f" (before: {before[s.id]})"
            print(line)
    return 0
