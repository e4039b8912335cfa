"""The PDF report of the demo read back with poppler, as a client's reader shows it: a cover and
a summary, per segment its map, weak touchpoints with their reasons in rank order, competitor
chart, story lanes and persona, then the segments compared and the action plan; every page
numbered "N / M" with the project's date, and none that holds only its footer."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from report_support import (
    FOOTER,
    body,
    flat,
    image_pages,
    page_count,
    pages,
    report,
)
from test_export_images import DEMO, export_from_dialog
from ui_support import isolate_settings, open_window

from journeymapper.analysis.emotion import typed_emotion_observations
from journeymapper.analysis.weakness import ranked
from journeymapper.storage.project_file import ProjectFile
from journeymapper.ui.canvas.lane_items import emotion_text
from journeymapper.ui.overlays import pretty


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory) -> tuple[Path, Path, list[str]]:  # noqa: ANN001
    """The demo's report from the command line, made once (Qt, matplotlib and pypdf are slow
    to start): the project, the PDF and its pages' text."""
    folder = tmp_path_factory.mktemp("report")
    demo = folder / "telco.jmap"
    shutil.copy(DEMO, demo)
    out = report(demo, folder / "report.pdf")
    return demo, out, pages(out)


def loaded(path: Path):  # noqa: ANN201 - a Project
    with ProjectFile.open(path, read_only=True) as p:
        return p.load()


def test_cover_and_summary(demo_report) -> None:  # noqa: ANN001
    demo, out, texts = demo_report
    project = loaded(demo)
    cover, summary = flat(texts[0]), flat(texts[1])
    assert project.name in cover and "Customer journey report" in cover
    for segment in project.segments:
        assert segment.name in cover
    weak = sum(a.weak for s in project.segments for a in ranked(project, s.id))
    assert f"{len(project.segments)} segments · {weak} weak touchpoints" in cover
    assert f"{len(project.actions)} actions in the plan" in cover
    # The contents: each section with the page it starts on (a segment's: its map's).
    assert "Contents Summary 2" in cover
    for segment in project.segments:
        start = next(i for i, t in enumerate(texts, 1)
                     if f"{project.name} — {segment.name}" in t and "Overlay" in t)
        assert f"{segment.name} {start}" in cover
    plan = next(i for i, t in enumerate(texts, 1) if t.startswith("Action plan"))
    assert cover.index("Action plan") > cover.index("Segments compared: NPS")
    assert f"Action plan {plan}" in cover
    assert "Summary" in summary and "The weakest touchpoints across segments" in summary
    # Across segments by score: the first row is the weakest of all, with its segment.
    everyone = sorted(((a.score, a.name, s.name) for s in project.segments
                       for a in ranked(project, s.id)), key=lambda x: -x[0])
    _, name, segment = everyone[0]
    assert f"1. {name}" in summary
    first = summary.index(f"1. {name}")
    assert summary.index(segment, first) < summary.index("2. ", first)
    assert "What is at stake" in summary and "€" in summary
    # The top actions by votes: the demo's most voted open action is listed.
    top = max((a for a in project.actions if a.status not in ("done", "dropped")),
              key=lambda a: a.votes)
    assert "Top actions" in flat("\n".join(texts[1:3]))
    assert top.title in flat("\n".join(texts[1:3]))
    # The demo measures everything the report shows: nothing is named as missing.
    assert "Not measured yet" not in flat("\n".join(texts))


def test_every_page_has_more_than_its_footer_and_is_numbered(demo_report) -> None:  # noqa: ANN001
    _, out, texts = demo_report
    total = page_count(out)
    assert total == len(texts) >= 10
    photos = set(image_pages(out))
    for number, text in enumerate(texts, start=1):
        found = FOOTER.findall(text)
        assert found == [(str(number), str(total))], (number, found)
        footer = next(line for line in text.splitlines() if FOOTER.search(line))
        assert dt.date.today().isoformat() in footer  # the report's date on every page
        assert len(body(text)) > 80 or number in photos, (number, body(text))


def test_weak_touchpoints_with_reasons_in_rank_order(demo_report) -> None:  # noqa: ANN001
    demo, _, texts = demo_report
    project = loaded(demo)
    for segment in project.segments:
        listed = ranked(project, segment.id)
        assert len(listed) >= 3
        start = next(i for i, t in enumerate(texts)
                     if "Weak touchpoints" in t and f"{segment.name}\n" in t)
        page = flat("\n".join(texts[start:start + 2]))
        page = page[page.index("Weak touchpoints"):]
        positions = []
        for rank, a in enumerate(listed, start=1):
            positions.append(page.index(f"{rank}. {a.name}"))
            for reason in a.reasons:
                assert flat(pretty(reason)) in page, (segment.name, reason)
        assert positions == sorted(positions)


