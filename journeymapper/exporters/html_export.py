"""``export --format html``: one self-contained page to e-mail (DESIGN.md "Sharing"): a tab per
segment with its map as inline SVG, evidence of the card under the pointer, finger or keyboard
focus in a side panel, the weak touchpoints beside the map and the action plan below.

Nothing in the page reaches the network: its style and script are inline (resources/html),
images are data, and a Content-Security-Policy lets no request out and no script run but the
page's own (by its hash), so a name that smuggled markup past the escaping still could not act.
Every name is escaped where it lands: text in the HTML, the SVG re-serialised from a parse that
keeps only drawing elements, and the data blob with "<", ">", "&" and "/" as JSON escapes."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from journeymapper.analysis.stats import fmt_value, metric_for
from journeymapper.exporters.json_export import segment_dict
from journeymapper.exporters.share_rows import (
    NONE,
    ActionRow,
    Figures,
    WeakRow,
    action_rows,
    count,
    no_weak_rows,
    segment_hex,
    weak_rows,
    xml_safe,
)
from journeymapper.model import Project
from journeymapper.paths import resource

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)
# What a map is drawn with; anything else (script, foreignObject, a, style, iframe...) goes.
DRAWING = {"svg", "g", "path", "polygon", "polyline", "rect", "circle", "ellipse", "line",
           "text", "tspan", "title", "desc", "defs", "linearGradient", "radialGradient", "stop",
           "clipPath", "mask", "pattern", "image", "use", "symbol", "marker"}
LOCAL_REF = re.compile(r"url\(\s*#([^)\s]+)\s*\)")
# The SVG layers DESIGN.md names keep their ids (the JSON export's); other ids are made
# unique per map, as two maps in one page must not share one.
LAYER_ID = re.compile(r"^(card|arrow|label-[a-z]+|stage|lane)-[0-9A-Za-z-]+$")
DATA_IMAGE = re.compile(r"^data:image/(png|jpeg);base64,[A-Za-z0-9+/=\s]*$")


@dataclass(frozen=True)
class Hotspot:
    """Where a card is in its map's SVG (user units), for the map it gets no group from."""

    touchpoint_id: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class MapSvg:
    segment_id: str
    svg: bytes  # an SVG document
    cards: Sequence[Hotspot]  # in reading order: stage by stage, top to bottom


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _fonts(family: str) -> str:
    """The family Qt laid the text out with, then the wide sans fonts of each system: Qt's
    generic "Sans Serif" is no CSS family, and a browser would fall back to a serif."""
    own = re.sub(r"[^\w .-]", "", family).strip()
    return ", ".join(([f"'{own}'"] if own and own.lower() != "sans serif" else [])
                     + ["'DejaVu Sans'", "Verdana", "'Segoe UI'", "sans-serif"])


def _safe_attributes(element: ET.Element, rename: dict[str, str]) -> None:
    for key in list(element.attrib):
        name, value = _local(key), element.attrib[key]
        if name.lower().startswith("on"):
            del element.attrib[key]
        elif name == "href":
            if value.startswith("#"):
                element.attrib[key] = "#" + rename.get(value[1:], value[1:])
            elif not DATA_IMAGE.match(value):
                del element.attrib[key]
        elif "url(" in value.lower():
            fixed = LOCAL_REF.sub(lambda m: f"url(#{rename.get(m.group(1), m.group(1))})", value)
            if "url(" in LOCAL_REF.sub("", fixed).lower():
                del element.attrib[key]
            else:
                element.attrib[key] = fixed
        elif name == "id":
            element.attrib[key] = rename.get(value, value)
        elif name == "font-family":
            element.attrib[key] = _fonts(value)


def _clean_tree(root: ET.Element, prefix: str) -> None:
    rename = {e.attrib["id"]: f"{prefix}-{e.attrib['id']}" for e in root.iter()
              if "id" in e.attrib and not LAYER_ID.match(e.attrib["id"])}
    for parent in list(root.iter()):
        for child in list(parent):
            if not isinstance(child.tag, str) or _local(child.tag) not in DRAWING:
                parent.remove(child)
    for element in root.iter():
        _safe_attributes(element, rename)


def _card_label(card: dict[str, Any]) -> str:
    parts = [card["name"]]
    if card["stage"]:
        parts.append(f"stage {card['stage']}")
    if card["verdict"]:
        parts.append(card["verdict"])
    parts += [f"{m['label']} {m['value']} (n={m['n']})" if m["n"] is not None
              else f"{m['label']} {m['value']}" for m in card["metrics"][:3]]
    return ", ".join(parts)


