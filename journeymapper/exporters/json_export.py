"""``export --format json``: the whole project and its analysis, keys sorted, so that two
exports of the same project are byte-identical."""

from __future__ import annotations

import base64
import json
from typing import Any

from journeymapper.analysis.attribution import SegmentAttribution, segment_attribution
from journeymapper.analysis.contact_plan import LIMIT_SETTING, contact_limit, contact_plan
from journeymapper.analysis.economics import segment_economics
from journeymapper.analysis.values import current_values
from journeymapper.analysis.weakness import assess_segment, ranked
from journeymapper.model import Action, EvidenceNote, Observation, Persona, Project
from journeymapper.model.metrics import FLOW_METRICS

FORMAT_VERSION = 1


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    rounded = round(float(value), 4)
    return int(rounded) if rounded.is_integer() and abs(rounded) < 1e15 else rounded


def _observation(o: Observation) -> dict[str, Any]:
    out: dict[str, Any] = {"value": _number(o.value), "n": o.n}
    if o.se is not None:
        out["se"] = _number(o.se)
    if o.period:
        out["period"] = o.period
    if o.import_id:
        out["import"] = o.import_id
    return out


def segment_dict(project: Project, segment_id: str) -> dict[str, Any]:
    segment = next(s for s in project.segments if s.id == segment_id)
    stages = project.stages_of(segment_id)
    stage_name = {s.id: s.name for s in stages}
    competitor_name = {c.id: c.name for c in project.competitors}
    values = current_values(project, segment_id)
    assessments = assess_segment(project, segment_id)
    journeys = segment_attribution(project, segment_id)
    touchpoints = []
    by_id = {}
    for tp in project.touchpoints_of(segment_id):
        metrics: dict[str, Any] = {}
        competitors: dict[str, dict[str, Any]] = {}
        flow: dict[str, Any] = {}
        for (tp_id, comp_id, key), o in sorted(values.items(), key=lambda kv: kv[0][2]):
            if tp_id != tp.id:
                continue
            if comp_id:
                competitors.setdefault(competitor_name[comp_id], {})[key] = _observation(o)
            elif key in FLOW_METRICS:
                flow[key] = _number(o.value)
            else:
                metrics[key] = _observation(o)
        a = assessments.get(tp.id)
        entry = {
            "id": tp.id, "name": tp.name, "stage": stage_name.get(tp.stage_id),
            "channel": tp.channel, "owner": tp.owner, "notes": tp.notes,
            "moment_of_truth": tp.moment_of_truth, "goal": tp.goal,
            "contact_kind": tp.contact_kind, "contacts_per_month": tp.contacts_per_month,
            "aliases": sorted(project.aliases.get(tp.id, [])),
            "pluses": notes(project.notes_of(tp.id, "+")),
            "minuses": notes(project.notes_of(tp.id, "-")),
            "votes": tp.votes,
            "metrics": metrics, "competitors": competitors,
            **flow,
            "drop_off_rate": metrics.get("drop_off_rate", {}).get("value"),
            "weak": bool(a and a.weak), "watch": bool(a and a.watch),
            "score": _number(a.score) if a else 0, "reasons": list(a.reasons) if a else [],
            "group": a.group if a else 0,
            # competitor -> metric -> ours − theirs, signed so that negative means we do worse.
            "competitor_gaps": {name: {k: _number(g) for k, g in gaps.items()}
                                for name, gaps in (a.competitor_gaps if a else {}).items()},
        }
        entry.update(touchpoint_attribution(journeys, tp.id))
        touchpoints.append(entry)
        by_id[tp.id] = tp.name
    transitions = sorted(
        ({"id": t.id, "from": by_id[t.source_id], "to": by_id[t.target_id], "count": t.count,
          "median_seconds": _number(t.median_seconds)}
         for t in project.transitions_of(segment_id)),
        key=lambda t: (t["from"], t["to"], t["id"]))
    # Weak and watch touchpoints, weakest first (docs/metrics.md, "Ranking").
    ranking = [{"id": a.touchpoint_id, "name": a.name, "score": _number(a.score),
                "weak": a.weak, "watch": a.watch}
               for a in ranked(project, segment_id, assessments)]
    # DESIGN.md "Journey economics": a figure whose inputs are missing has no key (never a
    # zero); "missing" says what to import to get it.
    return {"id": segment.id, "name": segment.name, "stages": [s.name for s in stages],
            "stage_ids": {s.name: s.id for s in stages},
            "lanes": [{"id": lane.id, "name": lane.name, "kind": lane.kind,
                       "placement": lane.placement, "hidden": lane.hidden,
                       "cells": {stage_name[k]: v for k, v in project.cells_of(lane.id).items()}}
                      for lane in project.lanes_of(segment_id)],
            "persona": persona_dict(project.persona_of(segment_id)),
            "touchpoints": touchpoints, "transitions": transitions, "ranking": ranking,
            "economics": segment_economics(project, segment_id).as_dict(),
            "contact_plan": contact_plan_dict(project, segment_id),
            **segment_journeys(journeys)}


def notes(found: list[EvidenceNote]) -> list[dict[str, str]]:
    return [{"text": n.text, "source": n.source} for n in found]


