"""The label placer on its own (model/label_placement.py, no Qt): a label takes its first place
that meets no foreign card, arrow or label, is hidden when it has none, and looks again when
what stood in its way moves."""

from __future__ import annotations

import random

from journeymapper.model.label_placement import (
    Label,
    LabelPlacer,
    along_line,
    points_along,
    rects_meet,
    segment_meets_rect,
)

CARD = (0.0, 0.0, 200.0, 76.0)


def label(key: str, *centres: tuple[float, float], kind: str = "count", **kw) -> Label:
    return Label((kind, key), 40.0, 18.0, tuple(centres), **kw)


def test_first_free_place_is_taken_and_own_card_and_arrow_do_not_count() -> None:
    placer = LabelPlacer()
    placer.set_card("c", CARD)
    placer.set_arrow("a", [[(-100.0, 100.0), (300.0, 100.0)]], 2.0)
    placer.set_label(label("on-card", (100, 38), (100, 150)))
    placer.set_label(label("own-card", (100, 38), kind="gap", own_cards=frozenset({"c"})))
    placer.set_label(label("on-arrow", (0, 100), (0, 150)))
    placer.set_label(label("own-arrow", (150, 100), own_arrows=frozenset({"a"})))
    placer.place()
    assert placer.placement(("count", "on-card")) == (80.0, 141.0, 120.0, 159.0)
    assert placer.placement(("gap", "own-card")) == (80.0, 29.0, 120.0, 47.0)
    assert placer.placement(("count", "on-arrow")) == (-20.0, 141.0, 20.0, 159.0)
    assert placer.placement(("count", "own-arrow")) == (130.0, 91.0, 170.0, 109.0)
    assert placer.hidden() == []


def test_two_labels_never_share_a_place_and_one_without_room_is_hidden() -> None:
    placer = LabelPlacer()
    placer.set_label(label("first", (0, 0), priority=0))
    placer.set_label(label("second", (0, 0), (10, 5), (100, 0), priority=1))
    placer.set_label(label("third", (0, 0), (100, 0), priority=2))
    placer.place()
    assert placer.placement(("count", "first")) == (-20.0, -9.0, 20.0, 9.0)
    assert placer.placement(("count", "second")) == (80.0, -9.0, 120.0, 9.0)  # (10, 5) meets
    assert placer.placement(("count", "third")) is None
    assert placer.hidden() == [("count", "third")]


def test_a_hidden_label_comes_back_when_what_hid_it_moves_away() -> None:
    placer = LabelPlacer()
    placer.set_card("c", CARD)
    placer.set_label(label("x", (100, 38)))
    placer.place()
    assert placer.hidden() == [("count", "x")]
    placer.set_card("c", (400.0, 0.0, 600.0, 76.0))  # dragged away
    assert placer.place() == {("count", "x")}
    assert placer.placement(("count", "x")) == (80.0, 29.0, 120.0, 47.0)
    # Dragged back over it: the label gives way (it has no other place).
    placer.set_card("c", CARD)
    placer.place()
    assert placer.placement(("count", "x")) is None


def test_an_arrow_rerouted_under_a_label_moves_it_and_a_removed_one_frees_room() -> None:
    placer = LabelPlacer()
    placer.set_label(label("x", (0, 0), (0, 100)))
    placer.place()
    assert placer.placement(("count", "x")) == (-20.0, -9.0, 20.0, 9.0)
    placer.set_arrow("a", [[(-50.0, 0.0), (50.0, 0.0)]], 1.0)
    placer.place()
    assert placer.placement(("count", "x")) == (-20.0, 91.0, 20.0, 109.0)
    placer.set_arrow("b", [[(-50.0, 100.0), (50.0, 100.0)]], 1.0)
    placer.place()
    assert placer.hidden() == [("count", "x")]
    placer.remove_arrow("a")
    placer.place()
    assert placer.placement(("count", "x")) == (-20.0, -9.0, 20.0, 9.0)


def test_removed_label_frees_its_place() -> None:
    placer = LabelPlacer()
    placer.set_label(label("a", (0, 0), priority=0))
    placer.set_label(label("b", (0, 0), priority=1))
    placer.place()
    assert placer.hidden() == [("count", "b")]
    placer.remove_label(("count", "a"))
    placer.place()
    assert placer.placement(("count", "b")) == (-20.0, -9.0, 20.0, 9.0)


def test_segment_and_rectangle_tests() -> None:
    r = (0.0, 0.0, 10.0, 10.0)
    assert segment_meets_rect((-5, 5), (15, 5), r)  # straight through
    assert segment_meets_rect((5, 5), (6, 6), r)  # inside
    assert not segment_meets_rect((-5, -1), (15, -1), r)  # above
    assert not segment_meets_rect((-5, 0), (15, 0), r)  # along an edge: touching only
    assert not segment_meets_rect((11, -5), (20, 5), r)
    assert segment_meets_rect((-5, 6), (6, -5), r)  # cuts a corner
    assert not segment_meets_rect((-5, 6), (6, -5), (0.0, 0.0, 0.2, 0.2))  # passes it by
    assert rects_meet(r, (9.0, 9.0, 20.0, 20.0))
    assert not rects_meet(r, (10.0, 0.0, 20.0, 10.0))


def test_points_along_a_line_and_candidates_on_and_beside_it() -> None:
    line = [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0)]
    (p, n), (q, m) = points_along(line, [0.25, 0.75])
    assert p == (50.0, 0.0) and n == (-0.0, 1.0)
    assert q == (100.0, 50.0) and m == (-1.0, 0.0)
    count = along_line(line, 40, 18, 2, count=True)
    assert count[0] == (100.0, 0.0)  # on the arrow first: at its middle
    other = along_line(line, 40, 18, 2, count=False)
    assert other[0] != (100.0, 0.0) and (100.0, 0.0) in other[:3]  # beside it first


def test_random_maps_leave_no_overlap_among_placed_labels() -> None:
    """Whatever the order of changes, placed labels keep off foreign cards and each other."""
    for seed in range(5):
        rng = random.Random(seed)
        placer = LabelPlacer()
        cards = {}
        for i in range(30):
            x, y = rng.uniform(0, 1000), rng.uniform(0, 800)
            cards[f"c{i}"] = (x, y, x + 200, y + 76)
            placer.set_card(f"c{i}", cards[f"c{i}"])
        for i in range(60):
            centres = [(rng.uniform(0, 1200), rng.uniform(0, 900)) for _ in range(8)]
            placer.set_label(Label(("count", f"l{i}"), rng.uniform(20, 120), 18,
                                   tuple(centres), own_cards=frozenset({f"c{i % 30}"})))
        placer.place()
        for _ in range(20):  # cards dragged about, labels placed again each time
            cid = f"c{rng.randrange(30)}"
            x, y = rng.uniform(0, 1000), rng.uniform(0, 800)
            cards[cid] = (x, y, x + 200, y + 76)
            placer.set_card(cid, cards[cid])
            placer.place()
        placed = {k: placer.placement(k) for k in placer.labels() if placer.placement(k)}
        assert len(placed) > 10, seed
        for key, rect in placed.items():
            own = placer.labels()[key].own_cards
            assert not any(rects_meet(rect, c) for cid, c in cards.items() if cid not in own)
            assert not any(rects_meet(rect, r) for k, r in placed.items() if k != key)