def inline_svg(found: MapSvg, index: int, cards: dict[str, dict[str, Any]],
               segment_name: str) -> str:
    """The map as an element for the page: sanitised, sized by the page, its cards
    focusable buttons that name themselves and their key figures."""
    root = ET.fromstring(xml_safe(found.svg.decode("utf-8")))
    if _local(root.tag) != "svg":
        raise ValueError("not an SVG document")
    _clean_tree(root, f"m{index}")
    for key in ("width", "height"):
        root.attrib.pop(key, None)
    root.set("class", "map-svg")
    root.set("role", "group")
    root.set("aria-label", xml_safe(f"Journey map of {segment_name}"))
    groups = {e.get("id"): e for e in root.iter(f"{{{SVG_NS}}}g") if e.get("id")}
    layer = None
    for spot in found.cards:
        card = cards.get(spot.touchpoint_id)
        if card is None:
            continue
        group = groups.get(f"card-{spot.touchpoint_id}")
        if group is None:  # an SVG without layers: a group over the card, on top
            if layer is None:
                layer = ET.SubElement(root, f"{{{SVG_NS}}}g", {"class": "hotspots"})
            group = ET.SubElement(layer, f"{{{SVG_NS}}}g", {"id": f"card-{spot.touchpoint_id}"})
        # The outline that hover and focus draw, the same whatever drew the card.
        ET.SubElement(group, f"{{{SVG_NS}}}rect", {
            "x": f"{spot.x:.1f}", "y": f"{spot.y:.1f}", "width": f"{spot.width:.1f}",
            "height": f"{spot.height:.1f}", "rx": "6", "class": "hotspot"})
        group.set("class", (group.get("class", "") + " card").strip())
        group.set("tabindex", "0")
        group.set("role", "button")
        group.set("data-card", spot.touchpoint_id)
        group.set("aria-label", xml_safe(_card_label(card)))
        group.set("aria-describedby", f"evidence-{found.segment_id}")
    return _no_slashes(ET.tostring(root, encoding="unicode"))


def _no_slashes(svg: str) -> str:
    """"/" in the map's texts and labels as a character reference: a name that is a web
    address stays one on screen without putting a URL into the file. In serialised XML a
    text node is what lies between ">" and "<" (both escaped inside text)."""
    svg = re.sub(r">([^<]+)<", lambda m: ">" + m.group(1).replace("/", "&#47;") + "<", svg)
    return re.sub(r'(aria-label=")([^"]*)"',
                  lambda m: m.group(1) + m.group(2).replace("/", "&#47;") + '"', svg)


# -- data ---------------------------------------------------------------------------------


def _cards(project: Project, figures: Figures, segment_id: str) -> dict[str, dict[str, Any]]:
    """What the evidence panel shows of each card: each value with its n and the file it was
    imported from, competitors' values, the notes for and against, the attribution."""
    files = {i.id: i.file_name for i in project.imports}
    exported = segment_dict(project, segment_id)
    out = {}
    for tp in exported["touchpoints"]:
        def shown(key: str, o: dict[str, Any]) -> dict[str, Any]:
            metric = metric_for(project, key)
            return {"key": key, "label": metric.label, "value": fmt_value(o["value"], metric),
                    "n": o.get("n"), "period": o.get("period") or "",
                    "file": files.get(o.get("import") or "", "typed in")}

        out[tp["id"]] = {
            "name": tp["name"], "stage": tp["stage"] or "", "channel": tp["channel"] or "",
            "verdict": "weak" if tp["weak"] else ("watch" if tp["watch"] else ""),
            "reasons": tp["reasons"],
            "metrics": [shown(k, o) for k, o in sorted(tp["metrics"].items())],
            "competitors": [{"name": name, **shown(k, o)}
                            for name, values in sorted(tp["competitors"].items())
                            for k, o in sorted(values.items())],
            "pluses": tp["pluses"], "minuses": tp["minuses"], "votes": tp["votes"],
            "sales_lost": None if tp.get("sales_lost") is None else count(tp["sales_lost"]),
            "value_at_stake": None if tp.get("value_at_stake") is None
            else figures.money(tp["value_at_stake"]),
        }
    return out


