// The shared web page's behaviour (exporters/html_export.py): tabs and the evidence panel.
// Data is only ever written with textContent: no name becomes markup.
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("jm-data").textContent);
  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));

  function select(tab, focus) {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    }
    if (focus) tab.focus();
  }
  for (const tab of tabs) {
    tab.addEventListener("click", () => select(tab, false));
    tab.addEventListener("keydown", (event) => {
      const i = tabs.indexOf(tab);
      const next = {ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1}[event.key];
      if (next === undefined) return;
      event.preventDefault();
      select(tabs[(next + tabs.length) % tabs.length], true);
    });
  }

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  // Rows of [what, where it came from, value, n]: the source under its metric's name, so the
  // table fits a narrow panel.
  function table(head, rows) {
    const t = el("table");
    const hr = t.createTHead().insertRow();
    head.forEach((h, i) => { const th = el("th", h, i ? "num" : ""); th.scope = "col"; hr.append(th); });
    const body = t.createTBody();
    for (const [what, source, value, n] of rows) {
      const tr = body.insertRow();
      const first = el("td");
      first.append(el("span", what), el("span", source, "source"));
      tr.append(first, el("td", value, "num"), el("td", n, "num"));
    }
    return t;
  }
  function notes(panel, title, list) {
    if (!list.length) return;
    panel.append(el("h4", title));
    const ul = el("ul");
    for (const n of list) ul.append(el("li", n.source ? `${n.text} (${n.source})` : n.text));
    panel.append(ul);
  }

  function show(segment, id) {
    const card = (data[segment] || {})[id];
    const panel = document.getElementById(`evidence-${segment}`);
    if (!card || !panel) return;
    for (const node of document.querySelectorAll(`#panel-${CSS.escape(segment)} [data-card]`)) {
      node.classList.toggle("active", node.dataset.card === id);
    }
    panel.replaceChildren(el("h2", "Evidence"), el("h3", card.name));
    panel.append(el("p", [card.stage && `Stage: ${card.stage}`, card.channel && `channel: ${card.channel}`]
      .filter(Boolean).join(" · "), "muted"));
    if (card.verdict) {
      const p = el("p");
      p.append(el("span", card.verdict, `tag ${card.verdict}`));
      panel.append(p);
      const ul = el("ul");
      for (const r of card.reasons) ul.append(el("li", r));
      panel.append(ul);
    }
    if (card.sales_lost !== null || card.value_at_stake !== null) {
      panel.append(el("p", [card.sales_lost !== null && `Sales lost: ${card.sales_lost}`,
        card.value_at_stake !== null && `value at stake: ${card.value_at_stake}`]
        .filter(Boolean).join(" · "), "figures"));
    }
    if (card.metrics.length) {
      panel.append(el("h4", "Measured"));
      panel.append(table(["Metric and source", "Value", "n"], card.metrics.map(
        (m) => [m.label, m.period ? `${m.file}, ${m.period}` : m.file, m.value, m.n ?? "—"])));
    } else {
      panel.append(el("p", "No values measured for this touchpoint yet.", "muted"));
    }
    if (card.competitors.length) {
      panel.append(el("h4", "Competitors"));
      panel.append(table(["Competitor and source", "Value", "n"], card.competitors.map(
        (m) => [`${m.name}: ${m.label}`, m.file, m.value, m.n ?? "—"])));
    }
    notes(panel, "For it", card.pluses);
    notes(panel, "Against it", card.minuses);
    if (card.votes) panel.append(el("p", `${card.votes} vote${card.votes === 1 ? "" : "s"}`, "muted"));
  }

  for (const section of document.querySelectorAll('[role="tabpanel"]')) {
    const segment = section.id.slice("panel-".length);
    for (const node of section.querySelectorAll("[data-card]")) {
      const id = node.dataset.card;
      node.addEventListener("mouseenter", () => show(segment, id));
      node.addEventListener("focus", () => show(segment, id));
      node.addEventListener("click", () => show(segment, id));
      if (node.classList.contains("to-card")) {
        // A name in the weak list takes the keyboard to its card on the map.
        node.addEventListener("click", () => document.getElementById(`card-${id}`).focus());
      }
      if (node.getAttribute("role") === "button") {
        node.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            show(segment, id);
          }
        });
      }
    }
  }
})();
