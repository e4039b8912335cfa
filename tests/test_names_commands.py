"""The aliases and rules commands (commands/aliases.py, no Qt): each edit one operation whose
undo gives the file back as it was, refusals that write nothing, the order of rules kept as
positions 0, 1, 2 …, and the test of a name (importers.matching.Matcher.explain) saying which
card an import would use and why."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymapper.cli import main
from journeymapper.commands import aliases as commands
from journeymapper.commands.aliases import AliasError
from journeymapper.importers.matching import project_matcher
from journeymapper.storage import ProjectFile
from journeymapper.storage.aliases import aliases, rules


@pytest.fixture
def project(tmp_path: Path) -> ProjectFile:
    path = tmp_path / "shop.jmap"
    assert main(["new", str(path), "--template", "b2c retail"]) == 0
    pf = ProjectFile.open(path)
    yield pf
    pf.close()


def card(pf: ProjectFile, name: str, segment: str = "Online shoppers") -> str:
    seg = next(s.id for s in pf.segments() if s.name == segment)
    return next(t.id for t in pf.touchpoints(seg) if t.name == name)


def test_every_edit_is_one_step_that_undo_takes_back(project: ProjectFile) -> None:
    start = project.dump()
    steps = []
    steps.append(commands.add_alias(project, card(project, "Live chat"), "  Chat   Bot "))
    chat = aliases(project)[0]
    assert (chat.name, chat.touchpoint_id) == ("Chat Bot", card(project, "Live chat"))
    steps.append(commands.edit_alias(project, chat.id, "Chatbot"))
    steps.append(commands.edit_alias(project, chat.id, None, card(project, "Returns portal")))
    assert [(a.name, a.touchpoint_id) for a in aliases(project)] == [
        ("Chatbot", card(project, "Returns portal"))]
    steps.append(commands.add_rule(project, "/product/*", "product PAGE"))
    steps.append(commands.add_rule(project, "/checkout/*", "Checkout"))
    steps.append(commands.add_rule(project, "/product/*/reviews", "Reviews", 0))
    assert [(r.position, r.pattern, r.touchpoint_name) for r in rules(project)] == [
        (0, "/product/*/reviews", "Reviews"), (1, "/product/*", "Product page"),
        (2, "/checkout/*", "Checkout")]
    middle = project.dump()
    steps.append(commands.move_rule(project, rules(project)[2].id, 0))
    assert [r.pattern for r in rules(project)] == ["/checkout/*", "/product/*/reviews",
                                                    "/product/*"]
    steps.append(commands.edit_rule(project, rules(project)[0].id, "/kasse/*"))
    steps.append(commands.remove_rules(project, [rules(project)[1].id]))
    assert [(r.position, r.pattern) for r in rules(project)] == [(0, "/kasse/*"),
                                                                (1, "/product/*")]
    steps.append(commands.remove_aliases(project, [chat.id]))
    assert aliases(project) == []
    assert all(steps)
    for step in reversed(steps[6:]):
        step.undo()
    assert project.dump() == middle
    for step in reversed(steps[:6]):
        step.undo()
    assert project.dump() == start
    for step in steps:
        step.redo()
    assert [r.pattern for r in rules(project)] == ["/kasse/*", "/product/*"]


@pytest.mark.parametrize("edit", [
    lambda pf: commands.add_alias(pf, card(pf, "Live chat"), "   "),
    lambda pf: commands.add_alias(pf, card(pf, "Live chat"), "checkout"),  # a card's name
    lambda pf: commands.add_alias(pf, card(pf, "Live chat"), "x" * 1001),
    lambda pf: commands.add_alias(pf, card(pf, "Live chat"), "bad\x07name"),
    lambda pf: commands.add_alias(pf, "no-such-card", "Chat"),
    lambda pf: commands.add_rule(pf, "/product/[", "Product page"),
    lambda pf: commands.add_rule(pf, "", "Product page"),
    lambda pf: commands.add_rule(pf, "/product/*", "Product detail"),  # no such card
    lambda pf: commands.edit_rule(pf, "no-such-rule", "/x/*"),
    lambda pf: commands.move_rule(pf, "no-such-rule", 0),
])
def test_a_refused_edit_writes_nothing(project: ProjectFile, edit) -> None:  # noqa: ANN001
    before = project.dump()
    with pytest.raises(AliasError):
        edit(project)
    assert project.dump() == before


def test_a_name_stands_for_one_card_per_segment(project: ProjectFile) -> None:
    commands.add_alias(project, card(project, "Live chat"), "Chat")
    commands.add_rule(project, "/p/*", "Product page")
    before = project.dump()
    with pytest.raises(AliasError, match="already an alias of 'Live chat'"):
        commands.add_alias(project, card(project, "Reviews"), "CHAT")
    with pytest.raises(AliasError, match="already"):
        commands.add_rule(project, "/P/*", "Checkout")
    other = aliases(project)[0]
    commands.add_alias(project, card(project, "Reviews"), "Bewertungen")
    with pytest.raises(AliasError, match="already an alias"):
        commands.edit_alias(project, other.id, "bewertungen")
    assert project.dump() != before  # Bewertungen went in, nothing else
    # Another segment may use the same spelling for its own card.
    assert commands.add_alias(project, card(project, "Hotline", "Store visitors"), "Chat")


def test_testing_a_name_says_which_card_and_why(project: ProjectFile) -> None:
    online = next(s.id for s in project.segments() if s.name == "Online shoppers")
    stores = next(s.id for s in project.segments() if s.name == "Store visitors")
    commands.add_alias(project, card(project, "Hotline", "Store visitors"), "Sales call")
    commands.add_rule(project, "/product/*/reviews", "Reviews")
    commands.add_rule(project, "/product/*", "Product page")
    m = project_matcher(project)
    assert m.explain("live CHAT") == ("Live chat", "card")
    assert m.explain("Sales call", stores) == ("Hotline", "alias")
    assert m.explain("Sales call", online) == (None, "")  # that segment has no such alias
    assert m.explain("/product/7/Reviews") == ("Reviews", "rule 1")
    assert m.explain("/product/7?utm=x") == ("Product page", "rule 2")
    assert m.explain("/cart") == (None, "")
