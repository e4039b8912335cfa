"""Random canvas edits through the GUI's own path: MapEditor.push (what every gesture and menu
action calls) with the command factories of journeymapper/commands, plus undo and redo on the
editor's QUndoStack. Shared by the soak (tests/test_soak.py) and the crash-safety child
(tests/crash_child.py), so both exercise exactly what a person at the canvas does.

Every choice comes from the given Random and from the file's content (read in a fixed order), so
a run with the same seed and the same ids makes the same edits. The project orders rows that tie
(same position) by id, and ids are random uuid4s: `seeded_ids` makes them come from a seed too,
so a walk is the same walk on every run (without it one run in several wandered elsewhere)."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Callable

import pytest

from journeymapper.commands import auto_layout as layout_cmds
from journeymapper.commands import segments as seg_cmds
from journeymapper.commands import stages as stage_cmds
from journeymapper.commands import touchpoints as tp_cmds
from journeymapper.model import CHANNELS
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.editing import MapEditor

WORDS = ("Login", "Checkout", "Ärger", "Support call", "Onboarding", "名前", "Café visit",
         "Renewal", "Chat 💬", "Invoice", "", "  spaced  ", "x" * 300, "Quote \"me\"", "a;b,c")
# Bounds keep every step cheap (commands read their segment) without stopping any kind of edit.
MAX_TOUCHPOINTS = 150
MAX_SEGMENTS = 5
MAX_STAGES = 8


def seeded_ids(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    """From here on, the new_id of every entity is a uuid4 drawn from Random(seed)."""
    rng = random.Random(seed)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=rng.getrandbits(128), version=4))


class RandomEdits:
    def __init__(self, editor: MapEditor, rng: random.Random) -> None:
        self.editor = editor
        self.project: ProjectFile = editor.project
        self.rng = rng
        self.done: Counter[str] = Counter()
        self._actions: list[tuple[int, Callable[[], bool]]] = [
            (14, self.add_touchpoint), (8, self.rename_touchpoint), (6, self.edit_touchpoint),
            (12, self.move_touchpoints), (8, self.add_transition), (6, self.delete_items),
            (3, self.duplicate), (2, self.paste_elsewhere), (3, self.add_stage),
            (3, self.rename_stage), (2, self.resize_stage), (2, self.move_stage),
            (1, self.delete_stage), (1, self.add_segment), (1, self.rename_segment),
            (1, self.reorder_segments), (1, self.clone_segment), (1, self.delete_segment),
            (1, self.auto_layout), (10, self.undo), (5, self.redo)]
        self._weights = [w for w, _ in self._actions]

    def step(self) -> str:
        """One action that changed the file; its name."""
        while True:
            (_, action), = self.rng.choices(self._actions, self._weights)
            if action():
                self.done[action.__name__] += 1
                return action.__name__

    # -- what to act on ------------------------------------------------------------------

    def _segment(self) -> str:
        return self.rng.choice(self.project.segments()).id

    def _name(self) -> str:
        return f"{self.rng.choice(WORDS)} {self.rng.randrange(1000)}".strip()

    def _touchpoints(self, segment_id: str, k: int) -> list[str]:
        tps = self.project.touchpoints(segment_id)
        return [t.id for t in self.rng.sample(tps, min(k, len(tps)))]

    def _stage(self, segment_id: str) -> str | None:
        stages = self.project.stages(segment_id)
        return self.rng.choice(stages).id if stages else None

    # -- edits ---------------------------------------------------------------------------

    def add_touchpoint(self) -> bool:
        seg = self._segment()
        stage = self._stage(seg)
        if stage is None or len(self.project.touchpoints()) >= MAX_TOUCHPOINTS:
            return False
        # Half the cards where a double-click put them, half in the next free slot.
        if self.rng.random() < 0.5:
            x, y = float(self.rng.randrange(0, 60)), float(self.rng.randrange(56, 900))
            return self.editor.push(tp_cmds.add_touchpoint(self.project, seg, stage,
                                                           self._name(), x, y))
        return self.editor.push(tp_cmds.add_touchpoint(self.project, seg, stage, self._name()))

    def rename_touchpoint(self) -> bool:
        ids = self._touchpoints(self._segment(), 1)
        return bool(ids) and self.editor.push(
            tp_cmds.update_touchpoint(self.project, ids[0], name=self._name()))

    def edit_touchpoint(self) -> bool:
        ids = self._touchpoints(self._segment(), 1)
        if not ids:
            return False
        fields = self.rng.choice([
            {"channel": self.rng.choice(CHANNELS)}, {"owner": self._name()},
            {"notes": self._name() * self.rng.randrange(1, 4)},
            {"moment_of_truth": self.rng.random() < 0.5}, {"goal": self.rng.random() < 0.5},
            {"contacts_per_month": self.rng.choice([None, 0.0, 12.5, 1e6])}])
        return self.editor.push(tp_cmds.update_touchpoint(self.project, ids[0], **fields))

    def move_touchpoints(self) -> bool:
        seg = self._segment()
        ids = self._touchpoints(seg, self.rng.randrange(1, 4))
        stage = self._stage(seg)
        if not ids or stage is None:
            return False
        moves = [(i, stage, float(self.rng.randrange(0, 60)), float(self.rng.randrange(56, 1200)))
                 for i in ids]
        return self.editor.push(tp_cmds.move_touchpoints(self.project, moves))

    def add_transition(self) -> bool:
        seg = self._segment()
        tps = self.project.touchpoints(seg)
        if not tps:
            return False
        a, b = self.rng.choice(tps), self.rng.choice(tps)  # a == b: a repeat visit
        return self.editor.push(tp_cmds.add_transition(self.project, seg, a.id, b.id))

    def delete_items(self) -> bool:
        seg = self._segment()
        tps = self._touchpoints(seg, self.rng.randrange(0, 3))
        arrows = self.project.transitions(seg)
        trs = [t.id for t in self.rng.sample(arrows, min(len(arrows), self.rng.randrange(0, 3)))]
        if not tps and not trs:
            return False
        return self.editor.push(tp_cmds.delete_items(self.project, tps, trs))

    def duplicate(self) -> bool:
        if len(self.project.touchpoints()) >= MAX_TOUCHPOINTS:
            return False
        ids = self._touchpoints(self._segment(), self.rng.randrange(1, 4))
        return bool(ids) and self.editor.push(tp_cmds.duplicate_touchpoints(self.project, ids))

    def paste_elsewhere(self) -> bool:
        if len(self.project.touchpoints()) >= MAX_TOUCHPOINTS:
            return False
        ids = self._touchpoints(self._segment(), self.rng.randrange(1, 4))
        if not ids:
            return False
        payload = tp_cmds.copy_payload(self.project, ids)
        target = self._segment()
        return self.editor.push(tp_cmds.paste_payload(self.project, target, payload,
                                                      self._stage(target)))

    def add_stage(self) -> bool:
        seg = self._segment()
        if len(self.project.stages(seg)) >= MAX_STAGES:
            return False
        return self.editor.push(stage_cmds.add_stage(self.project, seg, self._name()))

    def rename_stage(self) -> bool:
        stage = self._stage(self._segment())
        return stage is not None and self.editor.push(
            stage_cmds.rename_stage(self.project, stage, self._name()))

    def resize_stage(self) -> bool:
        stage = self._stage(self._segment())
        return stage is not None and self.editor.push(
            stage_cmds.resize_stage(self.project, stage, self.rng.uniform(100, 600)))

    def move_stage(self) -> bool:
        seg = self._segment()
        stage = self._stage(seg)
        return stage is not None and self.editor.push(
            stage_cmds.move_stage(self.project, seg, stage, self.rng.randrange(0, MAX_STAGES)))

    def delete_stage(self) -> bool:
        stage = self._stage(self._segment())
        return stage is not None and self.editor.push(
            stage_cmds.delete_stage(self.project, stage))

    def add_segment(self) -> bool:
        if len(self.project.segments()) >= MAX_SEGMENTS:
            return False
        return self.editor.push(seg_cmds.add_segment(self.project, self._name() or "Segment"))

    def rename_segment(self) -> bool:
        name = self._name()
        if not name or self.project.segment_named(name) is not None:
            return False  # the editor refuses these with a message, changing nothing
        self.editor.rename_segment(self._segment(), name)
        return True

    def reorder_segments(self) -> bool:
        order = [s.id for s in self.project.segments()]
        self.rng.shuffle(order)
        return self.editor.push(seg_cmds.reorder_segments(self.project, order))

    def clone_segment(self) -> bool:
        if len(self.project.segments()) >= MAX_SEGMENTS or \
                len(self.project.touchpoints()) * 2 > MAX_TOUCHPOINTS * 3 // 2:
            return False
        return self.editor.push(seg_cmds.clone_segment(self.project, self._segment(),
                                                       self._name() or "Clone"))

    def delete_segment(self) -> bool:
        if len(self.project.segments()) <= 1:
            return False  # the editor keeps the last segment
        self.editor.delete_segment(self._segment())
        return True

    def auto_layout(self) -> bool:
        return self.editor.push(layout_cmds.auto_layout(self.project, self._segment()))

    def undo(self) -> bool:
        stack = self.editor.undo_stack
        if not stack.canUndo():
            return False
        stack.undo()
        return True

    def redo(self) -> bool:
        stack = self.editor.undo_stack
        if not stack.canRedo():
            return False
        stack.redo()
        return True
