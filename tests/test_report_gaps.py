"""A section without data is left out of the report and named once, never a page that holds
only "No NPS values in this segment yet.": projects generated with other names, one without
any NPS, one blank, one where a segment has nothing but its map."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_support import FOOTER, body, flat, generated, page_count, pages, report, run

from journeymapper.cli import main

ROWS = [("Students", "Campus stand", "csat", 55, 120),
        ("Students", "Signup form", "csat", 82, 300),
        ("Students", "Signup form", "wait_time_s", 200, 50),
        ("Pendler & Co", "Ticket-App", "ces", 3.1, 80)]


@pytest.fixture(scope="module")
def no_nps(tmp_path_factory) -> tuple[Path, list[str]]:  # noqa: ANN001
    folder = tmp_path_factory.mktemp("gaps")
    project = generated(folder, "Campus Mobile", ROWS, template="b2c retail")
    out = report(project, folder / "campus.pdf")
    return out, pages(out)


def test_no_nps_is_named_once_and_has_no_page_of_its_own(no_nps) -> None:  # noqa: ANN001
    out, texts = no_nps
    everything = flat("\n".join(texts))
    assert everything.count("Not measured yet") == 1
    assert not any("No NPS" in t or "NPS values" in t for t in texts)
    line = everything[everything.index("Not measured yet"):]
    line = line[:line.index(".")]
    # Each missing kind once, with the segments it is missing in.
    assert "NPS for Students, Pendler & Co" in line
    assert "any data for Online shoppers, Store visitors" in line
    assert "competitors (none in this project)" in line
    assert line.count("Students") == 2  # NPS, and sales lost: no event log
    summary = texts[1]
    assert "Not in this report yet" in summary and "Not measured yet" in summary
    assert "Not written yet: story lanes for" in everything
    assert "the action plan" in everything
    # What was measured is in: the weak touchpoints, across segments on the summary page.
    assert "Campus stand" in flat(summary) and "CSAT 55 %" in flat(summary)


def test_every_page_has_content_and_a_number(no_nps) -> None:  # noqa: ANN001
    out, texts = no_nps
    total = page_count(out)
    for number, text in enumerate(texts, start=1):
        assert FOOTER.findall(text) == [(str(number), str(total))]
        assert "Campus Mobile" in text.splitlines()[-1] or "Campus Mobile" in text
        assert len(body(text)) > 80, (number, body(text))
    # Segments with nothing but a map get their map only: no page saying so. Cover, summary,
    # four maps, the two measured segments' weak touchpoints.
    assert total == 2 + 4 + 2
    assert not any("Segments compared" in t for t in texts)  # no segment has NPS
    assert not any("Action plan" in t for t in texts)


def test_a_blank_project(tmp_path: Path) -> None:
    project = tmp_path / "Ünïcode & <Söhne>.jmap"
    assert main(["new", str(project), "--name", "Ünïcode & <Söhne>"]) == 0
    out = report(project, tmp_path / "blank.pdf")
    texts = pages(out)
    assert len(texts) == 2  # cover and summary (what is missing): no page of an empty map
    everything = flat("\n".join(texts))
    assert "Ünïcode & <Söhne>" in flat(texts[0])
    assert everything.count("Not measured yet: any data for All customers.") == 1
    assert "Not written yet: story lanes for All customers; persona for All customers; " \
           "touchpoints on the map for All customers; the action plan." in everything
    assert all(len(body(t)) > 40 for t in texts)


def test_a_segment_with_nothing_weak_is_named_not_paged(tmp_path: Path) -> None:
    rows = [("Zufrieden", "Hotline", "nps", 45, 300), ("Zufrieden", "Filiale", "nps", 60, 200),
            ("Unzufrieden", "Hotline", "nps", -50, 300)]
    texts = pages(report(generated(tmp_path, "Stimmung", rows), tmp_path / "s.pdf"))
    summary = flat(texts[1])
    assert "Nothing weak or on watch in Zufrieden." in summary
    assert "1. Hotline Discover Unzufrieden WEAK" in summary  # its stage under its name
    # Cover, summary, two maps, the weak touchpoints of Unzufrieden, the segments compared:
    # Zufrieden has no page beyond its map, and the empty "All customers" none at all.
    assert len(texts) == 6
    assert sum("Weak touchpoints" in t for t in texts) == 1
    assert not any("All customers" in t for t in texts[2:])


def test_the_metric_chosen_is_the_one_named_missing(tmp_path: Path) -> None:
    rows = [(s, t, "nps", v, 90) for s, base in (("Nord", 10), ("Süd", -20))
            for t, v in (("Hotline", base), ("Filiale", base + 35))]
    project = generated(tmp_path, "Regionen", rows)
    texts = pages(report(project, tmp_path / "nps.pdf"))
    assert "Segments compared: NPS" in flat("\n".join(texts))
    texts = pages(report(project, tmp_path / "csat.pdf", "--metric", "csat"))
    everything = flat("\n".join(texts))
    assert "CSAT for Nord, Süd" in everything and "Segments compared" not in everything


def test_a_long_journey_tells_its_story_in_tables_of_a_few_stages(tmp_path: Path) -> None:
    from journeymapper.commands.lanes import set_cell
    from journeymapper.storage import ProjectFile

    project = tmp_path / "saas.jmap"
    assert main(["new", str(project), "--template", "b2b saas", "--name", "SaaS"]) == 0
    word = "Implementierungsverantwortlichkeiten"  # wider than a column: wraps, not clipped
    with ProjectFile.open(project) as pf:
        p = pf.load()
        segment = p.segments[0]
        stages = p.stages_of(segment.id)
        lanes = [lane for lane in p.lanes_of(segment.id) if lane.kind == "text"]
        for lane in lanes:
            for i, stage in enumerate(stages):
                set_cell(pf, lane.id, stage.id, f"{lane.name} at {stage.name}: {word} {i}")
    assert len(stages) == 6
    texts = pages(report(project, tmp_path / "saas.pdf", "--orientation", "portrait"))
    everything = flat("\n".join(texts))
    assert "Stages 1–3 of 6" in everything and "Stages 4–6 of 6" in everything
    packed = "".join(everything.split())
    for lane in lanes:
        for i, stage in enumerate(stages):
            assert "".join(f"{lane.name} at {stage.name}: {word} {i}".split()) in packed


def test_a_big_persona_photo_is_printed_at_300_dpi(qapp, tmp_path: Path) -> None:  # noqa: ANN001
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QColor, QImage

    from journeymapper.commands.lanes import set_persona
    from journeymapper.storage import ProjectFile

    photo = QImage(2400, 1600, QImage.Format.Format_RGB32)
    photo.fill(QColor("#3366aa"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    photo.save(buffer, "PNG")
    project = tmp_path / "p.jmap"
    assert main(["new", str(project), "--name", "Fotos"]) == 0
    with ProjectFile.open(project) as pf:
        set_persona(pf, pf.load().segments[0].id, name="Mara, 29", quote="Schnell, bitte.",
                    photo=bytes(buffer.data()))
    out = report(project, tmp_path / "p.pdf")
    texts = pages(out)
    page = next(i for i, t in enumerate(texts, 1) if "Persona" in t and "Mara, 29" in t)
    rows = [r.split() for r in run("pdfimages", "-list", str(out)).splitlines()[2:]]
    printed = [r for r in rows if int(r[0]) == page and r[2] == "image"]
    assert len(printed) == 1
    width, height, ppi = int(printed[0][3]), int(printed[0][4]), int(printed[0][12])
    assert width == 400 and 266 <= height <= 267 and ppi <= 301  # not 2400 × 1600


def test_what_is_at_stake_names_the_steps_that_lose_sales(tmp_path: Path) -> None:
    from test_attribution import killer_log

    project = tmp_path / "shop.jmap"
    killer_log(tmp_path / "log.csv")
    assert main(["new", str(project), "--name", "Kasse"]) == 0
    assert main(["import", str(project), str(tmp_path / "log.csv"), "--kind", "events",
                 "--create-missing", "Journey", "--goal", "Purchase"]) == 0
    texts = pages(report(project, tmp_path / "shop.pdf"))
    summary = flat(texts[1])
    stake = summary[summary.index("What is at stake"):]
    # Most sales lost first (21 at Payment failed, 5 at the call centre), none that wins any;
    # no value at stake without a value per conversion, which is named as not measured.
    assert "All customers 100 70 (70 %) Payment failed 21 — Call centre 5 —" in stake
    assert "Checkout" not in stake.split("Not in this report yet")[0]
    assert "value at stake (set a value per conversion) for All customers" in summary
    assert main(["set", str(project), "value_per_conversion=100"]) == 0
    summary = flat(pages(report(project, tmp_path / "shop.pdf"))[1])
    assert "Payment failed 21 €2,100 Call centre 5 €525" in summary
    assert "set a value per conversion" not in summary
