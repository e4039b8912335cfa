"""``export --format html``: one self-contained page, read back with html.parser (no URL but
the W3C namespace names, one SVG per segment whose card groups are the JSON export's ids, the
evidence data, under 2 MB) and driven in headless Chromium: it loads offline without a
request, Tab focuses a card and its evidence appears, the arrow keys change tabs, and names
that are markup stay text."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_export_images import DEMO

from journeymapper.analysis.weakness import ranked
from journeymapper.cli import main
from journeymapper.commands.plan import add_action, add_note
from journeymapper.commands.segments import rename_segment
from journeymapper.commands.touchpoints import update_touchpoint
from journeymapper.storage import ProjectFile

HOSTILE = ("<script>alert(1)</script>", "</script><img src=x onerror=alert(2)>",
           "http://evil.example/x?a=1&b=2 //cdn.evil.example/y.js",
           "Bell\x07 \x1b[31mred\u2028line\ufffe")  # not XML: the SVG must still parse
SEGMENT = '</title><script>alert(4)</script> & "x"'
W3C = re.compile(r"http://www\.w3\.org/(2000/svg|1999/xlink|1999/xhtml)")
EXTERNAL = (re.compile(r"https?://", re.I), re.compile(r"(?<![\w:])//[\w-]+(\.[\w-]+)+"),
            re.compile(r"url\(\s*(?!#)", re.I), re.compile(r"@import", re.I),
            re.compile(r"<(link|iframe|object|embed)\b", re.I))


class Page(HTMLParser):
    """The elements of the page, with their attributes, and the text inside scripts."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.text: list[str] = []
        self._script: dict[str, str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: D102
        attributes = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attributes))
        if tag == "script":
            self._script = attributes

    def handle_startendtag(self, tag: str, attrs: list) -> None:  # noqa: D102
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:  # noqa: D102
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:  # noqa: D102
        if self._script is not None:
            self.scripts.append((self._script, data))
        else:
            self.text.append(data)

    def all(self, tag: str, **want: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements
                if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in want.items())]


def export(project: Path, out: Path, *extra: str) -> str:
    assert main(["export", str(project), "--format", "html", "-o", str(out), *extra]) == 0
    return out.read_text(encoding="utf-8")


def external_urls(text: str) -> list[str]:
    text = W3C.sub("", text)
    return [m.group(0) for pattern in EXTERNAL for m in pattern.finditer(text)]


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory) -> tuple[Path, Path, str, dict]:  # noqa: ANN001
    folder = tmp_path_factory.mktemp("page")
    demo = folder / "telco.jmap"
    shutil.copy(DEMO, demo)
    text = export(demo, folder / "demo.html")
    assert main(["export", str(demo), "--format", "json", "-o", str(folder / "d.json")]) == 0
    return demo, folder / "demo.html", text, json.loads((folder / "d.json").read_text())


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory) -> tuple[Path, str]:  # noqa: ANN001
    """The demo with markup and web addresses for names, a note and an action title."""
    folder = tmp_path_factory.mktemp("hostile")
    demo = folder / "telco.jmap"
    shutil.copy(DEMO, demo)
    with ProjectFile.open(demo) as pf:
        project = pf.load()
        weak = ranked(project, project.segments[0].id)
        for a, name in zip(weak, HOSTILE, strict=False):
            update_touchpoint(pf, a.touchpoint_id, name=name)
        add_note(pf, weak[0].touchpoint_id, "-", HOSTILE[1], source=HOSTILE[2])
        # A segment's name is a tab's, and the title of its map's SVG.
        rename_segment(pf, project.segments[1].id, SEGMENT)
        add_action(pf, HOSTILE[0], touchpoint_id=weak[0].touchpoint_id)
    out = folder / "hostile.html"
    return out, export(demo, out)


def test_one_self_contained_page_with_no_url_under_2_mb(demo_page) -> None:  # noqa: ANN001
    _, out, text, _ = demo_page
    assert out.stat().st_size < 2_000_000
    assert external_urls(text) == []
    page = Page(text)
    # Styles and scripts inline: no element fetches anything.
    assert not any("src" in a or "href" in a and not a["href"].startswith("#")
                   for _, a in page.elements)
    policy = page.all("meta", http_equiv="Content-Security-Policy")[0]["content"]
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy


