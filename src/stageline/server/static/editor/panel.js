// @ts-check
// The side panel: details of the selection, findings, metrics, opportunities.

import { buildIndex } from "./ops.js";
import { formatDuration, freshId, h, meanSeconds, svg } from "./dom.js";
import { stepTitle } from "./grid.js";

const CHANNELS = ["in-person", "phone", "email", "chat", "web", "app", "kiosk", "mail", "self-service"];
const STATUSES = ["idea", "planned", "testing", "done", "dropped"];

// An opportunity's status takes a row of its own: "in-progress" is never cut.
function statusField(control) {
  const element = field("Status", control);
  element.classList.add("sl-field-status");
  return element;
}

function field(label, control, hint) {
  const id = `sl-f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h("div", { class: "sl-field" }, h("label", { for: id }, label), control,
    hint ? h("div", { class: "sl-hint" }, hint) : null);
}

/**
 * @typedef {{readOnly?: boolean, onCommit: (value: string, control: any) => any, type?: string, placeholder?: string, list?: string, rows?: number}} ControlOptions
 */

// An input that commits on change; `parse` turns its text into the value to set.
/** @param {any} value @param {ControlOptions} options */
function input(value, { readOnly, onCommit, type = "text", placeholder, list }) {
  const control = h("input", { type, value: value ?? "", placeholder, list, readonly: readOnly ? true : null });
  control.addEventListener("change", () => onCommit(control.value, control));
  control.addEventListener("keydown", (event) => {
    if (event.key === "Enter") control.blur();
    event.stopPropagation();
  });
  return control;
}

/** @param {any} value @param {string[][]} options @param {ControlOptions} settings */
function select(value, options, { readOnly, onCommit }) {
  const control = h("select", { disabled: readOnly ? true : null },
    options.map(([optionValue, label]) => h("option", { value: optionValue, selected: String(value ?? "") === optionValue ? true : null }, label)));
  control.addEventListener("change", () => onCommit(control.value, control));
  control.addEventListener("keydown", (event) => event.stopPropagation());
  return control;
}

/** @param {any} value @param {ControlOptions} options */
function textarea(value, { readOnly, onCommit, rows = 2 }) {
  const control = h("textarea", { rows, readonly: readOnly ? true : null });
  control.value = value ?? "";
  control.addEventListener("change", () => onCommit(control.value, control));
  control.addEventListener("keydown", (event) => event.stopPropagation());
  return control;
}

const blankToNull = (text) => (text.trim() === "" ? null : text.trim());

// "just now", "5 min ago", "3 h ago", then the date.
function ago(iso) {
  const seconds = (Date.now() - new Date(iso).getTime()) / 1000;
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

export class Panel {
  constructor(root, editor) {
    this.root = root;
    this.editor = editor;
    this.tab = "details";
    this.insights = { findings: [], metrics: null };
    this.drafts = new Map(); // unsent comments by composer
    this.focus = null; // the cell ("step|lane") whose findings are listed first
  }

  // Several cards at once: a field set here is set on each of them (one undoable change).
  bulkForm(cards, count) {
    const readOnly = !this.editor.view.canEdit;
    const intro = h("p", { class: "sl-hint" }, `${count} selected. Press Delete to remove them, Ctrl+C to copy; drag one to move them all.`);
    if (!cards.length || readOnly) return h("div", {}, intro);
    const shared = (name) => (cards.every((card) => (card[name] ?? "") === (cards[0][name] ?? "")) ? cards[0][name] ?? "" : "");
    const mixed = (name) => (cards.every((card) => (card[name] ?? "") === (cards[0][name] ?? "")) ? undefined : "(several values)");
    const setAll = (name) => (value, control) => {
      const ops = cards.map((card) => ({ op: "set", target: card.id, field: name, value: blankToNull(value) }));
      return this.set(ops.length === 1 ? ops[0] : { op: "batch", ops }, control);
    };
    return h("div", { class: "sl-bulk" }, h("h3", {}, `${cards.length} cards`), intro,
      field("Actor", input(shared("actor"), { placeholder: mixed("actor"), list: "sl-actors", onCommit: setAll("actor") })),
      field("Department", input(shared("department"), { placeholder: mixed("department"), list: "sl-departments", onCommit: setAll("department") })),
      field("Channel", input(shared("channel"), { placeholder: mixed("channel"), list: "sl-channels", onCommit: setAll("channel") })),
      h("p", { class: "sl-hint" }, "Leave a field empty to clear it on every selected card."));
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

  render(force = false) {
    // Someone typing in a field keeps it: redraw once they leave it.
    const active = document.activeElement;
    if (!force && active && this.root.contains(active) && active.matches("input, textarea, select")) {
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
    if (this.tab === "metrics") body.append(this.metrics());
    if (this.tab === "opportunities") body.append(this.opportunities(doc));
    this.root.replaceChildren(nav, body);
  }

  // The store's index (cached per version) when `doc` is the store's document.
  /** @param {any} doc */
  index(doc) {
    return doc === this.editor.store.doc ? this.editor.store.index() : buildIndex(doc);
  }

  details(doc) {
    const index = this.index(doc);
    const selection = [...this.editor.view.selection];
    if (selection.length > 1) return this.bulkForm(selection.filter((id) => index.cards.has(id)).map((id) => index.cards.get(id).card), selection.length);
    const id = selection[0];
    const readOnly = !this.editor.view.canEdit;
    // Those who cannot edit see the conversation first, the details after it.
    const withComments = (form) => {
      const comments = this.comments(id);
      return h("div", {}, ...(readOnly ? [comments, form] : [form, comments]));
    };
    if (id && index.cards.has(id)) return withComments(this.cardForm(index.cards.get(id), readOnly));
    if (id && index.links.has(id)) return this.linkForm(index.links.get(id), index, readOnly);
    if (id && index.steps.has(id)) {
      const { step } = index.steps.get(id);
      return withComments(h("div", {}, h("h3", {}, "Step"), field("Title", input(step.title, { readOnly, placeholder: stepTitle(step),
        onCommit: (v, c) => this.set({ op: "set", target: step.id, field: "title", value: blankToNull(v) }, c) }),
      "Leave empty to use the customer action's text.")));
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
          { readOnly: readOnly || typeof card.duration === "object", placeholder: "e.g. 4m", onCommit: set("duration") })),
        field("Wait", input(card.wait ? formatDuration(card.wait) : "", { readOnly, placeholder: "e.g. 8m", onCommit: set("wait") })),
        field("Cost", input(card.cost ?? "", { readOnly, type: "number", onCommit: set("cost", number) }))),
      h("fieldset", { class: "sl-fail" }, h("legend", {}, "Fail point"),
        field("What can go wrong", input(fail.text, { readOnly, onCommit: setFail("text") })),
        field("Recovery", input(fail.recovery, { readOnly, placeholder: "How it is put right", onCommit: setFail("recovery") })),
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

  // Comment threads on a card or step: everyone who can see the blueprint reads
  // them; commenters, editors and owners write, reply, resolve and reopen.
  comments(anchor) {
    const talk = this.editor.comments;
    if (!talk) return null;
    const canComment = this.editor.canComment;
    const threads = talk.threads.filter((thread) => thread.anchor === anchor);
    const open = threads.filter((thread) => !thread.resolved);
    const resolved = threads.filter((thread) => thread.resolved);
    const section = h("section", { class: "sl-comments", "aria-label": "Comments" },
      h("h3", {}, open.length ? `Comments (${open.length} open)` : "Comments"));
    if (!talk.loaded) section.append(h("p", { class: "sl-empty" }, "Loading comments…"));
    for (const thread of open) section.append(this.thread(thread, canComment));
    if (resolved.length) {
      section.append(h("details", { class: "sl-resolved" }, h("summary", {}, `${resolved.length} resolved`),
        resolved.map((thread) => this.thread(thread, canComment))));
    }
    if (canComment) {
      section.append(this.composer(`new:${anchor}`, "Comment on this… (@name to mention someone)", "Comment",
        (body) => this.editor.comment("start", { anchor, body }), "sl-new-comment"));
    } else if (talk.loaded && !threads.length) {
      section.append(h("p", { class: "sl-empty" }, "No comments yet."));
    }
    return section;
  }

  thread(thread, canComment) {
    return h("div", { class: `sl-thread${thread.resolved ? " is-resolved" : ""}`, dataset: { thread: thread.id } },
      thread.comments.map((comment) => h("div", { class: "sl-comment" },
        h("div", { class: "sl-comment-head" },
          h("strong", {}, comment.author ? comment.author.display_name : "Someone who left"),
          h("time", { class: "sl-hint", datetime: comment.created_at, title: new Date(comment.created_at).toLocaleString() },
            ago(comment.created_at))),
        h("p", { class: "sl-comment-body" }, comment.body))),
      canComment ? h("div", { class: "sl-thread-actions" },
        thread.resolved ? null : this.composer(`reply:${thread.id}`, "Reply…", "Reply", (body) => this.editor.comment("reply", { thread: thread.id, body }), "sl-reply"),
        h("button", { class: "sl-link-button", dataset: { resolve: thread.id },
          onclick: () => this.editor.comment("resolve", { thread: thread.id, resolved: !thread.resolved }) },
        thread.resolved ? "Reopen" : "Resolve")) : null);
  }

  // A text box that sends; what is typed survives redraws until it is sent.
  composer(key, placeholder, label, send, className) {
    const box = h("textarea", { rows: 2, placeholder, "aria-label": placeholder, class: className });
    box.value = this.drafts.get(key) || "";
    box.addEventListener("input", () => this.drafts.set(key, box.value));
    const button = h("button", { class: "sl-tool", type: "button" }, label);
    const submit = async () => {
      const body = box.value.trim();
      if (!body) { box.focus(); return; }
      button.disabled = true;
      this.drafts.delete(key); // sent: the redraw after it shows an empty box
      box.value = "";
      box.blur();
      if (!(await send(body))) {
        this.drafts.set(key, body); // kept for another try
        box.value = body;
        this.render();
      }
      button.disabled = false;
    };
    box.addEventListener("keydown", (event) => {
      event.stopPropagation();
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); submit(); }
    });
    button.addEventListener("click", submit);
    return h("div", { class: "sl-composer" }, box, h("div", { class: "sl-composer-actions" },
      h("span", { class: "sl-hint" }, "Ctrl+Enter to send"), button));
  }

  findings() {
    const list = this.insights.findings;
    if (!list.length) return h("div", { class: "sl-empty" }, this.insights.pending ? "Checking…" : "No findings: nothing to fix.");
    const here = (finding) => this.focus && this.focus === `${finding.step}|${finding.lane || (finding.step ? "customer" : "")}`;
    return h("ol", { class: "sl-findings" }, list.map((finding) => h("li", { class: `sl-finding sl-${finding.severity}${here(finding) ? " is-focused" : ""}` },
      h("button", { class: "sl-finding-button", onclick: () => this.editor.reveal(finding) },
        h("span", { class: "sl-severity" }, finding.severity), " ", finding.message,
        finding.fix ? h("span", { class: "sl-hint" }, ` ${finding.fix}`) : null))));
  }

  // The metrics of `stageline metrics` for the document on screen (from the server, as the findings).
  metrics() {
    const metrics = this.insights.metrics;
    if (!metrics || !metrics.totals) {
      return h("div", { class: "sl-empty" }, this.insights.pending ? "Measuring…" : "Metrics appear once the blueprint has been checked.");
    }
    const { totals } = metrics;
    const curvePoints = metrics.emotion_curve || [];
    const width = 280;
    const height = 96;
    const y = (emotion) => height / 2 - emotion * 20;
    const x = (i) => (curvePoints.length > 1 ? 8 + (i * (width - 16)) / (curvePoints.length - 1) : width / 2);
    const curve = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "sl-curve", role: "img",
      "aria-label": `Emotion curve over ${curvePoints.length} steps` });
    for (const level of [2, 0, -2]) {
      curve.append(svg("line", { x1: 0, x2: width, y1: y(level), y2: y(level), class: level === 0 ? "sl-axis" : "sl-grid-line" }));
    }
    const known = curvePoints.map((point, i) => ({ point, i })).filter(({ point }) => point.emotion !== null && point.emotion !== undefined);
    if (known.length > 1) {
      curve.append(svg("polyline", { points: known.map(({ point, i }) => `${x(i)},${y(point.emotion)}`).join(" "), class: "sl-curve-line" }));
    }
    for (const { point, i } of known) {
      const dot = svg("circle", { cx: x(i), cy: y(point.emotion), r: 3.5, class: `sl-curve-dot${point.emotion < 0 ? " is-low" : ""}` });
      const title = svg("title");
      title.textContent = `${point.title}: ${point.emotion > 0 ? "+" : ""}${Math.round(point.emotion * 10) / 10}${point.pain.length ? ` — ${point.pain.join("; ")}` : ""}`;
      dot.append(title);
      curve.append(dot);
    }
    const tolerance = totals.tolerance || 0;
    const stages = metrics.stages || [];
    const scale = Math.max(tolerance, totals.customer_time, ...stages.map((stage) => stage.customer_time), 1);
    const over = tolerance && totals.customer_time > tolerance;
    const bar = (label, seconds, extra = {}) => h("li", extra,
      h("span", { class: "sl-bar-label", title: label }, label),
      h("span", { class: "sl-bar-track" },
        h("span", { class: "sl-bar", style: { width: `${(100 * seconds) / scale}%` } }),
        tolerance ? h("span", { class: "sl-bar-limit", style: { left: `${(100 * tolerance) / scale}%` }, title: `Tolerance ${formatDuration(tolerance)}` }) : null),
      h("span", { class: "sl-bar-value" }, formatDuration(seconds) || "0m"));
    const fails = [...(metrics.fail_points || [])].sort((a, b) => b.risk - a.risk);
    const load = metrics.workload || [];
    const heaviest = Math.max(...load.map((actor) => actor.seconds), 1);
    const busy = (actor) => (actor.utilisation === null || actor.utilisation === undefined ? ""
      : ` · ${Math.round(100 * actor.utilisation)}% busy`);
    const worker = (actor) => h("li", {
      class: `sl-worker${actor.actor === metrics.bottleneck ? " is-bottleneck" : ""}${actor.utilisation >= 1 ? " is-over" : ""}`,
      dataset: { actor: actor.actor } },
    h("button", { class: "sl-bar-label", title: `Select the ${actor.cards} card${actor.cards === 1 ? "" : "s"} of ${actor.actor}`,
      onclick: () => this.editor.select(this.cardsOf(actor.actor)) }, actor.actor),
    h("span", { class: "sl-bar-track" }, h("span", { class: "sl-bar", style: { width: `${(100 * actor.seconds) / heaviest}%` } })),
    h("span", { class: "sl-bar-value", title: `${Math.round(100 * actor.share)}% of the ${actor.kind === "system" ? "systems'" : "people's"} work${busy(actor)}` },
      `${formatDuration(actor.seconds) || "0m"}${busy(actor)}`));
    return h("div", { class: "sl-metrics" },
      h("h3", {}, "Emotion curve"),
      curvePoints.length ? curve : h("p", { class: "sl-empty" }, "No steps yet."),
      known.length ? null : h("p", { class: "sl-hint" }, "Give customer cards an emotion (−2 to +2) to draw the curve."),
      h("h3", {}, "Time per stage against the tolerance"),
      h("ul", { class: "sl-bars" },
        stages.map((stage) => bar(stage.title, stage.customer_time)),
        bar("Total", totals.customer_time, { class: `sl-bar-total${over ? " is-over" : ""}` })),
      h("p", { class: over ? "sl-over" : "sl-hint" }, tolerance
        ? `The customer spends ${formatDuration(totals.customer_time) || "0m"} of a ${formatDuration(tolerance)} tolerance (${Math.round(100 * totals.customer_time / tolerance)}%)${over ? ": over it" : ""}, waiting ${formatDuration(totals.wait) || "0m"} of that.`
        : `The customer spends ${formatDuration(totals.customer_time) || "0m"}. Set a tolerance on the blueprint to compare.`),
      h("h3", {}, "Workload per customer"),
      load.length ? h("ul", { class: "sl-bars sl-workload" }, load.map(worker))
        : h("p", { class: "sl-empty" }, "Give cards an actor or a department and a duration to see who carries the work."),
      metrics.bottleneck ? h("p", { class: "sl-hint" }, `The busiest: ${metrics.bottleneck}.`) : null,
      h("h3", {}, "Fail points by risk"),
      fails.length ? h("ol", { class: "sl-risks" }, fails.map((fail) => h("li", {},
        h("button", { class: "sl-finding-button", dataset: { card: fail.card }, onclick: () => this.editor.reveal({ card: fail.card, step: fail.step, stage: fail.stage, lane: fail.lane }) },
          h("strong", { class: "sl-risk", title: `Severity ${fail.severity ?? "?"} × likelihood ${fail.likelihood ?? "?"}` }, String(fail.risk)), ` ${fail.text}`,
          h("span", { class: "sl-hint" }, fail.recovery ? ` — ${fail.card_text}` : " — no recovery")))))
        : h("p", { class: "sl-empty" }, "No fail points yet."));
  }

  /**
   * The cards an actor of the workload does (outside the customer's lane): its name as
   * the checks read it (case, dashes and dots aside), or the department of a card that
   * names no actor.
   * @param {string} name
   * @returns {string[]}
   */
  cardsOf(name) {
    const words = (text) => (text.toLowerCase().match(/[a-z0-9]+/g) || []).join(" ");  // as analysis/actors.py
    // A declared actor's aliases name it too (Roster.canonical): each alias read as the actor's name.
    /** @type {Map<string, string>} */
    const declared = new Map();
    for (const actor of this.editor.store.doc.actors || []) {
      for (const alias of [actor.name, ...(actor.aliases || [])]) declared.set(words(alias), words(actor.name));
    }
    const wanted = words(name);
    const ids = [];
    for (const [id, place] of this.editor.store.index().cards) {
      const { card } = place;
      if (place.lane === "customer") continue;
      const owner = card.actor && card.actor.trim() ? card.actor : card.department;
      if (owner && (declared.get(words(owner)) ?? words(owner)) === wanted) ids.push(id);
    }
    return ids;
  }

  opportunities(doc) {
    const readOnly = !this.editor.view.canEdit;
    const list = doc.opportunities || [];
    const index = this.index(doc);
    const selected = [...this.editor.view.selection].filter((id) => index.cards.has(id));
    const items = list.map((o) => h("li", { class: "sl-opportunity", dataset: { opportunity: o.id } },
      readOnly ? h("div", { class: "sl-opportunity-title" }, o.title)
        : field("Title", input(o.title, { onCommit: (v, c) => this.set({ op: "set", target: o.id, field: "title", value: v.trim() }, c) })),
      h("div", { class: "sl-hint" }, `Targets: ${(o.targets || []).map((t) => (index.cards.has(t) ? index.cards.get(t).card.text : t)).join(", ") || "none"}`),
      readOnly || !selected.length ? null : h("button", { class: "sl-link-button", dataset: { retarget: o.id },
        onclick: () => this.set({ op: "set", target: o.id, field: "targets", value: selected }) },
      `Target the ${selected.length} selected card${selected.length === 1 ? "" : "s"} instead`),
      h("div", { class: "sl-row" },
        statusField(select(o.status || "idea", STATUSES.map((s) => [s, s]), { readOnly,
          onCommit: (v, c) => this.set({ op: "set", target: o.id, field: "status", value: v }, c) })),
        field("Value", select(o.value ?? "", [["", "—"], ...[1, 2, 3, 4, 5].map((n) => [String(n), String(n)])], { readOnly,
          onCommit: (v, c) => this.set({ op: "set", target: o.id, field: "value", value: v ? Number(v) : null }, c) })),
        field("Effort", select(o.effort ?? "", [["", "—"], ...[1, 2, 3, 4, 5].map((n) => [String(n), String(n)])], { readOnly,
          onCommit: (v, c) => this.set({ op: "set", target: o.id, field: "effort", value: v ? Number(v) : null }, c) }))),
      // What it changes (simulated on the Opportunities board) and its plan: one change or several joined with ';'.
      field("Change", input((o.change || []).join("; "), { readOnly, placeholder: "Front desk clerk=+1; registration.duration=*0.5",
        onCommit: (v, c) => this.set({ op: "set", target: o.id, field: "change", value: v.split(";").map((x) => x.trim()).filter(Boolean) }, c) }),
      "What-if changes, as on the Simulate page"),
      field("Future state", input(o.future, { readOnly, placeholder: "Title of a linked future state",
        onCommit: (v, c) => this.set({ op: "set", target: o.id, field: "future", value: v.trim() || null }, c) })),
      h("div", { class: "sl-row" },
        ...["owner", "measure", "target"].map((name) => field(name[0].toUpperCase() + name.slice(1), input(o[name], { readOnly,
          onCommit: (v, c) => this.set({ op: "set", target: o.id, field: name, value: v.trim() || null }, c) }))),
        field("Due", input(o.due, { readOnly, type: "date",
          onCommit: (v, c) => this.set({ op: "set", target: o.id, field: "due", value: v || null }, c) }))),
      readOnly ? null : h("button", { class: "sl-link-button", onclick: () => this.set({ op: "remove_opportunity", id: o.id }) }, "Remove")));
    const form = readOnly ? null : (() => {
      const title = h("input", { type: "text", placeholder: "A new opportunity", "aria-label": "New opportunity title" });
      const add = () => {
        if (!title.value.trim()) return;
        const cards = [...this.editor.view.selection].filter((id) => index.cards.has(id));
        const taken = new Set([...index.cards.keys(), ...index.steps.keys(), ...index.stages.keys(), ...index.opportunities.keys(), ...index.lanes.keys()]);
        if (this.set({ op: "add_opportunity", opportunity: { id: freshId(title.value, taken), title: title.value.trim(), targets: cards, status: "idea" } })) return;
        this.render(true); // show it now, and stay in the box for the next one
        this.root.querySelector('[aria-label="New opportunity title"]')?.focus();
      };
      title.addEventListener("keydown", (event) => { event.stopPropagation(); if (event.key === "Enter") add(); });
      return h("div", { class: "sl-field" }, title, h("button", { onclick: add }, "Add"),
        h("div", { class: "sl-hint" }, "It targets the cards you have selected."));
    })();
    return h("div", {}, form, items.length ? h("ul", { class: "sl-opportunities" }, items) : h("p", { class: "sl-empty" }, "No opportunities yet."));
  }
}
