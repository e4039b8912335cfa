"""Starter projects. A template is a JSON file in resources/templates:
``{"title": ..., "segments": [{"name": ..., "stages": [{"name": ..., "touchpoints":
[{"name": ..., "channel": ...}]}], "lanes": [{"name": ..., "placement": "above"|"below",
"cells": {"STAGE NAME": text}}]}]}``. A segment without "lanes" gets the default lanes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from journeymapper.errors import JourneyMapperError
from journeymapper.model import DEFAULT_LANES, Lane, LaneCell, Segment, Stage, Touchpoint
from journeymapper.model.layout import CARD_GAP, CARD_HEIGHT, CARD_X, HEADER_HEIGHT
from journeymapper.paths import resource
from journeymapper.storage.project_file import ProjectFile


def template_files() -> dict[str, Path]:
    found = {}
    for path in sorted(resource("templates").glob("*.json")):
        found[json.loads(path.read_text(encoding="utf-8"))["title"].lower()] = path
    return found


def template_names() -> list[str]:
    return list(template_files())


def load_template(name: str) -> dict[str, Any]:
    files = template_files()
    path = files.get(name.strip().lower())
    if path is None:
        raise JourneyMapperError(
            f"no template named {name!r}; the templates are: {', '.join(files)}")
    return json.loads(path.read_text(encoding="utf-8"))


def fill_from_template(project: ProjectFile, template: dict[str, Any]) -> None:
    """Replace the project's segments by the template's (one transaction)."""
    segments = template.get("segments", [])
    if not segments:
        return
    with project.transaction():
        project.delete("segment", [s.id for s in project.segments()])
        for s_pos, seg in enumerate(segments):
            segment = project.insert(Segment(seg["name"], s_pos))
            stage_ids = {}
            for st_pos, st in enumerate(seg.get("stages", [])):
                stage = project.insert(Stage(segment.id, st["name"], st_pos))
                stage_ids[st["name"]] = stage.id
                for i, tp in enumerate(st.get("touchpoints", [])):
                    project.insert(Touchpoint(
                        segment.id, stage.id, tp["name"], channel=tp.get("channel", "web"),
                        owner=tp.get("owner", ""), moment_of_truth=tp.get("moment_of_truth", False),
                        goal=tp.get("goal", False), x=CARD_X,
                        y=HEADER_HEIGHT + CARD_GAP + i * (CARD_HEIGHT + CARD_GAP)))
            specs = seg.get("lanes") or [{"name": name} for name in DEFAULT_LANES]
            for pos, spec in enumerate(specs):
                lane = project.insert(Lane(segment.id, spec["name"], pos,
                                           kind=spec.get("kind", "text"),
                                           placement=spec.get("placement", "above")))
                for stage_name, text in spec.get("cells", {}).items():
                    project.insert(LaneCell(lane.id, stage_ids[stage_name], text))