def test_each_segment_is_a_tab_with_its_map_and_cards_named_by_json_ids(demo_page) -> None:  # noqa: ANN001
    _, _, text, exported = demo_page
    page = Page(text)
    segments = exported["segments"]
    assert [a["aria-controls"] for a in page.all("button", role="tab")] == \
        [f"panel-{s['id']}" for s in segments]
    assert len(page.all("div", role="tablist")) == 1
    assert len(page.all("svg")) == len(segments)
    # The cards, in document order, fall in their segment's panel and SVG.
    order: dict[str, list[str]] = {}
    current = None
    for tag, a in page.elements:
        if tag == "section" and a.get("role") == "tabpanel":
            current = a["id"].removeprefix("panel-")
        if tag == "g" and a.get("data-card"):
            order.setdefault(current, []).append(a["data-card"])
            assert a["id"] == f"card-{a['data-card']}"
            assert a["tabindex"] == "0" and a["role"] == "button"
    for s in segments:
        assert sorted(order[s["id"]]) == sorted(t["id"] for t in s["touchpoints"])
        names = {t["id"]: t["name"] for t in s["touchpoints"]}
        for g in page.all("g", role="button"):
            if g["data-card"] in names:
                assert g["aria-label"].startswith(names[g["data-card"]])
    assert len(page.all("section", aria_live="polite")) == len(segments)
    # Ids are unique in the page, although each map was drawn on its own.
    ids = [a["id"] for _, a in page.elements if "id" in a]
    assert len(ids) == len(set(ids))


def test_the_evidence_data_names_each_value_its_n_and_its_file(demo_page) -> None:  # noqa: ANN001
    _, _, text, exported = demo_page
    page = Page(text)
    blobs = [t for a, t in page.scripts if a.get("type") == "application/json"]
    assert len(blobs) == 1
    data = json.loads(blobs[0])
    files = {i["id"]: i["file_name"] for i in exported["imports"]}
    checked = 0
    for s in exported["segments"]:
        for tp in s["touchpoints"]:
            card = data[s["id"]][tp["id"]]
            assert card["name"] == tp["name"]
            shown = {m["key"]: m for m in card["metrics"]}
            for key, o in tp["metrics"].items():
                assert shown[key]["n"] == o["n"]
                assert shown[key]["file"] == files[o["import"]]
                checked += 1
            assert card["reasons"] == tp["reasons"]
    assert checked > 20
    # The weak touchpoints beside each map, in rank order.
    flat = " ".join(" ".join(page.text).split())
    for s in exported["segments"]:
        names = [r["name"] for r in s["ranking"]]
        assert names and all(n in flat for n in names)


def test_names_that_are_markup_or_addresses_stay_text(hostile_page) -> None:  # noqa: ANN001
    out, text = hostile_page
    assert "<script>alert" not in text and "<img" not in text
    assert external_urls(text) == []
    page = Page(text)
    assert len(page.all("script")) == 2  # the data and the page's own script
    assert not any(k.startswith("on") for _, a in page.elements for k in a)
    flat = "".join(page.text)
    assert HOSTILE[0] in flat and HOSTILE[1] in flat  # as text, in the weak list and plan
    assert SEGMENT in flat  # the tab's text
    data = json.loads(next(t for a, t in page.scripts if a.get("type") == "application/json"))
    names = {c["name"] for cards in data.values() for c in cards.values()}
    assert set(HOSTILE) <= names
    labels = [a["aria-label"] for a in page.all("g", role="button")]
    assert any(label.startswith(HOSTILE[2]) for label in labels)
    assert any(label.startswith("Bell [31mred\u2028line,") for label in labels)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)


def test_the_segment_asked_for_is_the_only_tab(demo_page, tmp_path: Path) -> None:  # noqa: ANN001
    demo, _, _, exported = demo_page
    second = exported["segments"][1]
    page = Page(export(demo, tmp_path / "one.html", "--segment", second["name"]))
    assert [a["aria-controls"] for a in page.all("button", role="tab")] == \
        [f"panel-{second['id']}"]
    assert len(page.all("svg")) == 1


# -- in a browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory):  # noqa: ANN201, ANN001
    webdriver = pytest.importorskip("selenium.webdriver")
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.skip("chromium or chromedriver not installed")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,720",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(arg)
    session = webdriver.Chrome(options=options, service=Service(driver))
    yield session
    session.quit()


def evidence(browser, segment_id: str) -> str:  # noqa: ANN001
    return browser.find_element("id", f"evidence-{segment_id}").text