def persona_dict(persona: Persona | None) -> dict[str, Any] | None:
    """The persona's texts, and its photo as a data URL (the JSON holds the whole project)."""
    if persona is None:
        return None
    photo = None
    if persona.photo:
        photo = (f"data:image/{persona.photo_type};base64,"
                 + base64.b64encode(persona.photo).decode("ascii"))
    return {"name": persona.name, "description": persona.description, "goals": persona.goals,
            "needs": persona.needs, "quote": persona.quote, "photo": photo}


def actions_list(project: Project) -> list[dict[str, Any]]:
    """DESIGN.md's action keys of the plan, in its order."""
    names = {x.id: x.name for x in (*project.segments, *project.stages, *project.touchpoints)}
    return [action_dict(names, a) for a in project.actions_of()]


def action_dict(names: dict[str, str], action: Action) -> dict[str, Any]:
    """An action by the names (``names``: id -> name) of its touchpoint, segment and stage, and
    its metric target."""
    return {"id": action.id, "title": action.title,
            "touchpoint": names.get(action.touchpoint_id or ""),
            "segment": names.get(action.segment_id or ""),
            "stage": names.get(action.stage_id or ""), "owner": action.owner,
            "due": action.due or None, "status": action.status, "effort": action.effort or None,
            "votes": action.votes, "effect": action.effect, "metric": action.metric_key,
            "target": _number(action.target)}


def touchpoint_attribution(journeys: SegmentAttribution | None, tp_id: str) -> dict[str, Any]:
    """DESIGN.md's per-touchpoint attribution keys, unrounded; none without journeys, null
    where a figure does not exist (a goal is in no pre-goal path), value_at_stake absent
    when the value of a conversion is unknown."""
    if journeys is None:
        return {}
    out: dict[str, Any] = {}
    a = journeys.attribution
    if a is not None:
        out["chance_to_convert"] = a.chance.get(tp_id)
        out["removal_effect"] = a.removal_effect.get(tp_id)
        out["sales_lost"] = a.sales_lost.get(tp_id)
        if journeys.value_per_conversion is not None:
            out["value_at_stake"] = a.value_at_stake.get(tp_id)
    if tp_id in journeys.lift:
        out["lift"] = journeys.lift[tp_id].as_dict()
    for key, by_tp in (("paths_in", journeys.paths_in), ("paths_out", journeys.paths_out)):
        out[key] = [{"path": names, "journeys": n} for names, n in by_tp.get(tp_id, [])]
    return out


def segment_journeys(journeys: SegmentAttribution | None) -> dict[str, Any]:
    """DESIGN.md's per-segment keys: conversion, attribution, variants, variants_lost."""
    if journeys is None:
        return {}

    def variants(listed: list[tuple[list[str], int, int, bool]]) -> list[dict[str, Any]]:
        return [{"path": names, "journeys": n, "converted": c, "cut": cut}
                for names, n, c, cut in listed]

    out: dict[str, Any] = {
        "conversion": {"journeys": journeys.journeys, "converted": journeys.converted,
                       "rate": journeys.rate},
        "variants": variants(journeys.variants),
        "variants_lost": variants(journeys.variants_lost)}
    a = journeys.attribution
    if a is not None:
        out["attribution"] = {"chance_at_start": a.chance_at_start,
                              "ranking": [journeys.names[t] for t in a.ranking]}
    return out


def contact_plan_dict(project: Project, segment_id: str) -> dict[str, Any]:
    """The plan as analysis.contact_plan gives it, except when a planned touchpoint has no
    number: then the sum is only a lower bound, so it is exported as
    ``at_least_per_customer_per_month`` and ``over_limit`` only when that bound is already
    over (a plan of unknown size is neither over nor under the limit)."""
    plan = contact_plan(project, segment_id)
    out = plan.as_dict()
    if plan.unknown:
        out["at_least_per_customer_per_month"] = out.pop("per_customer_per_month")
        if not plan.over_limit:
            del out["over_limit"]
    return out


def project_dict(project: Project) -> dict[str, Any]:
    return {
        "format": "journeymapper", "version": FORMAT_VERSION,
        "project": {"name": project.name},
        # The settings in force (defaults included), beside "project", whose shape is fixed.
        "settings": {LIMIT_SETTING: contact_limit(project)},
        "competitors": [c.name for c in project.competitors],
        "metrics": [{"key": m.key, "label": m.label, "unit": m.unit, "direction": m.direction,
                     "weak": m.weak, "good": m.good, "weight": m.weight, "fraction": m.fraction}
                    for m in project.metrics],
        "imports": [{"id": i.id, "file_name": i.file_name, "sha256": i.sha256, "kind": i.kind,
                     "rows_read": i.rows_read, "rows_used": i.rows_used,
                     "rows_rejected": i.rows_rejected, "created_at": i.created_at}
                    for i in project.imports],
        "segments": [segment_dict(project, s.id) for s in project.segments],
        "actions": actions_list(project),
    }


def to_json(project: Project) -> str:
    return json.dumps(project_dict(project), sort_keys=True, indent=1, ensure_ascii=False) + "\n"
