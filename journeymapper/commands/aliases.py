"""Edits of the project's aliases (another spelling of a card's name) and rules (a pattern to
a touchpoint, tried in order): each one operation, undone from its record. What an edit would
make ambiguous or unreadable is refused with a message the user can act on, and nothing is
written."""

from __future__ import annotations

from collections.abc import Iterable

from journeymapper.commands.base import delete_rows, update_fields
from journeymapper.errors import JourneyMapperError, shorten
from journeymapper.importers.checks import name_problem
from journeymapper.importers.matching import compile_pattern
from journeymapper.model import Touchpoint, name_key
from journeymapper.storage.aliases import Alias, Rule, aliases, rules
from journeymapper.storage.project_file import ProjectFile
from journeymapper.storage.undo_log import Operation


class AliasError(JourneyMapperError):
    """An alias or rule the project cannot take (empty, taken, unreadable)."""


def _clean(text: str, what: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise AliasError(f"an empty {what}")
    why = name_problem(text)
    if why:
        raise AliasError(f"the {what} is {why}")
    return text


def _card(project: ProjectFile, touchpoint_id: str) -> Touchpoint:
    card = project.get(Touchpoint, touchpoint_id)
    if card is None:
        raise AliasError("that card is no longer in the project")
    return card


def _free(project: ProjectFile, card: Touchpoint, name: str, alias_id: str | None = None) -> None:
    """Refuse ``name`` when the card's segment already has it as a card or another alias:
    a name in a file must stand for one card."""
    key = name_key(name)
    for t in project.touchpoints(card.segment_id):
        if name_key(t.name) == key:
            raise AliasError(f"{shorten(name)!r} is the name of the card {shorten(t.name)!r}"
                             " in this segment")
    in_segment = {t.id: t.name for t in project.touchpoints(card.segment_id)}
    for a in aliases(project):
        if a.id != alias_id and a.touchpoint_id in in_segment and name_key(a.name) == key:
            raise AliasError(f"{shorten(name)!r} is already an alias of "
                             f"{shorten(in_segment[a.touchpoint_id])!r}")


def add_alias(project: ProjectFile, touchpoint_id: str, name: str) -> Operation | None:
    card = _card(project, touchpoint_id)
    name = _clean(name, "alias")
    _free(project, card, name)
    with project.operation(f"Add alias “{shorten(name)}” of “{shorten(card.name)}”") as op:
        project.insert_rows("alias", [vars(Alias(touchpoint_id, name))])
    return op or None


def edit_alias(project: ProjectFile, alias_id: str, name: str | None = None,
               touchpoint_id: str | None = None) -> Operation | None:
    """Spell an alias otherwise, or give it to another card."""
    old = next((a for a in aliases(project) if a.id == alias_id), None)
    if old is None:
        raise AliasError("that alias is no longer in the project")
    name = _clean(name, "alias") if name is not None else old.name
    card = _card(project, touchpoint_id or old.touchpoint_id)
    _free(project, card, name, alias_id)
    return update_fields(project, f"Edit alias “{shorten(name)}”", "alias",
                         [(alias_id, {"name": name, "touchpoint_id": card.id})])


def remove_aliases(project: ProjectFile, alias_ids: Iterable[str]) -> Operation | None:
    ids = list(alias_ids)
    names = {a.id: a.name for a in aliases(project)}
    text = (f"Remove alias “{shorten(names.get(ids[0], ''))}”" if len(ids) == 1
            else f"Remove {len(ids)} aliases")
    return delete_rows(project, text, [("alias", ids)])


def _rule_parts(project: ProjectFile, pattern: str, touchpoint: str) -> tuple[str, str]:
    pattern = (pattern or "").strip()
    try:
        compile_pattern(pattern)
    except JourneyMapperError as e:
        raise AliasError(f"pattern: {e}") from e
    target = _clean(touchpoint, "touchpoint")
    cards = {name_key(t.name): t.name for t in project.touchpoints()}
    if name_key(target) not in cards:
        raise AliasError(f"the project has no card named {shorten(target)!r}")
    return pattern, cards[name_key(target)]


def add_rule(project: ProjectFile, pattern: str, touchpoint: str,
             index: int | None = None) -> Operation | None:
    """A rule tried at ``index`` (None: after the others)."""
    pattern, target = _rule_parts(project, pattern, touchpoint)
    order = rules(project)
    if any(name_key(r.pattern) == name_key(pattern) for r in order):
        raise AliasError(f"there is a rule for {shorten(pattern)!r} already")
    rule = Rule(0, pattern, target)
    order.insert(len(order) if index is None else max(0, min(index, len(order))), rule)
    with project.operation(f"Add rule “{shorten(pattern)}” → “{shorten(target)}”") as op:
        project.insert_rows("rule", [vars(rule)])
        _number(project, order)
    return op or None


def edit_rule(project: ProjectFile, rule_id: str, pattern: str | None = None,
              touchpoint: str | None = None) -> Operation | None:
    old = next((r for r in rules(project) if r.id == rule_id), None)
    if old is None:
        raise AliasError("that rule is no longer in the project")
    pattern, target = _rule_parts(project, old.pattern if pattern is None else pattern,
                                  old.touchpoint_name if touchpoint is None else touchpoint)
    if any(r.id != rule_id and name_key(r.pattern) == name_key(pattern)
           for r in rules(project)):
        raise AliasError(f"there is a rule for {shorten(pattern)!r} already")
    return update_fields(project, f"Edit rule “{shorten(pattern)}”", "rule",
                         [(rule_id, {"pattern": pattern, "touchpoint_name": target})])


def remove_rules(project: ProjectFile, rule_ids: Iterable[str]) -> Operation | None:
    ids = set(rule_ids)
    order = rules(project)
    text = (f"Remove rule “{shorten(next(r.pattern for r in order if r.id in ids))}”"
            if len(ids) == 1 else f"Remove {len(ids)} rules")
    with project.operation(text) as op:
        project.delete("rule", list(ids))
        _number(project, [r for r in order if r.id not in ids])
    return op or None


def move_rule(project: ProjectFile, rule_id: str, index: int) -> Operation | None:
    """Try a rule at ``index`` of the order (first match wins: the order decides)."""
    order = rules(project)
    rule = next((r for r in order if r.id == rule_id), None)
    if rule is None:
        raise AliasError("that rule is no longer in the project")
    order.remove(rule)
    order.insert(max(0, min(index, len(order))), rule)
    with project.operation(f"Move rule “{shorten(rule.pattern)}”") as op:
        _number(project, order)
    return op or None


def _number(project: ProjectFile, order: list[Rule]) -> None:
    """Positions 0, 1, 2 … in ``order``; rows already there are left alone."""
    for i, r in enumerate(order):
        if r.position != i:
            project.update("rule", r.id, position=i)
