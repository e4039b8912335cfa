"""The report's charts: a colour per segment from a qualitative palette (Okabe-Ito, then tab20),
value labels that never collide (checked on the drawn figure), and the colours as they come
out of the PDF (rendered by pdftoppm)."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

import pytest
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from PIL import Image
from report_support import generated, pages, report

from journeymapper.exporters import charts
from journeymapper.storage.project_file import ProjectFile

SEGMENTS = ("Nord", "Süd", "Ost", "West & Mitte")
# Values close together and of both signs: bars of one touchpoint end near each other, where
# labels would collide if they were not kept apart.
ROWS = [(s, t, "nps", base + 2 * i, 40 + i)
        for i, s in enumerate(SEGMENTS)
        for t, base in (("Hotline", -31), ("Filiale", 12), ("App", 0.5), ("Rechnung", 48),
                        ("Kündigung", -75))]


def distance(a: str, b: str) -> float:
    return sum((x - y) ** 2 for x, y in zip(to_rgb(a), to_rgb(b), strict=True)) ** 0.5


@pytest.fixture(scope="module")
def regions(tmp_path_factory) -> Path:  # noqa: ANN001
    return generated(tmp_path_factory.mktemp("charts"), "Stadtwerke Regionen", ROWS)


def loaded(path: Path):  # noqa: ANN201
    with ProjectFile.open(path, read_only=True) as pf:
        return pf.load()


@pytest.mark.parametrize("count", [1, 2, 3, 6, 7, 10, 20])
def test_the_palette_is_distinct(count: int) -> None:
    palette = charts.segment_palette(count)
    assert len(palette) == count == len(set(palette))
    # Okabe-Ito and tab10 are far apart; tab20's light tones sit nearer their neighbours.
    assert min((distance(a, b) for a, b in itertools.combinations(palette, 2)),
               default=1.0) > (0.25 if count <= 10 else 0.09)
    if count <= 6:  # the colour-blind safe set, as the deck and the web page colour them
        assert palette == list(charts.OKABE_ITO[:count])


def test_each_segment_has_its_colour_and_no_label_collides(regions: Path) -> None:
    project = loaded(regions)
    fig = charts.segment_comparison_figure(project, "nps")
    colours = charts.segment_colours(project)
    drawn = {}
    for container in fig.axes[0].containers:
        faces = {to_hex(bar.get_facecolor()) for bar in container}
        assert len(faces) == 1
        drawn[container.get_label()] = faces.pop()
    expected = {s.name: colours[s.id].lower() for s in project.segments if s.name in SEGMENTS}
    assert drawn == expected and len(set(drawn.values())) == len(SEGMENTS)
    assert charts.overlapping_texts(fig) == []
    # Every value is written, inside the plot (the axis widened for the longest).
    labels = [t for t in fig.axes[0].texts if t.get_text().strip()]
    assert len(labels) == len(ROWS)
    inside = fig.axes[0].get_window_extent()
    for t in labels:
        box = t.get_window_extent()
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1, t.get_text()


def test_the_collision_check_sees_a_collision() -> None:
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, "−31")
    ax.text(0.52, 0.5, "−29")
    assert charts.overlapping_texts(fig) == [("−31", "−29")]


def test_competitor_chart_in_the_segment_colour(regions: Path) -> None:
    project = loaded(regions)
    segment = project.segments[-1]
    default = charts.competitor_figure(project, segment.id)  # the app's chart tab: unchanged
    coloured = charts.competitor_figure(project, segment.id, us_colour="#009E73", titled=False)
    # No competitors in this project: only our bars, in blue in the app, green when asked.
    assert to_hex(default.axes[0].containers[0][0].get_facecolor()) == charts.OURS.lower()
    assert to_hex(coloured.axes[0].containers[0][0].get_facecolor()) == "#009e73"
    assert default._suptitle is not None and coloured._suptitle is None
    assert charts.overlapping_texts(coloured) == []


def test_the_printed_chart_shows_every_segment_colour(regions: Path, tmp_path: Path) -> None:
    out = report(regions, tmp_path / "regions.pdf")
    texts = pages(out)
    number = next(i for i, t in enumerate(texts, 1) if "Segments compared: NPS" in t)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", str(number), "-l", str(number),
                    str(out), str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    pixels = list(image.get_flattened_data())
    project = loaded(regions)
    colours = charts.segment_colours(project)
    for segment in project.segments:
        if segment.name not in SEGMENTS:
            continue
        target = tuple(round(255 * c) for c in to_rgb(colours[segment.id]))
        near = sum(1 for p in pixels if sum(abs(a - b) for a, b in zip(p, target,
                                                                        strict=True)) < 24)
        assert near > 150, (segment.name, colours[segment.id], near)


def test_the_demo_charts_have_no_colliding_text() -> None:
    from test_export_images import DEMO

    project = loaded(DEMO)
    colours = charts.segment_colours(project)
    assert len(project.competitors) >= 2
    for segment in project.segments:
        fig = charts.competitor_figure(project, segment.id, us_colour=colours[segment.id],
                                       titled=False)
        assert charts.overlapping_texts(fig) == [], segment.name
    assert charts.overlapping_texts(charts.segment_comparison_figure(project, "nps")) == []
    assert charts.overlapping_texts(charts.segment_comparison_figure(project, "csat")) == []


def test_long_names_and_emoji_neither_squeeze_the_bars_nor_warn(tmp_path: Path) -> None:
    import warnings

    from test_export_images import DEMO

    from journeymapper.commands.touchpoints import update_touchpoint

    demo = tmp_path / "telco.jmap"
    demo.write_bytes(DEMO.read_bytes())
    long = "Rückruf \U0001F642 " + "Warteschleifenansage " * 15
    with ProjectFile.open(demo) as pf:
        project = pf.load()
        segment = project.segments[0]
        for t in project.touchpoints_of(segment.id):
            update_touchpoint(pf, t.id, name=f"{long}{t.name}")
        project = pf.load()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = charts.competitor_figure(project, segment.id, us_colour="#0072B2", titled=False)
        assert charts.overlapping_texts(fig) == []
        out = report(demo, tmp_path / "long.pdf")
    assert not [w for w in caught if "Glyph" in str(w.message)]
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks and all(t.count("\n") == 1 and t.endswith("…") for t in ticks)
    # The bars keep their room: the plot is most of the figure's width, not squeezed out.
    assert fig.axes[0].get_position().width > 0.35
    assert any(long.split()[0] in t for t in pages(out))