def test_maps_charts_lanes_persona_and_plan_appear(demo_report) -> None:  # noqa: ANN001
    demo, out, texts = demo_report
    project = loaded(demo)
    everything = flat("\n".join(texts))
    for segment in project.segments:
        # Its map (the picture's heading and legend), its competitor chart, its story.
        assert any(f"{project.name} — {segment.name}" in t and "Overlay" in t for t in texts)
        assert f"NPS against competitors — {segment.name}" in everything
        for lane in project.lanes_of(segment.id):
            if lane.kind == "text":
                assert lane.name in everything
                for text in project.cells_of(lane.id).values():
                    # Cells wrap in their column: every word is there, in order.
                    words = text.split()
                    assert all(w in everything for w in words), text
        # The emotion lane as a row of the feelings typed in, stage by stage, as on the map.
        typed = typed_emotion_observations(project, segment.id)
        lane = next(lane for lane in project.lanes_of(segment.id) if lane.kind == "emotion")
        feelings = [emotion_text(typed[s.id].value) for s in project.stages_of(segment.id)
                    if s.id in typed]
        assert len(feelings) >= 3 and f"{lane.name} {' '.join(feelings)}" in everything
        persona = project.persona_of(segment.id)
        assert persona.name in everything and persona.quote in everything
        assert persona.goals.split()[0] in everything
    assert "Segments compared: NPS" in everything
    plan = flat("\n".join(t for t in texts if "Action plan" in t))
    for action in project.actions:
        assert action.title in plan and action.owner in plan and action.due in plan
    # Charts stay vectors: the only images are the personas' photos, on the map (whose
    # persona card shows it) and in the persona section.
    with_photo = [s for s in project.segments if project.persona_of(s.id).photo]
    pictured = image_pages(out)
    assert len(pictured) == 2 * len(with_photo) > 0
    for page in pictured:
        assert "Persona" in texts[page - 1] or "Overlay" in texts[page - 1]


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_no_heading_is_left_at_a_page_bottom(demo_report, orientation: str,  # noqa: ANN001
                                             tmp_path: Path) -> None:
    demo, out, _ = demo_report
    if orientation == "portrait":  # narrower: tables run longer, charts get less room
        out = report(demo, tmp_path / "portrait.pdf", "--orientation", "portrait")
    project = loaded(demo)
    headings = {"Weak touchpoints", "Persona", "What is at stake", "Top actions",
                "Most frequent paths"} | {f"{x} — {s.name}" for s in project.segments
                                          for x in ("NPS against competitors", "The story",
                                                    "Which touchpoint killed the sale")}
    for number, text in enumerate(pages(out, layout=True), start=1):
        lines = [line.strip() for line in body(text).splitlines() if line.strip()]
        assert lines[-1] not in headings, (number, lines[-3:])


def test_the_dialog_writes_the_report_the_command_line_writes(qtbot, demo_report,  # noqa: ANN001
                                                              tmp_path: Path) -> None:
    source, _, cli_texts = demo_report
    demo = tmp_path / "telco.jmap"
    shutil.copy(source, demo)
    isolate_settings(tmp_path)
    window = open_window(qtbot, demo, register=False)
    gui = tmp_path / "gui-report.pdf"
    export_from_dialog(qtbot, window, 3, gui)
    window.close()
    assert pages(gui) == cli_texts


def test_a_small_page_and_tile_still_give_no_page_of_blank_tiles(demo_report,  # noqa: ANN001
                                                                tmp_path: Path) -> None:
    demo, _, _ = demo_report
    out = report(demo, tmp_path / "a5.pdf", "--tile", "--page-size", "A5")
    texts = pages(out)
    project = loaded(demo)
    # The report fits each map to a page, as it does without --tile: one page per map.
    maps = [t for t in texts if "Overlay" in t and "weak: past a line" in t]
    assert len(maps) == len(project.segments)
    photos = set(image_pages(out))
    for number, text in enumerate(texts, start=1):
        assert FOOTER.findall(text) == [(str(number), str(len(texts)))]
        assert len(body(text)) > 80 or number in photos, (number, body(text))