def test_tab_focuses_a_card_and_its_evidence_appears(browser, demo_page) -> None:  # noqa: ANN001
    from selenium.webdriver.common.keys import Keys

    _, out, _, exported = demo_page
    browser.get(out.as_uri())
    first = exported["segments"][0]
    # Offline: nothing but the page itself was loaded.
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    body = browser.find_element("tag name", "body")
    body.send_keys(Keys.TAB)  # the selected tab
    assert browser.switch_to.active_element.get_attribute("role") == "tab"
    browser.switch_to.active_element.send_keys(Keys.TAB)
    card = browser.switch_to.active_element
    tp_id = card.get_attribute("data-card")
    tp = next(t for t in first["touchpoints"] if t["id"] == tp_id)
    text = evidence(browser, first["id"])
    assert tp["name"] in text
    files = {i["id"]: i["file_name"] for i in exported["imports"]}
    for o in tp["metrics"].values():
        assert files[o["import"]] in text
        assert o["n"] is None or re.search(rf"\b{o['n']}\b", text)
    # The next Tab moves to the next card, and its evidence replaces the first's.
    card.send_keys(Keys.TAB)
    following = browser.switch_to.active_element.get_attribute("data-card")
    assert following not in (None, tp_id)
    after = next(t for t in first["touchpoints"] if t["id"] == following)
    assert after["name"] in evidence(browser, first["id"])


def test_arrow_keys_change_tabs_and_pointing_shows_evidence(browser, demo_page) -> None:  # noqa: ANN001
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    _, out, _, exported = demo_page
    browser.get(out.as_uri())
    first, second = exported["segments"][:2]
    tab = browser.find_element("id", f"tab-{first['id']}")
    tab.click()
    tab.send_keys(Keys.ARROW_RIGHT)
    active = browser.switch_to.active_element
    assert active.get_attribute("id") == f"tab-{second['id']}"
    assert active.get_attribute("aria-selected") == "true"
    assert browser.find_element("id", f"panel-{second['id']}").is_displayed()
    assert not browser.find_element("id", f"panel-{first['id']}").is_displayed()
    weakest = second["ranking"][0]
    card = browser.find_element("id", f"card-{weakest['id']}")
    ActionChains(browser).move_to_element(card).perform()
    assert weakest["name"] in evidence(browser, second["id"])
    # A name in the weak list takes the focus to its card.
    then = second["ranking"][1]
    panel = browser.find_element("id", f"panel-{second['id']}")
    panel.find_element("css selector", f".to-card[data-card='{then['id']}']").click()
    assert browser.switch_to.active_element.get_attribute("id") == f"card-{then['id']}"
    assert then["name"] in evidence(browser, second["id"])


def test_hostile_names_never_run_in_the_browser(browser, hostile_page) -> None:  # noqa: ANN001
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.keys import Keys

    out, _ = hostile_page
    browser.get(out.as_uri())
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert browser.execute_script("return document.images.length") == 0
    # Enter on the hostile card shows its name, as text.
    card = next(c for c in browser.find_elements("css selector", "[data-card]")
                if c.get_attribute("aria-label").startswith(HOSTILE[0]))
    browser.execute_script("arguments[0].focus()", card)
    card.send_keys(Keys.ENTER)
    panel = browser.find_element("css selector", "[role=tabpanel]:not([hidden]) .evidence")
    assert HOSTILE[0] in panel.text and HOSTILE[1] in panel.text
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018


def test_a_blank_project_says_nothing_is_measured(tmp_path: Path) -> None:
    project = tmp_path / "blank.jmap"
    assert main(["new", str(project)]) == 0
    page = Page(export(project, tmp_path / "blank.html"))
    flat = " ".join(page.text)
    assert "In this segment: nothing measured yet." in flat
    assert "No actions in the plan yet." in flat
    assert len(page.all("svg")) == 1 and page.all("g", role="button") == []


def test_tab_goes_through_the_cards_stage_by_stage_top_to_bottom(tmp_path: Path) -> None:
    from journeymapper.commands.touchpoints import move_touchpoints

    demo = tmp_path / "telco.jmap"
    shutil.copy(DEMO, demo)
    with ProjectFile.open(demo) as pf:
        project = pf.load()
        household = project.segments[0]
        stages = project.stages_of(household.id)
        first = [t for t in project.touchpoints_of(household.id) if t.stage_id == stages[0].id]
        top = min(first, key=lambda t: t.y)
        lowest = max(t.y for t in first)
        # The card drawn first moves to the bottom of its stage.
        move_touchpoints(pf, [(top.id, top.stage_id, top.x, lowest + 200)])
        project = pf.load()
    column = {s.id: i for i, s in enumerate(stages)}
    expected = [t.id for t in sorted(project.touchpoints_of(household.id),
                                     key=lambda t: (column[t.stage_id], t.y))]
    assert expected[len(first) - 1] == top.id
    page = Page(export(demo, tmp_path / "order.html", "--segment", household.name))
    assert [g["data-card"] for g in page.all("g", role="button")] == expected
