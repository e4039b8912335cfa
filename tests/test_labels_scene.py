"""Labels never hide anything (DESIGN.md), in the scene: on generated crowded maps with weak marks,
a metric overlay with the gap to a competitor, and the chance overlay's times beside the arrows,
no shown label meets a card but its own, an arrow but its own, or another label; cards dragged
about keep it so; the demo has room for its labels; the legend covers no card on screen and
in a PNG export."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainterPath, QPainterPathStroker
from ui_support import TELCO_DEMO, isolate_settings, open_window

from journeymapper.model import Competitor, Observation, Stage, Touchpoint, Transition
from journeymapper.model.layout import CARD_GAP, CARD_HEIGHT, CARD_X, HEADER_HEIGHT
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.canvas.labels import ARROW_KINDS, CARD_KINDS, HIDDEN_NOTE
from journeymapper.ui.canvas.scene import MapScene
from journeymapper.ui.export.compose import ExportScene, MapPicture, picture_for
from journeymapper.ui.overlays import AnalysisOverlay, ChanceOverlay
from journeymapper.ui.theme import light_theme

CHANNELS = ("web", "app", "phone", "email", "store", "chat")


def crowded_map(path: Path, seed: int, stages: int = 5, per: int = 6) -> Path:
    """A segment of stacked cards with NPS (ours and RivalCo's), drop-off rates and arrows of
    every kind: to the next stage, down the column, back, across several stages, loops."""
    rng = random.Random(seed)
    with ProjectFile.create(path, "Crowded") as p:
        seg = p.segments()[0]
        rival = p.insert(Competitor("RivalCo"))
        columns: list[list[Touchpoint]] = []
        for s in range(stages):
            stage = p.insert(Stage(seg.id, f"Stage {s + 1}", s))
            column = []
            for i in range(rng.randint(per - 2, per)):
                tp = p.insert(Touchpoint(
                    seg.id, stage.id, f"Touchpoint {s + 1}.{i + 1}", channel=rng.choice(CHANNELS),
                    moment_of_truth=rng.random() < 0.2, x=CARD_X,
                    y=HEADER_HEIGHT + CARD_GAP + i * (CARD_HEIGHT + CARD_GAP)))
                column.append(tp)
                p.insert(Observation("nps", seg.id, rng.uniform(-60, 60), tp.id,
                                     n=rng.randint(30, 300)))
                if rng.random() < 0.7:
                    p.insert(Observation("nps", seg.id, rng.uniform(-60, 60), tp.id, rival.id,
                                         n=rng.randint(30, 300)))
            columns.append(column)
        seen = set()
        for s, column in enumerate(columns):
            for i, tp in enumerate(column):
                targets = []
                if s + 1 < stages:
                    targets += rng.sample(columns[s + 1], min(2, len(columns[s + 1])))
                if i + 1 < len(column) and rng.random() < 0.5:
                    targets.append(column[i + 1])
                if s + 2 < stages and rng.random() < 0.25:
                    targets.append(rng.choice(columns[rng.randrange(s + 2, stages)]))
                if s > 0 and rng.random() < 0.15:
                    targets.append(rng.choice(columns[s - 1]))
                if rng.random() < 0.05:
                    targets.append(tp)
                for target in targets:
                    if (tp.id, target.id) not in seen:
                        seen.add((tp.id, target.id))
                        p.insert(Transition(seg.id, tp.id, target.id,
                                            count=rng.randint(1, 3000),
                                            median_seconds=rng.uniform(30, 90000)))
    return path


def outline(arrow) -> QPainterPath:  # noqa: ANN001
    """The arrow as drawn: its shaft stroked at its width, and its head."""
    path, head = arrow.route()
    stroker = QPainterPathStroker()
    stroker.setWidth(arrow.width)
    shape = stroker.createStroke(path)
    shape.addPolygon(head)
    return shape


def check_labels(scene: MapScene) -> list[tuple[str, str, QRectF]]:
    """Every shown label keeps off foreign cards, foreign arrows and other labels; every hidden
    one's text is in its owner's tooltip. Returns the shown ones (kind, owner id, rect)."""
    scene.tracks.flush()
    scene.labels.flush()
    bodies = {tid: c.mapRectToScene(c.RECT) for tid, c in scene.cards.items()}
    arrows = {aid: outline(a) for aid, a in scene.arrows.items()}
    shown = [(item.kind, item.owner_id, item.mapRectToScene(item.rect()))
             for item in scene.labels.items.values() if item.isVisible()]
    for n, (kind, owner, rect) in enumerate(shown):
        what = f"{kind} label of {owner}"
        assert not any(r.intersects(rect) for m, (_, _, r) in enumerate(shown) if m != n), what
        if kind == "tag":
            # The verdict is part of its card, inside it: a card dragged over another covers
            # its tag as it covers the rest of it.
            assert bodies[owner].contains(rect), what
            continue
        assert not any(body.intersects(rect) for tid, body in bodies.items()
                       if not (kind in CARD_KINDS and tid == owner)), what
        assert not any(shape.intersects(rect) for aid, shape in arrows.items()
                       if not (kind in ARROW_KINDS and aid == owner)), what
    for kind, owner in scene.labels.placer.hidden():
        item = scene.labels.items[(kind, owner)]
        host = scene.arrows[owner] if kind in ARROW_KINDS else scene.cards[owner]
        assert item.text in host.toolTip() and HIDDEN_NOTE in host.toolTip()
    return shown


OVERLAYS = {
    "weak marks": lambda p: AnalysisOverlay(p),
    "nps and the gap": lambda p: AnalysisOverlay(p, "nps", "RivalCo"),
    "chance and times": lambda p: ChanceOverlay(p),
}


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("overlay", sorted(OVERLAYS))
def test_no_label_meets_a_foreign_card_arrow_or_label(qapp, tmp_path, seed, overlay) -> None:  # noqa: ANN001
    path = crowded_map(tmp_path / "crowded.jmap", seed)
    with ProjectFile.open(path, read_only=True) as p:
        scene = ExportScene(p, p.segments()[0].id, light_theme(), None)
        scene.set_overlay(OVERLAYS[overlay](p))
        shown = check_labels(scene)
        kinds = [kind for kind, _, _ in shown]
        every = [kind for kind, _ in scene.labels.items]
        # These maps are dense (arrows fill the gutters): many counts find no free room and
        # are hidden, but not all, and most cards' marks have room.
        assert kinds.count("count") >= 0.25 * every.count("count")
        assert kinds.count("gap") >= 0.6 * every.count("gap")
        assert kinds.count("time") >= 0.2 * every.count("time")
        assert every.count("gap") > 10 if overlay == "nps and the gap" else True
        # The legend says how many are left off (exports draw it in their title block).
        hidden = len(scene.labels.placer.hidden())
        assert (f"{hidden} labels left off for room (tooltips have them)"
                in [text for _, text in scene.legend_items()])
        assert every.count("time") > 10 if overlay == "chance and times" else True
        scene.detach()


def test_labels_stay_clear_while_cards_are_dragged_about(qapp, tmp_path) -> None:  # noqa: ANN001
    path = crowded_map(tmp_path / "crowded.jmap", 4)
    rng = random.Random(4)
    with ProjectFile.open(path, read_only=True) as p:
        scene = ExportScene(p, p.segments()[0].id, light_theme(), None)
        scene.set_overlay(AnalysisOverlay(p, "nps", "RivalCo"))
        before = {(k, o): r for k, o, r in check_labels(scene)}
        cards = list(scene.cards.values())
        for _ in range(25):
            card = rng.choice(cards)
            card.setPos(card.pos().x() + rng.uniform(-150, 150),
                        card.pos().y() + rng.uniform(-120, 120))
            check_labels(scene)
        after = {(k, o): r for k, o, r in check_labels(scene)}
        assert after != before  # the labels did follow the cards
        scene.detach()


@pytest.mark.parametrize("overlay", sorted(OVERLAYS))
def test_the_demo_has_room_for_its_labels(qapp, tmp_path, overlay) -> None:  # noqa: ANN001
    demo = Path(shutil.copy(TELCO_DEMO, tmp_path / "telco.jmap"))
    with ProjectFile.open(demo, read_only=True) as p:
        make = OVERLAYS[overlay]
        for segment in p.segments():
            scene = ExportScene(p, segment.id, light_theme(), None)
            scene.set_overlay(make(p) if overlay != "nps and the gap"
                              else AnalysisOverlay(p, "nps", "FibreNow"))
            check_labels(scene)
            hidden = scene.labels.placer.hidden()
            # Technician visit has a short arrow above and below and arrows on both sides:
            # its gap pill has no free room, and is left in its tooltip.
            assert [k for k, _ in hidden if k not in CARD_KINDS] == [], segment.name
            assert len(hidden) <= 1, segment.name
            scene.detach()


def picture_cards(picture: MapPicture) -> list[QRectF]:
    """Each card's rectangle in the composed picture (where PNG, SVG and PDF draw it)."""
    origin = picture.map_area().topLeft() - picture.map_rect.topLeft()
    return [c.mapRectToScene(c.RECT).translated(origin) for c in picture.scene.cards.values()]


@pytest.mark.parametrize("metric", [None, "nps"])
def test_the_legend_of_an_export_is_outside_the_map(qapp, tmp_path, metric) -> None:  # noqa: ANN001
    import datetime as dt

    demo = Path(shutil.copy(TELCO_DEMO, tmp_path / "telco.jmap"))
    with ProjectFile.open(demo, read_only=True) as p:
        for segment in p.segments():
            picture = picture_for(p, segment.id, light_theme(), "white",
                                  AnalysisOverlay(p, metric, "FibreNow" if metric else None),
                                  dt.date(2026, 12, 1))
            legend = picture.legend_rect()
            assert not legend.isEmpty()
            assert not legend.intersects(picture.map_area())
            assert not any(card.intersects(legend) for card in picture_cards(picture))
            picture.close()


def test_the_legend_on_screen_sits_in_a_strip_beside_the_map(qtbot, tmp_path) -> None:  # noqa: ANN001
    isolate_settings(tmp_path)
    demo = Path(shutil.copy(TELCO_DEMO, tmp_path / "telco.jmap"))
    window = open_window(qtbot, demo)
    view, legend = window.view, window.analysis.legend
    bar = window.analysis.bar
    for metric in ("__weakness__", "nps"):
        bar.metric_box.setCurrentIndex(bar.metric_box.findData(metric))
        assert legend.isVisible()
        viewport = view.viewport().geometry()
        # Outside the viewport: whatever is scrolled under it, it covers no card.
        assert not legend.geometry().intersects(viewport)
        assert view.rect().contains(legend.geometry())
    shown = view.viewport().height()
    bar.metric_box.setCurrentIndex(bar.metric_box.findData(""))
    assert not legend.isVisible()
    assert view.viewport().height() > shown  # the strip goes with the legend