def data_json(value: Any) -> str:
    """JSON for a <script type="application/json">: no "</script>", "<!--" or "]]>" can
    end or bend the element, and no URL appears in the file."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("/", "\\/"),
                        ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, escaped)
    return text


def esc(text: object) -> str:
    """Text for the HTML: escaped, and "/" as a character reference so that no name makes a
    URL appear in the file."""
    return html.escape(xml_safe(str(text)), quote=True).replace("/", "&#47;")


# -- the page -----------------------------------------------------------------------------


def _weak_list(rows: Sequence[WeakRow], money: Any, none: str) -> str:
    if not rows:
        return f'<p class="muted">In this segment: {esc(none)}.</p>'
    items = []
    for r in rows:
        figures = []
        if r.sales_lost is not None:
            figures.append(f"sales lost {esc(count(r.sales_lost))}")
        if r.value_at_stake is not None:
            figures.append(f"at stake {esc(money(r.value_at_stake))}")
        reasons = "".join(f"<li>{esc(x)}</li>" for x in r.reasons)
        items.append(
            f'<li><span class="tag {r.verdict}">{r.verdict}</span> '
            f'<button type="button" class="to-card" data-card="{esc(r.touchpoint_id)}">'
            f"{esc(r.name)}</button>"
            + (f' <span class="muted">{esc(r.stage)}</span>' if r.stage else "")
            + (f'<div class="figures">{" · ".join(figures)}</div>' if figures else "")
            + f"<ul>{reasons}</ul></li>")
    return f'<ol class="weak-list">{"".join(items)}</ol>'


def _plan(rows: Sequence[ActionRow], money: Any) -> str:
    if not rows:
        return '<p class="muted">No actions in the plan yet.</p>'
    head = ("Action", "For", "Owner", "Due", "Status", "Effort", "Votes", "Value at stake")
    body = "".join(
        "<tr>" + "".join(f"<td{' class=num' if i >= 6 else ''}>{esc(v)}</td>" for i, v in
                         enumerate((a.title, a.for_, a.owner or NONE, a.due or NONE, a.status,
                                    a.effort or NONE, a.votes, money(a.value_at_stake))))
        + "</tr>" for a in rows)
    cols = "".join(f'<th scope="col"{" class=num" if i >= 6 else ""}>{h}</th>'
                   for i, h in enumerate(head))
    return (f'<div class="table-wrap"><table class="plan"><thead><tr>{cols}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def page_bytes(project: Project, maps: Sequence[MapSvg], date: dt.date) -> bytes:
    """The page for these segments' maps (in tab order)."""
    figures = Figures(project)
    names = {s.id: s.name for s in project.segments}
    tabs, panels, data = [], [], {}
    for index, found in enumerate(maps):
        sid = found.segment_id
        cards = _cards(project, figures, sid)
        data[sid] = cards
        selected = index == 0
        colour = segment_hex(project, sid).lstrip("#")
        tabs.append(f'<button role="tab" id="tab-{esc(sid)}" aria-controls="panel-{esc(sid)}" '
                    f'aria-selected="{"true" if selected else "false"}" '
                    f'tabindex="{0 if selected else -1}" style="--seg:#{colour}">'
                    f"{esc(names[sid])}</button>")
        svg = inline_svg(found, index, cards, names[sid])
        panels.append(
            f'<section role="tabpanel" id="panel-{esc(sid)}" aria-labelledby="tab-{esc(sid)}"'
            f' style="--seg:#{colour}"{"" if selected else " hidden"}>'
            f'<div class="layout"><div class="map">{svg}</div><aside>'
            f'<section class="evidence" id="evidence-{esc(sid)}" aria-live="polite">'
            f'<h2>Evidence</h2><p class="muted">Point at, tap or Tab to a card to see the '
            f"values behind it.</p></section>"
            f"<section><h2>Weak touchpoints</h2>"
            f"{_weak_list(weak_rows(figures, sid), figures.money, no_weak_rows(project, sid))}"
            "</section>"
            f"</aside></div></section>")
    plan = _plan(action_rows(figures, [m.segment_id for m in maps]), figures.money)
    script = resource("html", "share.js").read_text(encoding="utf-8")
    style = resource("html", "share.css").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
              "img-src data:; font-src data:; connect-src 'none'; form-action 'none'; "
              "base-uri 'none'")
    title = esc(project.name)
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} · customer journeys</title><style>{style}</style></head><body>"
        f"<header><h1>{title}</h1><p class=\"muted\">Customer journeys · "
        f"{date.isoformat()} · made with JourneyMapper</p></header><main>"
        f'<div role="tablist" aria-label="Segments">{"".join(tabs)}</div>{"".join(panels)}'
        f'<section class="plan-section"><h2>Action plan</h2>{plan}</section></main>'
        f'<script type="application/json" id="jm-data">{data_json(data)}</script>'
        f"<script>{script}</script></body></html>\n")
    return page.encode("utf-8")
