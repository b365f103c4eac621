// The side panel: details of the selection, findings, metrics, opportunities.

import { buildIndex } from "./ops.js";
import { formatDuration, freshId, h, meanSeconds, svg } from "./dom.js";
import { stepTitle } from "./grid.js";

const CHANNELS = ["in-person", "phone", "email", "chat", "web", "app", "kiosk", "mail", "self-service"];
const STATUSES = ["idea", "planned", "in-progress", "done"];

function field(label, control, hint) {
  const id = `sl-f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h("div", { class: "sl-field" }, h("label", { for: id }, label), control,
    hint ? h("div", { class: "sl-hint" }, hint) : null);
}

// An input that commits on change; `parse` turns its text into the value to set.
function input(value, { readOnly, onCommit, type = "text", placeholder, list }) {
  const control = h("input", { type, value: value ?? "", placeholder, list, readonly: readOnly ? true : null });
  control.addEventListener("change", () => onCommit(control.value, control));
  control.addEventListener("keydown", (event) => {
    if (event.key === "Enter") control.blur();
    event.stopPropagation();
  });
  return control;
}

function select(value, options, { readOnly, onCommit }) {
  const control = h("select", { disabled: readOnly ? true : null },
    options.map(([optionValue, label]) => h("option", { value: optionValue, selected: String(value ?? "") === optionValue ? true : null }, label)));
  control.addEventListener("change", () => onCommit(control.value, control));
  control.addEventListener("keydown", (event) => event.stopPropagation());
  return control;
}

function textarea(value, { readOnly, onCommit, rows = 2 }) {
  const control = h("textarea", { rows, readonly: readOnly ? true : null });
  control.value = value ?? "";
  control.addEventListener("change", () => onCommit(control.value, control));
  control.addEventListener("keydown", (event) => event.stopPropagation());
  return control;
}

const blankToNull = (text) => (text.trim() === "" ? null : text.trim());

export class Panel {
  constructor(root, editor) {
    this.root = root;
    this.editor = editor;
    this.tab = "details";
    this.insights = { findings: [], metrics: null };
  }

  set(op, control) {
    const error = this.editor.apply(op);
    if (control) {
      control.classList.toggle("is-invalid", Boolean(error));
      control.setAttribute("aria-invalid", error ? "true" : "false");
      control.title = error || "";
    }
    return error;
  }

  render() {
    // Someone typing in a field keeps it: redraw once they leave it.
    const active = document.activeElement;
    if (active && this.root.contains(active) && active.matches("input, textarea, select")) {
      if (!this.waiting) {
        this.waiting = true;
        this.root.addEventListener("focusout", () => setTimeout(() => { this.waiting = false; this.render(); }), { once: true });
      }
      return;
    }
    const tabs = [["details", "Details"], ["findings", `Findings${this.insights.findings.length ? ` (${this.insights.findings.length})` : ""}`],
      ["metrics", "Metrics"], ["opportunities", "Opportunities"]];
    const nav = h("div", { class: "sl-tabs", role: "tablist" }, tabs.map(([id, label]) => h("button", {
      role: "tab", "aria-selected": this.tab === id ? "true" : "false", class: this.tab === id ? "is-active" : "",
      dataset: { tab: id }, onclick: () => { this.tab = id; this.render(); },
    }, label)));
    const body = h("div", { class: "sl-tab-body", role: "tabpanel" });
    const doc = this.editor.doc.view;
    if (this.tab === "details") body.append(this.details(doc));
    if (this.tab === "findings") body.append(this.findings());
    if (this.tab === "metrics") body.append(this.metrics(doc));
    if (this.tab === "opportunities") body.append(this.opportunities(doc));
    this.root.replaceChildren(nav, body);
  }

  details(doc) {
    const index = buildIndex(doc);
    const selection = [...this.editor.view.selection];
    if (selection.length > 1) {
      return h("div", { class: "sl-empty" }, `${selection.length} selected. Press Delete to remove them, Ctrl+C to copy.`);
    }
    const id = selection[0];
    const readOnly = !this.editor.view.canEdit;
    if (id && index.cards.has(id)) return this.cardForm(index.cards.get(id), readOnly);
    if (id && index.links.has(id)) return this.linkForm(index.links.get(id), index, readOnly);
    if (id && index.steps.has(id)) {
      const { step } = index.steps.get(id);
      return h("div", {}, h("h3", {}, "Step"), field("Title", input(step.title, { readOnly, placeholder: stepTitle(step),
        onCommit: (v, c) => this.set({ op: "set", target: step.id, field: "title", value: blankToNull(v) }, c) }),
      "Leave empty to use the customer action's text."));
    }
    return this.blueprintForm(doc, readOnly);
  }

  blueprintForm(doc, readOnly) {
    const set = (name, parse = blankToNull) => (v, c) => this.set({ op: "set", target: null, field: name, value: parse(v) }, c);
    return h("div", {}, h("h3", {}, "Blueprint"),
      field("Title", input(doc.title, { readOnly, onCommit: set("title", (v) => v.trim()) })),
      field("Scenario", input(doc.scenario, { readOnly, onCommit: set("scenario") })),
      field("Persona", input(doc.persona, { readOnly, onCommit: set("persona") })),
      field("State", select(doc.state || "current", [["current", "Current state"], ["future", "Future state"]],
        { readOnly, onCommit: set("state", (v) => v) })),
      field("Tolerance", input(doc.tolerance ? formatDuration(doc.tolerance) : "", { readOnly, placeholder: "e.g. 2h",
        onCommit: set("tolerance") }), "The total time the customer will accept (Shostack)."),
      h("p", { class: "sl-hint" }, "Select a card to edit its details. Double-click a cell to add a card."));
  }

  cardForm(place, readOnly) {
    const { card, step, lane } = place;
    const set = (name, parse = blankToNull) => (v, c) => this.set({ op: "set", target: card.id, field: name, value: parse(v) }, c);
    const number = (v) => (v.trim() === "" ? null : Number(v));
    const fail = card.fail || {};
    const setFail = (key, parse = blankToNull) => (v, c) => {
      const next = { ...fail, [key]: parse(v) };
      for (const k of Object.keys(next)) if (next[k] === null) delete next[k];
      this.set({ op: "set", target: card.id, field: "fail", value: next.text ? next : null }, c);
    };
    const emotions = [["", "—"], ["-2", "−2 very negative"], ["-1", "−1 negative"], ["0", "0 neutral"], ["1", "+1 positive"], ["2", "+2 very positive"]];
    return h("div", { class: "sl-card-form" },
      h("h3", {}, "Card"), h("div", { class: "sl-hint" }, `${stepTitle(step)} · ${lane} · ${card.id}`),
      field("Text", textarea(card.text, { readOnly, onCommit: set("text", (v) => v.trim()) })),
      h("div", { class: "sl-row" },
        field("Actor", input(card.actor, { readOnly, list: "sl-actors", onCommit: set("actor") })),
        field("Department", input(card.department, { readOnly, list: "sl-departments", onCommit: set("department") }))),
      h("datalist", { id: "sl-channels" }, CHANNELS.map((c) => h("option", { value: c }))),
      field("Channel", input(card.channel, { readOnly, list: "sl-channels", onCommit: set("channel") })),
      h("div", { class: "sl-row" },
        field("Duration", input(typeof card.duration === "number" ? formatDuration(card.duration) : card.duration ? `~${formatDuration(meanSeconds(card.duration))}` : "",
          { readOnly: readOnly || typeof card.duration === "object", placeholder: "4m", onCommit: set("duration") })),
        field("Wait", input(card.wait ? formatDuration(card.wait) : "", { readOnly, placeholder: "8m", onCommit: set("wait") })),
        field("Cost", input(card.cost ?? "", { readOnly, type: "number", onCommit: set("cost", number) }))),
      h("fieldset", { class: "sl-fail" }, h("legend", {}, "Fail point"),
        field("What can go wrong", input(fail.text, { readOnly, onCommit: setFail("text") })),
        field("Recovery", input(fail.recovery, { readOnly, placeholder: "The fail-safe", onCommit: setFail("recovery") })),
        h("div", { class: "sl-row" },
          field("Severity", select(fail.severity ?? "", [["", "—"], ...[1, 2, 3, 4, 5].map((n) => [String(n), String(n)])],
            { readOnly: readOnly || !fail.text, onCommit: setFail("severity", number) })),
          field("Likelihood", select(fail.likelihood ?? "", [["", "—"], ...[1, 2, 3, 4, 5].map((n) => [String(n), String(n)])],
            { readOnly: readOnly || !fail.text, onCommit: setFail("likelihood", number) })))),
      h("div", { class: "sl-row" },
        field("Emotion", select(card.emotion ?? "", emotions, { readOnly, onCommit: set("emotion", number) })),
        field("Basis", select(card.basis || "assumed", [["observed", "Observed"], ["assumed", "Assumed"], ["proposed", "Proposed"]],
          { readOnly, onCommit: set("basis", (v) => v) }))),
      field("Pain point", input(card.pain, { readOnly, onCommit: set("pain") })),
      field("Tags", input((card.tags || []).join(", "), { readOnly, placeholder: "comma, separated",
        onCommit: set("tags", (v) => v.split(",").map((t) => t.trim()).filter(Boolean)) })),
      field("Notes", textarea(card.notes, { readOnly, rows: 3, onCommit: set("notes") })),
      readOnly ? null : h("button", { class: "sl-danger", onclick: () => this.editor.deleteSelection() }, "Delete card"));
  }

  linkForm(link, index, readOnly) {
    const key = `${link.from}->${link.to}`;
    const text = (id) => (index.cards.has(id) ? index.cards.get(id).card.text : id);
    return h("div", {}, h("h3", {}, "Link"),
      h("p", {}, `${text(link.from)} ${link.two_way ? "⇄" : "→"} ${text(link.to)}`),
      field("Label", input(link.label, { readOnly, onCommit: (v, c) => this.set({ op: "set", target: key, field: "label", value: blankToNull(v) }, c) })),
      h("label", { class: "sl-check" }, (() => {
        const box = h("input", { type: "checkbox", checked: link.two_way ? true : null, disabled: readOnly ? true : null });
        box.addEventListener("change", () => this.set({ op: "set", target: key, field: "two_way", value: box.checked }, box));
        return box;
      })(), " Two-way (codependency)"),
      readOnly ? null : h("button", { class: "sl-danger", onclick: () => this.editor.deleteSelection() }, "Delete link"));
  }

  findings() {
    const list = this.insights.findings;
    if (!list.length) return h("div", { class: "sl-empty" }, this.insights.pending ? "Checking…" : "No findings: nothing to fix.");
    return h("ol", { class: "sl-findings" }, list.map((finding) => h("li", { class: `sl-finding sl-${finding.severity}` },
      h("button", { class: "sl-finding-button", onclick: () => this.editor.reveal(finding) },
        h("span", { class: "sl-severity" }, finding.severity), " ", finding.message,
        finding.fix ? h("span", { class: "sl-hint" }, ` ${finding.fix}`) : null))));
  }

  metrics(doc) {
    const steps = doc.stages.flatMap((stage) => stage.steps.map((step) => ({ stage, step })));
    const emotions = steps.map(({ step }) => ((step.cells || {}).customer || []).find((c) => c.emotion !== undefined && c.emotion !== null))
      .map((card) => (card ? card.emotion : null));
    const visible = new Set(doc.lanes.filter((l) => l.visible).map((l) => l.id));
    const perStage = doc.stages.map((stage) => ({
      title: stage.title,
      seconds: stage.steps.reduce((sum, step) => sum + Object.entries(step.cells || {}).filter(([lane]) => visible.has(lane))
        .flatMap(([, cards]) => cards).reduce((s, c) => s + (c.wait || 0) + meanSeconds(c.duration), 0), 0),
    }));
    const total = perStage.reduce((s, x) => s + x.seconds, 0);
    const fails = steps.flatMap(({ step }) => Object.values(step.cells || {}).flat().filter((c) => c.fail)
      .map((c) => ({ card: c, risk: (c.fail.severity || 3) * (c.fail.likelihood || 3) }))).sort((a, b) => b.risk - a.risk);
    const width = 280;
    const curve = svg("svg", { viewBox: `0 0 ${width} 90`, class: "sl-curve", role: "img", "aria-label": "Emotion curve" });
    curve.append(svg("line", { x1: 0, x2: width, y1: 45, y2: 45, class: "sl-axis" }));
    const points = emotions.map((e, i) => (e === null ? null : [steps.length > 1 ? (i * width) / (steps.length - 1) : width / 2, 45 - e * 20]))
      .filter(Boolean);
    if (points.length) curve.append(svg("polyline", { points: points.map((p) => p.join(",")).join(" "), class: "sl-curve-line" }));
    for (const [x, y] of points) curve.append(svg("circle", { cx: x, cy: y, r: 3, class: "sl-curve-dot" }));
    const max = Math.max(doc.tolerance || 0, ...perStage.map((s) => s.seconds), 1);
    return h("div", { class: "sl-metrics" },
      h("h3", {}, "Emotion curve"), curve,
      h("h3", {}, "Customer-facing time by stage"),
      h("ul", { class: "sl-bars" }, perStage.map((s) => h("li", {}, h("span", { class: "sl-bar-label" }, s.title),
        h("span", { class: "sl-bar", style: { width: `${(100 * s.seconds) / max}%` } }), h("span", { class: "sl-bar-value" }, formatDuration(s.seconds) || "0m")))),
      h("p", { class: total > (doc.tolerance || Infinity) ? "sl-over" : "" },
        `Total ${formatDuration(total) || "0m"}${doc.tolerance ? ` of a ${formatDuration(doc.tolerance)} tolerance` : " (no tolerance set)"}`),
      h("h3", {}, "Fail points by risk"),
      fails.length ? h("ol", { class: "sl-risks" }, fails.map(({ card, risk }) => h("li", {},
        h("button", { class: "sl-finding-button", onclick: () => this.editor.reveal({ card: card.id }) },
          h("strong", {}, String(risk)), ` ${card.fail.text}`, card.fail.recovery ? "" : " — no recovery")))) : h("p", { class: "sl-empty" }, "No fail points yet."));
  }

  opportunities(doc) {
    const readOnly = !this.editor.view.canEdit;
    const list = doc.opportunities || [];
    const index = buildIndex(doc);
    const items = list.map((o) => h("li", { class: "sl-opportunity" },
      h("div", { class: "sl-opportunity-title" }, o.title),
      h("div", { class: "sl-hint" }, `${(o.targets || []).map((t) => (index.cards.has(t) ? index.cards.get(t).card.text : t)).join(", ") || "no targets"}`),
      h("div", { class: "sl-row" },
        field("Status", select(o.status || "idea", STATUSES.map((s) => [s, s]), { readOnly,
          onCommit: (v, c) => this.set({ op: "set", target: o.id, field: "status", value: v }, c) })),
        field("Value", select(o.value ?? "", [["", "—"], ...[1, 2, 3, 4, 5].map((n) => [String(n), String(n)])], { readOnly,
          onCommit: (v, c) => this.set({ op: "set", target: o.id, field: "value", value: v ? Number(v) : null }, c) })),
        field("Effort", select(o.effort ?? "", [["", "—"], ...[1, 2, 3, 4, 5].map((n) => [String(n), String(n)])], { readOnly,
          onCommit: (v, c) => this.set({ op: "set", target: o.id, field: "effort", value: v ? Number(v) : null }, c) }))),
      readOnly ? null : h("button", { class: "sl-link-button", onclick: () => this.set({ op: "remove_opportunity", id: o.id }) }, "Remove")));
    const form = readOnly ? null : (() => {
      const title = h("input", { type: "text", placeholder: "A new opportunity", "aria-label": "New opportunity title" });
      const add = () => {
        if (!title.value.trim()) return;
        const cards = [...this.editor.view.selection].filter((id) => index.cards.has(id));
        const taken = new Set([...index.cards.keys(), ...index.steps.keys(), ...index.stages.keys(), ...index.opportunities.keys(), ...index.lanes.keys()]);
        this.set({ op: "add_opportunity", opportunity: { id: freshId(title.value, taken), title: title.value.trim(), targets: cards, status: "idea" } });
      };
      title.addEventListener("keydown", (event) => { event.stopPropagation(); if (event.key === "Enter") add(); });
      return h("div", { class: "sl-field" }, title, h("button", { onclick: add }, "Add"),
        h("div", { class: "sl-hint" }, "It targets the cards you have selected."));
    })();
    return h("div", {}, form, items.length ? h("ul", { class: "sl-opportunities" }, items) : h("p", { class: "sl-empty" }, "No opportunities yet."));
  }
}
