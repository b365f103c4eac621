// The blueprint editor: a grid people edit directly, with every change sent as
// an operation of the model through a SharedDocument.
//
//   const editor = mountEditor(element, { doc, role, send, insights, presence });
//
// `doc` is a SharedDocument; `send(message)` hands a message to the
// connection; `insights(doc)` (optional) resolves to {findings, metrics} from
// the server's checks; `role` is owner | editor | commenter | viewer.

import { buildIndex, OpError } from "./ops.js";
import { freshId, h, svg } from "./dom.js";
import { invalidateItem, renderGrid, stepTitle } from "./grid.js";
import { drawLinks, restyleLinks } from "./links.js";
import { Minimap } from "./minimap.js";
import { Panel } from "./panel.js";

const EDIT_ROLES = new Set(["owner", "editor"]);
const COMMENT_ROLES = new Set(["owner", "editor", "commenter"]);
const CARDS_TYPE = "application/x-stageline-cards";
const ZOOMS = [0.4, 0.5, 0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 2];
// Fit never goes below this: smaller text is not readable (scroll for the rest).
const READABLE = 0.67;

export function mountEditor(root, options) {
  return new Editor(root, options);
}

export class Editor {
  constructor(root, { doc, role = "viewer", send = () => {}, insights = null, comments = null, onSelection = () => {}, onCursor = () => {},
    status = "" }) {
    this.root = root;
    this.doc = doc;
    this.send = send;
    this.insightsSource = insights;
    this.onSelection = onSelection;
    this.onCursor = onCursor;
    this.cursors = new Map(); // client id -> {pointer, typing} of others
    this.typingAt = null; // the card or cell ("step|lane") this person types in
    this.view = {
      selection: new Set(), cursor: null, collapsedStages: new Set(), collapsedLanes: new Set(), matches: null,
      findingsByCell: new Map(), remoteSelections: new Map(), canEdit: EDIT_ROLES.has(role), hover: null,
    };
    this.role = role;
    this.zoom = 1;
    this.editing = null; // an open inline editor
    this.clipboard = null;
    this.presence = new Map(); // client id -> {name, color, selection}
    this.canComment = COMMENT_ROLES.has(role);
    this.commentsApi = comments;
    this.comments = comments ? { threads: [], loaded: false } : null;
    this.view.comments = new Map(); // card id -> open threads
    this.build();
    try { if (localStorage.getItem("stageline.editor.panel") === "hidden") this.togglePanel(false); } catch { /* private mode */ }
    this.setStatus(status);
    this.render();
    this.refreshInsights();
    // Others' comments: the live connection says {"type": "comments"} and the page calls loadComments().
    if (comments) this.loadComments();
  }

  // -- structure -------------------------------------------------------------
  build() {
    this.root.classList.add("sl-editor");
    this.root.dataset.role = this.role;
    const button = (label, action, title, shortcut) => h("button", { class: "sl-tool", dataset: { action }, title: shortcut ? `${title} (${shortcut})` : title,
      "aria-label": title }, label);
    this.filterSelect = h("select", { class: "sl-filter", "aria-label": "Show only the work of" });
    this.filterSelect.addEventListener("change", () => this.applyFilter());
    this.search = h("input", { type: "search", class: "sl-search", placeholder: "Search cards", "aria-label": "Search cards" });
    this.search.addEventListener("input", () => this.applyFilter());
    this.search.addEventListener("keydown", (event) => {
      event.stopPropagation();
      if (event.key === "Enter") this.nextMatch();
      if (event.key === "Escape") { this.search.value = ""; this.applyFilter(); this.viewport.focus(); }
    });
    this.statusPill = h("span", { class: "sl-status", role: "status", "aria-live": "polite" });
    this.people = h("span", { class: "sl-people", "aria-label": "People here" });
    this.message = h("div", { class: "sl-message", role: "alert", hidden: true });
    const editTools = this.view.canEdit ? [
      button("↶", "undo", "Undo your last change", "Ctrl+Z"), button("↷", "redo", "Redo", "Ctrl+Shift+Z"),
      button("+ Stage", "add-stage", "Add a stage"), button("+ Lane", "add-lane", "Add a custom lane"),
    ] : [h("span", { class: "sl-readonly" }, this.role === "commenter" ? "You can comment" : "View only")];
    this.toolbar = h("div", { class: "sl-toolbar", role: "toolbar", "aria-label": "Editor" },
      ...editTools,
      h("span", { class: "sl-sep" }),
      button("−", "zoom-out", "Zoom out", "-"), h("span", { class: "sl-zoom", "aria-live": "polite" }, "100%"),
      button("+", "zoom-in", "Zoom in", "+"), button("Fit", "fit", "Fit to window", "0"),
      h("span", { class: "sl-sep" }), this.search, this.filterSelect,
      h("span", { class: "sl-grow" }), this.people, this.statusPill,
      button("?", "help", "Keyboard shortcuts", "?"),
      button("⇥", "toggle-panel", "Hide or show the side panel"));
    this.canvas = h("div", { class: "sl-canvas" });
    this.layer = svg("svg", { class: "sl-links", "aria-hidden": "true" });
    this.viewport = h("div", { class: "sl-viewport", tabindex: "0", "aria-label": "Blueprint grid. Arrow keys move between cells; Enter adds or edits a card." },
      this.canvas);
    this.side = h("aside", { class: "sl-side", "aria-label": "Details" });
    this.panel = new Panel(this.side, this);
    this.root.replaceChildren(this.toolbar, this.message, h("div", { class: "sl-body" }, this.viewport, this.side));
    this.minimap = new Minimap(this.viewport, this.canvas);
    this.toolbar.addEventListener("click", (event) => this.onToolbar(event));
    // A button keeps the focus after a click (or loses it with the header it was on):
    // give it back to the grid, so the keyboard shortcuts keep working.
    this.root.addEventListener("click", (event) => {
      if (event.target.closest?.("button") && !event.target.closest(".sl-side, .sl-popover")) setTimeout(() => this.refocus(), 0);
    }, true); // capturing: header buttons stop their clicks from bubbling
    this.canvas.addEventListener("click", (event) => this.onClick(event));
    // Cells and cards are focusable for screen readers, but keys are handled at
    // the viewport: keep the focus there after a click.
    this.canvas.addEventListener("mousedown", (event) => {
      if (!event.target.closest("input, textarea, select, button")) {
        event.preventDefault();
        this.viewport.focus({ preventScroll: true });
      }
    });
    this.canvas.addEventListener("dblclick", (event) => this.onDoubleClick(event));
    this.canvas.addEventListener("contextmenu", (event) => this.onContextMenu(event));
    this.canvas.addEventListener("pointerdown", (event) => this.onPointerDown(event));
    this.canvas.addEventListener("pointerover", (event) => this.onHover(event));
    this.viewport.addEventListener("keydown", (event) => this.onKey(event));
    this.viewport.addEventListener("copy", (event) => this.onCopy(event));
    this.viewport.addEventListener("paste", (event) => this.onPaste(event));
    this.viewport.addEventListener("wheel", (event) => this.onWheel(event), { passive: false });
    this.viewport.addEventListener("pointerdown", (event) => this.onPanStart(event));
    this.layer.addEventListener("click", (event) => this.onClick(event));
    this.cursorLayer = h("div", { class: "sl-cursors", "aria-hidden": "true" });
    this.viewport.addEventListener("pointermove", (event) => this.tellPointer(event));
    this.viewport.addEventListener("pointerleave", () => this.tellPointer(null));
  }

  // The grid takes the keyboard back unless someone is typing somewhere.
  refocus() {
    const active = document.activeElement;
    if (this.editing || this.laneForm) return;
    if (!active || active === document.body || !this.root.contains(active) || active.tagName === "BUTTON") {
      this.viewport.focus({ preventScroll: true });
    }
  }

  // -- applying changes --------------------------------------------------------
  // Apply an edit made here; returns an error message, or null when it applied.
  apply(op) {
    if (!this.view.canEdit) return "You can't edit this blueprint.";
    try {
      this.send(this.doc.edit(op));
    } catch (error) {
      if (error instanceof OpError) {
        this.flash(error.message);
        return error.message;
      }
      throw error;
    }
    this.changed();
    return null;
  }

  // The document changed (here or remotely): redraw, unless someone is typing.
  changed() {
    const index = buildIndex(this.doc.view);
    for (const id of [...this.view.selection]) {
      if (!index.cards.has(id) && !index.links.has(id) && !index.steps.has(id) && !index.stages.has(id)) this.view.selection.delete(id);
    }
    if (!this.editing) this.render();
    else {
      this.pendingRender = true;
      this.noticeLostCard();
    }
    this.refreshInsights();
  }

  undo() {
    const message = this.doc.undo();
    if (message) { this.send(message); this.changed(); } else this.flash("Nothing of yours to undo.");
  }

  redo() {
    const message = this.doc.redo();
    if (message) { this.send(message); this.changed(); } else this.flash("Nothing to redo.");
  }

  flash(text) {
    this.message.textContent = text;
    this.message.hidden = false;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => { this.message.hidden = true; }, 4000);
  }

  setStatus(text, kind = "") {
    this.statusPill.textContent = text;
    this.statusPill.className = `sl-status ${kind ? `is-${kind}` : ""}`;
  }

  // -- drawing -------------------------------------------------------------------
  render() {
    this.pendingRender = false;
    const doc = this.doc.view;
    if (!this.view.cursor || !this.cellExists(this.view.cursor)) {
      const first = doc.stages.flatMap((s) => s.steps)[0];
      this.view.cursor = first ? { step: first.id, lane: "customer" } : null;
    }
    this.view.remoteSelections = new Map();
    for (const person of this.presence.values()) {
      for (const id of person.selection || []) this.view.remoteSelections.set(id, person);
    }
    const fresh = !this.grid;
    this.grid = renderGrid(doc, this.view, this.grid);
    if (fresh) this.canvas.replaceChildren(this.grid, this.layer, this.cursorLayer);
    this.updateFilterOptions(doc);
    drawLinks(this.layer, this.canvas, doc, this.view);
    this.minimap.update(doc);
    this.panel.render();
    this.renderPeople();
    this.drawCursors();
  }

  // -- others' pointers and typing ----------------------------------------------------
  // Tell the others where the pointer is on the board (unzoomed pixels), ten times a second at most.
  tellPointer(event) {
    if (event) {
      const box = this.canvas.getBoundingClientRect();
      this.pointer = [Math.round((event.clientX - box.left) / this.zoom), Math.round((event.clientY - box.top) / this.zoom)];
    } else this.pointer = null;
    if (this.pointerTimer) return;
    this.pointerTimer = setTimeout(() => {
      this.pointerTimer = null;
      this.onCursor(this.pointer, this.typingAt);
    }, 100);
  }

  tellTyping(where) {
    this.typingAt = where;
    this.onCursor(this.pointer || null, where);
  }

  showCursor({ client_id: id, pointer, typing }) {
    if (!this.presence.has(id)) return;
    this.cursors.set(id, { pointer, typing });
    this.drawCursors();
  }

  // Each other person's pointer as an arrow with their name, in their colour; the
  // card or cell they type in carries "… is typing".
  drawCursors() {
    for (const id of this.cursors.keys()) if (!this.presence.has(id)) this.cursors.delete(id);
    const marks = [];
    for (const element of this.canvas.querySelectorAll(".is-remote-typing")) {
      element.classList.remove("is-remote-typing");
      element.querySelector(".sl-typing")?.remove();
    }
    for (const [id, { pointer, typing }] of this.cursors) {
      const person = this.presence.get(id);
      if (pointer) {
        marks.push(h("div", { class: "sl-cursor", dataset: { client: id }, style: { left: `${pointer[0]}px`, top: `${pointer[1]}px`, "--who": person.color } },
          h("span", { class: "sl-cursor-arrow" }), h("span", { class: "sl-cursor-name" }, person.name)));
      }
      if (typing) {
        const [step, lane] = typing.split("|");
        const target = lane
          ? this.canvas.querySelector(`.sl-cell[data-step="${CSS.escape(step)}"][data-lane="${CSS.escape(lane)}"]`)
          : this.canvas.querySelector(`[data-card="${CSS.escape(typing)}"]`);
        if (target) {
          target.classList.add("is-remote-typing");
          target.append(h("span", { class: "sl-typing", style: { "--who": person.color } }, `${person.name} is typing…`));
        }
      }
    }
    this.cursorLayer.replaceChildren(...marks);
  }

  redrawLinks() {
    drawLinks(this.layer, this.canvas, this.doc.view, this.view);
  }

  cellExists({ step, lane }) {
    const index = buildIndex(this.doc.view);
    return index.steps.has(step) && index.lanes.has(lane);
  }

  updateFilterOptions(doc) {
    const actors = new Set();
    const departments = new Set();
    for (const stage of doc.stages) for (const step of stage.steps) for (const cards of Object.values(step.cells || {})) {
      for (const card of cards) {
        if (card.actor) actors.add(card.actor);
        if (card.department) departments.add(card.department);
      }
    }
    const signature = JSON.stringify([[...actors].sort(), [...departments].sort()]);
    if (signature === this.filterSignature) return;
    this.filterSignature = signature;
    const current = this.filterSelect.value;
    this.filterSelect.replaceChildren(h("option", { value: "" }, "Everyone"),
      actors.size ? h("optgroup", { label: "Actors" }, [...actors].sort().map((a) => h("option", { value: `actor:${a}` }, a))) : null,
      departments.size ? h("optgroup", { label: "Departments" }, [...departments].sort().map((d) => h("option", { value: `department:${d}` }, d))) : null);
    this.filterSelect.value = current;
    const lists = [["sl-actors", actors], ["sl-departments", departments]];
    for (const [id, values] of lists) {
      let list = this.root.querySelector(`#${id}`);
      if (!list) { list = h("datalist", { id }); this.root.append(list); }
      list.replaceChildren(...[...values].map((v) => h("option", { value: v })));
    }
  }

  applyFilter() {
    const query = this.search.value.trim().toLowerCase();
    const [kind, value] = this.filterSelect.value ? this.filterSelect.value.split(/:(.*)/s) : [null, null];
    if (!query && !kind) {
      this.view.matches = null;
    } else {
      this.view.matches = new Set();
      for (const stage of this.doc.view.stages) for (const step of stage.steps) for (const cards of Object.values(step.cells || {})) {
        for (const card of cards) {
          const text = [card.text, card.actor, card.department, card.pain, card.notes, ...(card.tags || [])].join(" ").toLowerCase();
          if ((!query || text.includes(query)) && (!kind || card[kind] === value)) this.view.matches.add(card.id);
        }
      }
    }
    this.matchCursor = -1;
    this.render();
  }

  nextMatch() {
    if (!this.view.matches || !this.view.matches.size) return;
    const ids = [...this.canvas.querySelectorAll("[data-card]")].map((el) => el.dataset.card).filter((id) => this.view.matches.has(id));
    this.matchCursor = (this.matchCursor + 1) % ids.length;
    this.select([ids[this.matchCursor]]);
    this.scrollTo(ids[this.matchCursor]);
  }

  // -- selection -----------------------------------------------------------------
  select(ids, { add = false } = {}) {
    if (!add) this.view.selection = new Set();
    for (const id of ids) {
      if (add && this.view.selection.has(id)) this.view.selection.delete(id);
      else this.view.selection.add(id);
    }
    const index = buildIndex(this.doc.view);
    const card = ids.length === 1 && index.cards.get(ids[0]);
    if (card) this.view.cursor = { step: card.step.id, lane: card.lane };
    this.showSelection();
    this.onSelection([...this.view.selection]);
  }

  // Selection and cursor change classes in place: rebuilding the grid on a
  // click would swallow the double-click that follows it.
  // Only the elements whose state changes are touched, and links are restyled, not re-measured.
  showSelection() {
    const { selection, cursor } = this.view;
    for (const element of this.grid.querySelectorAll(".is-selected")) {
      const id = element.dataset.card || element.dataset.step || element.dataset.stage;
      if (!selection.has(id)) element.classList.remove("is-selected");
    }
    for (const id of selection) {
      const quoted = CSS.escape(id);
      this.canvas.querySelector(`[data-card="${quoted}"], .sl-step[data-step="${quoted}"], .sl-stage[data-stage="${quoted}"]`)
        ?.classList.add("is-selected");
    }
    const key = cursor ? `${cursor.step}|${cursor.lane}` : null;
    const previous = this.canvas.querySelector(".sl-cell.is-cursor");
    if (previous && `${previous.dataset.step}|${previous.dataset.lane}` !== key) {
      previous.classList.remove("is-cursor");
      previous.tabIndex = -1;
    }
    if (cursor) {
      const cell = this.canvas.querySelector(`.sl-cell[data-step="${CSS.escape(cursor.step)}"][data-lane="${CSS.escape(cursor.lane)}"]`);
      if (cell) { cell.classList.add("is-cursor"); cell.tabIndex = 0; }
    }
    restyleLinks(this.layer, this.view);
    this.panel.render();
  }

  reveal(finding) {
    const id = finding.card || finding.step || finding.stage;
    if (!id) return;
    if (finding.stage) this.view.collapsedStages.delete(finding.stage);
    if (finding.lane) this.view.collapsedLanes.delete(finding.lane);
    this.panel.focus = null;
    this.select([id]);
    this.scrollTo(id);
    this.panel.tab = "details";
    this.panel.render();
  }

  scrollTo(id) {
    const element = this.canvas.querySelector(`[data-card="${CSS.escape(id)}"], [data-step="${CSS.escape(id)}"], [data-stage="${CSS.escape(id)}"]`);
    if (element) element.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  deleteSelection() {
    const index = buildIndex(this.doc.view);
    const ops = [];
    for (const id of this.view.selection) {
      if (index.cards.has(id)) ops.push({ op: "remove_card", id });
      else if (index.links.has(id)) {
        const [from, to] = id.split("->");
        ops.push({ op: "remove_link", from, to });
      }
    }
    if (!ops.length) {
      const [id] = this.view.selection;
      if (this.view.selection.size === 1 && index.steps.has(id)) this.confirmDelete("step", id);
      else if (this.view.selection.size === 1 && index.stages.has(id)) this.confirmDelete("stage", id);
      return;
    }
    // Links first, so removing a card does not remove a selected link twice.
    ops.sort((a, b) => (a.op === "remove_link" ? -1 : 0) - (b.op === "remove_link" ? -1 : 0));
    if (!this.apply(ops.length === 1 ? ops[0] : { op: "batch", ops })) this.view.selection = new Set();
    this.render();
  }

  // -- mouse -----------------------------------------------------------------------
  onToolbar(event) {
    const action = event.target.closest("[data-action]")?.dataset.action;
    if (action === "undo") this.undo();
    if (action === "redo") this.redo();
    if (action === "zoom-in") this.zoomStep(1);
    if (action === "zoom-out") this.zoomStep(-1);
    if (action === "fit") this.fit();
    if (action === "add-stage") this.addStage();
    if (action === "add-lane") this.addLane();
    if (action === "help") this.toggleHelp();
    if (action === "toggle-panel") this.togglePanel();
  }

  // The side panel folds away for a wider board (small screens); the choice is remembered.
  togglePanel(show = this.root.classList.contains("is-panel-hidden")) {
    this.root.classList.toggle("is-panel-hidden", !show);
    const toggle = this.toolbar.querySelector('[data-action="toggle-panel"]');
    toggle?.setAttribute("aria-pressed", String(!show));
    try { localStorage.setItem("stageline.editor.panel", show ? "shown" : "hidden"); } catch { /* private mode */ }
    this.redrawLinks();
  }

  // The keyboard shortcuts, on `?` or the toolbar's ? button; Escape or ? closes them.
  toggleHelp() {
    if (this.help) {
      this.help.remove();
      this.help = null;
      this.viewport.focus({ preventScroll: true });
      return;
    }
    const rows = [
      ["Arrow keys", "Move between cells, and between the cards of a cell"],
      ["Enter, F2", "Edit the selected card, or add a card in the current cell"],
      ["Shift+Enter", "A new line while typing"],
      ["Delete, Backspace", "Delete the selected cards, links or step"],
      ["Ctrl/Cmd+Z", "Undo your last change"],
      ["Ctrl/Cmd+Shift+Z, Ctrl/Cmd+Y", "Redo"],
      ["Ctrl/Cmd+C, Ctrl/Cmd+V", "Copy the selected cards, paste into the current cell"],
      ["Ctrl/Cmd+A", "Select the cards of the current cell"],
      ["Ctrl/Cmd+F", "Search the cards"],
      ["+ − 0", "Zoom in, out, fit"],
      ["Ctrl/Cmd + wheel", "Zoom at the pointer"],
      ["Escape", "Clear the selection"],
      ["?", "Show or hide this list"],
    ];
    this.help = h("div", { class: "sl-help", role: "dialog", "aria-label": "Keyboard shortcuts" },
      h("h2", {}, "Keyboard shortcuts"),
      h("table", {}, h("tbody", {}, rows.map(([key, does]) => h("tr", {}, h("th", { scope: "row" }, h("kbd", {}, key)), h("td", {}, does))))),
      h("button", { class: "sl-tool", onclick: () => this.toggleHelp() }, "Close"));
    this.root.append(this.help);
  }

  onClick(event) {
    if (this.suppressClick) { this.suppressClick = false; return; }
    const target = event.target;
    const action = target.closest("[data-action]");
    if (action) return this.onAction(action.dataset, event);
    const rename = target.closest("[data-rename]");
    if (rename && this.view.canEdit && event.detail === 1 && this.view.selection.has(rename.dataset.id)) {
      return this.renameInline(rename);
    }
    const card = target.closest("[data-card]");
    if (card) return this.select([card.dataset.card], { add: event.shiftKey || event.metaKey || event.ctrlKey });
    const link = target.closest("[data-link]");
    if (link) return this.select([link.dataset.link], { add: event.shiftKey });
    const step = target.closest(".sl-step[data-step]");
    if (step) return this.select([step.dataset.step]);
    const stage = target.closest(".sl-stage[data-stage]");
    if (stage) return this.select([stage.dataset.stage]);
    const cell = target.closest(".sl-cell[data-step]");
    if (cell) {
      this.view.cursor = { step: cell.dataset.step, lane: cell.dataset.lane };
      this.select([]);
    }
  }

  onAction(data, event) {
    event.stopPropagation();
    switch (data.action) {
      case "toggle-stage": this.toggle(this.view.collapsedStages, data.stage); break;
      case "toggle-lane": this.toggle(this.view.collapsedLanes, data.lane); break;
      case "add-stage": this.addStage(); break;
      case "add-step": this.addStep(data.stage, null); break;
      case "add-step-after": this.addStepAfter(data.step); break;
      case "delete-stage": this.confirmDelete("stage", data.stage); break;
      case "delete-step": this.confirmDelete("step", data.step); break;
      case "delete-lane": this.confirmDelete("lane", data.lane); break;
      case "show-findings": this.showCellFindings(data.cell); break;
      case "open-pin": this.openPin(data.pin); break;
      default: break;
    }
  }

  // A cell's marker: select the cards its findings are about and list them.
  showCellFindings(key) {
    const findings = this.view.findingsByCell.get(key) || [];
    const cards = [...new Set(findings.map((finding) => finding.card).filter(Boolean))];
    const [step, lane] = key.split("|");
    this.view.cursor = { step, lane };
    this.panel.tab = "findings";
    this.panel.focus = key;
    this.select(cards.length ? cards : [step]);
    this.side.querySelector(".sl-finding.is-focused")?.scrollIntoView({ block: "nearest" });
  }

  toggle(set, id) {
    if (set.has(id)) set.delete(id); else set.add(id);
    this.render();
  }

  confirmDelete(kind, id) {
    const index = buildIndex(this.doc.view);
    let cards = 0;
    if (kind === "stage") cards = index.stages.get(id).steps.reduce((n, s) => n + Object.values(s.cells || {}).flat().length, 0);
    if (kind === "step") cards = Object.values(index.steps.get(id).step.cells || {}).flat().length;
    if (kind === "lane") cards = [...index.cards.values()].filter((p) => p.lane === id).length;
    // Deleting is undoable, so only ask when it takes cards with it.
    if (cards && !window.confirm(`Delete this ${kind} and its ${cards} card${cards === 1 ? "" : "s"}? You can undo it.`)) return;
    this.apply({ op: `remove_${kind}`, id });
  }

  onDoubleClick(event) {
    if (!this.view.canEdit) {
      // Those who can comment double-click a card to write about it.
      const card = event.target.closest("[data-card]");
      if (card && this.canComment && this.comments) {
        this.select([card.dataset.card]);
        this.panel.tab = "details";
        this.panel.render();
        this.side.querySelector(".sl-new-comment")?.focus();
      }
      return;
    }
    const card = event.target.closest("[data-card]");
    if (card) return this.editCardText(card.dataset.card);
    const title = event.target.closest("[data-rename]");
    if (title) return this.renameInline(title);
    // A link crossing the cell does not stand in the way: the cell under it gets the card.
    const cell = event.target.closest(".sl-cell[data-step]") || (event.target.closest("[data-link]") ? this.cellAt(event.clientX, event.clientY) : null);
    if (cell && !cell.classList.contains("is-collapsed")) this.newCard(cell.dataset.step, cell.dataset.lane);
  }

  // A right-click menu of what can be done to the card, link or cell under the pointer.
  onContextMenu(event) {
    const card = event.target.closest("[data-card]");
    const link = event.target.closest("[data-link]");
    const cell = card ? card.closest(".sl-cell[data-step]") : this.cellAt(event.clientX, event.clientY);
    if (!card && !link && !cell) return;
    event.preventDefault();
    const edit = this.view.canEdit;
    const items = [];
    if (card) {
      const id = card.dataset.card;
      if (!this.view.selection.has(id)) this.select([id]);
      const many = this.view.selection.size > 1;
      if (edit && !many) items.push(["Edit text", () => this.editCardText(id)]);
      if (this.canComment && this.comments && !many) items.push(["Comment", () => this.readOnlyEnter()]);
      items.push([many ? `Copy ${this.view.selection.size} cards` : "Copy", () => this.copy(null)]);
      if (edit) items.push([many ? `Delete ${this.view.selection.size} cards` : "Delete", () => this.deleteSelection()]);
    } else if (link) {
      const key = link.dataset.link;
      this.select([key]);
      const found = (this.doc.view.links || []).find((l) => `${l.from}->${l.to}` === key);
      if (edit && found) {
        items.push([found.two_way ? "Make one-way" : "Make two-way", () => this.apply({ op: "set", target: key, field: "two_way", value: !found.two_way })]);
        items.push(["Delete link", () => this.deleteSelection()]);
      }
    }
    if (cell && !card) {
      this.view.cursor = { step: cell.dataset.step, lane: cell.dataset.lane };
      if (!link) this.select([]);
      if (edit) items.push(["Add a card here", () => this.newCard(cell.dataset.step, cell.dataset.lane)]);
      if (edit && this.clipboard) items.push(["Paste here", () => this.paste(null)]);
      items.push(["Select the cards here", () => this.selectCell()]);
    }
    if (!items.length) return;
    this.openMenu(event.clientX, event.clientY, items);
  }

  openMenu(x, y, items) {
    this.closeMenu();
    const menu = h("div", { class: "sl-menu", role: "menu", style: { left: `${x}px`, top: `${y}px` } },
      items.map(([label, action]) => h("button", { class: "sl-menu-item", role: "menuitem", type: "button",
        onclick: () => { this.closeMenu(); action(); } }, label)));
    const close = (event) => { if (!menu.contains(event.target)) this.closeMenu(); };
    menu.addEventListener("keydown", (event) => {
      event.stopPropagation();
      const buttons = [...menu.querySelectorAll("button")];
      const at = buttons.indexOf(document.activeElement);
      if (event.key === "Escape") this.closeMenu();
      if (event.key === "ArrowDown") { event.preventDefault(); buttons[(at + 1) % buttons.length].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); buttons[(at - 1 + buttons.length) % buttons.length].focus(); }
    });
    document.body.append(menu);
    this.menu = { menu, close };
    setTimeout(() => window.addEventListener("pointerdown", close), 0);
    menu.querySelector("button")?.focus();
  }

  closeMenu() {
    if (!this.menu) return;
    window.removeEventListener("pointerdown", this.menu.close);
    this.menu.menu.remove();
    this.menu = null;
    this.refocus();
  }

  // The cell at a point of the window, looking through link lines and drag ghosts.
  cellAt(x, y) {
    for (const element of document.elementsFromPoint(x, y)) {
      if (element.closest?.(".sl-ghost")) continue;
      const cell = element.closest?.(".sl-cell[data-step]");
      if (cell && this.canvas.contains(cell)) return cell;
      if (element === this.viewport) return null;
    }
    return null;
  }

  onHover(event) {
    const card = event.target.closest?.("[data-card]");
    const id = card ? card.dataset.card : null;
    if (id !== this.view.hover) {
      this.view.hover = id;
      restyleLinks(this.layer, this.view);
    }
  }

  // Drag a card to move it; drag from its handle to another card to link them.
  onPointerDown(event) {
    if (!this.view.canEdit || event.button !== 0 || this.editing) return;
    const header = event.target.closest(".sl-stage[data-stage], .sl-step[data-step], .sl-lane-head[data-lane]");
    if (header && !event.target.closest("button, input, textarea")) {
      event.stopPropagation();
      return this.onHeaderPointerDown(event, header);
    }
    const handle = event.target.closest("[data-handle]");
    const card = event.target.closest("[data-card]");
    if (!card) return;
    event.stopPropagation();
    const start = { x: event.clientX, y: event.clientY };
    const id = card.dataset.card;
    // Dragging one of several selected cards moves them all, in their order on the board.
    const moving = !handle && this.view.selection.has(id) && this.view.selection.size > 1
      ? [...this.canvas.querySelectorAll("[data-card]")].map((el) => el.dataset.card).filter((c) => this.view.selection.has(c))
      : [id];
    let dragging = false;
    let ghost = null;
    let preview = null;
    let pointer = null;
    const scroller = this.autoScroll(() => pointer);
    const scale = this.zoom;
    const canvasBox = () => this.canvas.getBoundingClientRect();
    const move = (e) => {
      if (!dragging && Math.hypot(e.clientX - start.x, e.clientY - start.y) < 5) return;
      dragging = true;
      pointer = { x: e.clientX, y: e.clientY };
      scroller.start();
      if (handle) {
        const box = canvasBox();
        const from = card.getBoundingClientRect();
        if (!preview) { preview = svg("path", { class: "sl-link-preview" }); this.layer.append(preview); }
        const x1 = (from.right - box.left) / scale;
        const y1 = (from.top + from.height / 2 - box.top) / scale;
        preview.setAttribute("d", `M${x1},${y1} L${(e.clientX - box.left) / scale},${(e.clientY - box.top) / scale}`);
      } else {
        if (!ghost) {
          ghost = card.cloneNode(true);
          ghost.classList.add("sl-ghost");
          if (moving.length > 1) ghost.append(h("span", { class: "sl-ghost-count" }, `${moving.length} cards`));
          document.body.append(ghost);
          for (const other of moving) this.canvas.querySelector(`[data-card="${CSS.escape(other)}"]`)?.classList.add("is-dragging");
        }
        ghost.style.left = `${e.clientX + 8}px`;
        ghost.style.top = `${e.clientY + 8}px`;
        this.markDropTarget(e);
      }
    };
    const up = (e) => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      ghost?.remove();
      preview?.remove();
      scroller.stop();
      for (const element of this.canvas.querySelectorAll(".sl-card.is-dragging")) element.classList.remove("is-dragging");
      this.clearDropTarget();
      if (!dragging) return;
      // The browser may follow a drag with a click in the same task; ignore only that one.
      this.suppressClick = true;
      setTimeout(() => { this.suppressClick = false; }, 0);
      const under = document.elementFromPoint(e.clientX, e.clientY);
      if (handle) {
        const target = under?.closest("[data-card]");
        if (target && target.dataset.card !== id) this.apply({ op: "add_link", link: { from: id, to: target.dataset.card } });
        else this.redrawLinks();
      } else {
        const drop = this.dropPosition(this.cellAt(e.clientX, e.clientY), e.clientY, new Set(moving));
        if (drop) {
          const ops = moving.map((card, i) => ({ op: "move_card", id: card, step: drop.step, lane: drop.lane, index: drop.index + i }));
          this.apply(ops.length === 1 ? ops[0] : { op: "batch", ops });
        }
      }
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  }

  dropPosition(cell, clientY, moving) {
    if (!cell) return null;
    const cards = [...cell.querySelectorAll("[data-card]")].filter((el) => !moving.has(el.dataset.card));
    let index = cards.length;
    for (const [i, el] of cards.entries()) {
      const box = el.getBoundingClientRect();
      if (clientY < box.top + box.height / 2) { index = i; break; }
    }
    return { step: cell.dataset.step, lane: cell.dataset.lane, index };
  }

  // While something is dragged near an edge of the board, scroll that way (faster nearer the edge).
  autoScroll(where) {
    let frame = null;
    const EDGE = 48;
    const tick = () => {
      const at = where();
      frame = null;
      if (!at) return;
      const box = this.viewport.getBoundingClientRect();
      const speed = (distance) => (distance < EDGE ? Math.ceil((EDGE - distance) / 3) : 0);
      const dx = speed(box.right - at.x) - speed(at.x - box.left);
      const dy = speed(box.bottom - at.y) - speed(at.y - box.top);
      if (dx || dy) this.viewport.scrollBy(dx, dy);
      frame = requestAnimationFrame(tick);
    };
    return {
      start: () => { if (frame === null) frame = requestAnimationFrame(tick); },
      stop: () => { if (frame !== null) cancelAnimationFrame(frame); frame = null; },
    };
  }

  markDropTarget(event) {
    const cell = this.cellAt(event.clientX, event.clientY);
    if (cell === this.dropCell) return;
    this.clearDropTarget();
    this.dropCell = cell;
    cell?.classList.add("is-drop-target");
  }

  clearDropTarget() {
    this.dropCell?.classList.remove("is-drop-target");
    this.dropCell = null;
  }

  // Reorder stages, steps and lanes by dragging their headers: a ghost follows
  // the pointer and a bar shows where the header will land.
  onHeaderPointerDown(event, header) {
    const kind = header.dataset.stage ? "stage" : header.dataset.step ? "step" : "lane";
    const id = header.dataset[kind];
    const start = { x: event.clientX, y: event.clientY };
    const selector = { stage: ".sl-stage[data-stage]", step: ".sl-step[data-step], .sl-stage[data-stage]", lane: ".sl-lane-head[data-lane]" }[kind];
    let ghost = null;
    let target = null;
    const place = (e) => {
      const over = document.elementFromPoint(e.clientX, e.clientY)?.closest(selector);
      if (target) target.element.classList.remove("is-drop-before", "is-drop-after", "is-drop-into");
      target = null;
      if (!over || over === header) return;
      const box = over.getBoundingClientRect();
      if (kind === "step" && over.dataset.stage) target = { element: over, side: "into" };
      else if (kind === "lane") target = { element: over, side: e.clientY < box.top + box.height / 2 ? "before" : "after" };
      else target = { element: over, side: e.clientX < box.left + box.width / 2 ? "before" : "after" };
      over.classList.add(`is-drop-${target.side}`);
    };
    const move = (e) => {
      if (!ghost && Math.hypot(e.clientX - start.x, e.clientY - start.y) < 5) return;
      if (!ghost) {
        ghost = header.cloneNode(true);
        ghost.classList.add("sl-ghost", "sl-ghost-header");
        ghost.style.width = `${Math.min(header.offsetWidth, 240)}px`;
        document.body.append(ghost);
        header.classList.add("is-dragging");
      }
      ghost.style.left = `${e.clientX + 8}px`;
      ghost.style.top = `${e.clientY + 8}px`;
      place(e);
    };
    const up = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      if (!ghost) return;
      ghost.remove();
      header.classList.remove("is-dragging");
      this.suppressClick = true;
      setTimeout(() => { this.suppressClick = false; }, 0);
      if (!target) return;
      target.element.classList.remove("is-drop-before", "is-drop-after", "is-drop-into");
      const op = this.reorderOp(kind, id, target);
      if (op) this.apply(op);
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  }

  // The move operation for dropping header `id` before, after or into a target header.
  reorderOp(kind, id, { element, side }) {
    const doc = this.doc.view;
    const index = buildIndex(doc);
    const slot = (old, at) => {
      const to = at - (old >= 0 && old < at ? 1 : 0);
      return to === old ? null : to;
    };
    if (kind === "stage") {
      const old = doc.stages.indexOf(index.stages.get(id));
      const at = doc.stages.indexOf(index.stages.get(element.dataset.stage)) + (side === "after" ? 1 : 0);
      const to = slot(old, at);
      return to === null ? null : { op: "move_stage", id, index: to };
    }
    if (kind === "lane") {
      const old = index.lanes.get(id);
      const to = slot(old, index.lanes.get(element.dataset.lane) + (side === "after" ? 1 : 0));
      return to === null ? null : { op: "move_lane", id, index: to };
    }
    const { stage: from, step } = index.steps.get(id);
    const stage = side === "into" ? index.stages.get(element.dataset.stage) : index.steps.get(element.dataset.step).stage;
    const old = stage === from ? from.steps.indexOf(step) : -1;
    const at = side === "into" ? stage.steps.length
      : stage.steps.indexOf(index.steps.get(element.dataset.step).step) + (side === "after" ? 1 : 0);
    const to = slot(old, at);
    return to === null ? null : { op: "move_step", id, stage: stage.id, index: to };
  }

  // Pan by dragging the background (empty space or an empty part of a cell),
  // or with the middle button anywhere; zoom with Ctrl/Cmd + wheel.
  onPanStart(event) {
    const middle = event.button === 1;
    if (!middle && (event.button !== 0 || this.editing
      || event.target.closest("[data-card], button, input, textarea, select, .sl-stage, .sl-step, .sl-lane-head"))) return;
    if (!middle && event.shiftKey) return this.boxSelect(event);
    if (middle) event.preventDefault();
    const start = { x: event.clientX, y: event.clientY, left: this.viewport.scrollLeft, top: this.viewport.scrollTop };
    let panning = false;
    const move = (e) => {
      if (!panning && Math.hypot(e.clientX - start.x, e.clientY - start.y) < 4) return;
      panning = true;
      this.viewport.classList.add("is-panning");
      this.viewport.scrollLeft = start.left - (e.clientX - start.x);
      this.viewport.scrollTop = start.top - (e.clientY - start.y);
    };
    const up = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      this.viewport.classList.remove("is-panning");
      if (panning) {
        this.suppressClick = true;
        setTimeout(() => { this.suppressClick = false; }, 0);
      }
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  }

  // Shift + drag on the background draws a box; the cards it touches are selected
  // (added to the selection with Ctrl/Cmd held too).
  boxSelect(event) {
    event.preventDefault();
    const start = { x: event.clientX, y: event.clientY };
    const before = event.ctrlKey || event.metaKey ? new Set(this.view.selection) : new Set();
    const cards = [...this.canvas.querySelectorAll("[data-card]")].map((element) => ({ id: element.dataset.card, element }));
    const origin = { left: this.viewport.scrollLeft, top: this.viewport.scrollTop };
    const boxes = cards.map(({ id, element }) => ({ id, rect: element.getBoundingClientRect() }));
    const marquee = h("div", { class: "sl-marquee", "aria-hidden": "true" });
    document.body.append(marquee);
    let pointer = null;
    const scroller = this.autoScroll(() => pointer);
    let chosen = [];
    const update = () => {
      if (!pointer) return;
      const dx = this.viewport.scrollLeft - origin.left;
      const dy = this.viewport.scrollTop - origin.top;
      const x1 = Math.min(start.x - dx, pointer.x);
      const y1 = Math.min(start.y - dy, pointer.y);
      const x2 = Math.max(start.x - dx, pointer.x);
      const y2 = Math.max(start.y - dy, pointer.y);
      Object.assign(marquee.style, { left: `${x1}px`, top: `${y1}px`, width: `${x2 - x1}px`, height: `${y2 - y1}px` });
      chosen = boxes.filter(({ rect }) => rect.right - dx > x1 && rect.left - dx < x2 && rect.bottom - dy > y1 && rect.top - dy < y2)
        .map(({ id }) => id);
      const selected = new Set([...before, ...chosen]);
      for (const { id, element } of cards) element.classList.toggle("is-selected", selected.has(id));
    };
    const move = (e) => {
      pointer = { x: e.clientX, y: e.clientY };
      scroller.start();
      update();
    };
    const scrolled = () => update();
    const up = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      this.viewport.removeEventListener("scroll", scrolled);
      scroller.stop();
      marquee.remove();
      this.suppressClick = true;
      setTimeout(() => { this.suppressClick = false; }, 0);
      this.select([...new Set([...before, ...chosen])]);
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
    this.viewport.addEventListener("scroll", scrolled);
  }

  onWheel(event) {
    if (!(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    const rect = this.viewport.getBoundingClientRect();
    this.setZoom(Math.min(2, Math.max(0.25, this.zoom * (event.deltaY < 0 ? 1.1 : 1 / 1.1))),
      { x: event.clientX - rect.left, y: event.clientY - rect.top });
  }

  // Zoom for real: CSS zoom lays the board out again at that size, so the
  // sticky stage and step headers and lane labels stay where they belong and
  // the scroll area is the board's. The point under `at` (viewport pixels;
  // the centre by default) stays put.
  setZoom(zoom, at = null) {
    const old = this.zoom;
    const next = Math.round(zoom * 100) / 100;
    const anchor = at || { x: this.viewport.clientWidth / 2, y: this.viewport.clientHeight / 2 };
    const x = (this.viewport.scrollLeft + anchor.x) / old;
    const y = (this.viewport.scrollTop + anchor.y) / old;
    this.zoom = next;
    this.canvas.style.zoom = String(next);
    this.viewport.scrollLeft = x * next - anchor.x;
    this.viewport.scrollTop = y * next - anchor.y;
    this.toolbar.querySelector(".sl-zoom").textContent = `${Math.round(next * 100)}%`;
    this.minimap.update();
  }

  zoomStep(direction) {
    const next = direction > 0 ? ZOOMS.find((z) => z > this.zoom + 0.001) : [...ZOOMS].reverse().find((z) => z < this.zoom - 0.001);
    this.setZoom(next ?? this.zoom);
  }

  // Fit the board to the window, but never below a readable size: a larger
  // board is shown from its start and scrolls.
  fit() {
    const grid = this.canvas.firstElementChild;
    if (!grid) return;
    const width = this.canvas.offsetWidth;
    const height = this.canvas.offsetHeight;
    const scale = Math.min(this.viewport.clientWidth / width, this.viewport.clientHeight / height, 1);
    this.setZoom(Math.max(READABLE, Math.floor(scale * 100) / 100));
    this.viewport.scrollTo(0, 0);
  }

  // -- typing in place -------------------------------------------------------------
  inlineEditor(host, initial, { multiline, onCommit, onCancel, card = null, typing = card }) {
    const box = h(multiline ? "textarea" : "input", { class: "sl-inline", "aria-label": "Edit text" });
    box.value = initial;
    invalidateItem(this.grid, host); // the next render draws it afresh
    this.editing = { box, card, lost: false };
    if (typing) this.tellTyping(typing);
    let done = false;
    const finish = (commit) => {
      if (done) return;
      done = true;
      if (typing) this.tellTyping(null);
      this.editing = null;
      const text = box.value.trim();
      if (commit && text) onCommit(text);
      else onCancel?.();
      if (this.pendingRender || !commit || !text) this.render();
      this.viewport.focus({ preventScroll: true });
    };
    box.addEventListener("keydown", (event) => {
      event.stopPropagation();
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); finish(true); }
      if (event.key === "Escape") { event.preventDefault(); finish(false); }
    });
    box.addEventListener("blur", () => finish(true));
    host.replaceChildren(box);
    box.focus();
    box.select();
    return box;
  }

  editCardText(id) {
    if (!this.view.canEdit) return;
    const element = this.canvas.querySelector(`[data-card="${CSS.escape(id)}"]`);
    const place = buildIndex(this.doc.view).cards.get(id);
    if (!element || !place) return;
    const { card, lane, position } = place;
    const step = place.step.id;
    this.inlineEditor(element, card.text, { multiline: true, card: id,
      onCommit: (text) => {
        if (buildIndex(this.doc.view).cards.has(id)) {
          if (text !== card.text) this.apply({ op: "set", target: id, field: "text", value: text }); else this.render();
        } else this.restoreCard({ ...structuredClone(card), text }, step, lane, position);
      } });
  }

  // Someone deleted the card being typed in: the box stays with its text and says so.
  noticeLostCard() {
    const id = this.editing?.card;
    if (!id || buildIndex(this.doc.view).cards.has(id) || this.editing.lost) return;
    this.editing.lost = true;
    this.editing.box.classList.add("is-orphaned");
    this.editing.box.setAttribute("aria-label", "Edit text of a card someone deleted");
    this.flash("Someone deleted the card you are typing in. Your text is kept: press Enter to put the card back, or Escape to let it go.");
  }

  // Put a card someone deleted back, with the text typed into it meanwhile.
  restoreCard(card, step, lane, position) {
    const index = buildIndex(this.doc.view);
    if (!index.steps.has(step) || !index.lanes.has(lane)) {
      this.clipboard = [card];
      this.flash("Its step is gone too. Your text is copied: select a cell and press Ctrl+V to paste it as a card.");
      this.render();
      return;
    }
    const cards = (index.steps.get(step).step.cells || {})[lane] || [];
    const id = index.cards.has(card.id) ? freshId(card.text, this.takenIds()) : card.id;
    if (!this.apply({ op: "add_card", step, lane, index: Math.min(position, cards.length), card: { ...card, id } })) {
      this.flash("The card is back, with your text.");
      this.select([id]);
    }
  }

  newCard(step, lane) {
    const cell = this.canvas.querySelector(`.sl-cell[data-step="${CSS.escape(step)}"][data-lane="${CSS.escape(lane)}"]`);
    if (!cell) return;
    const host = h("div", { class: "sl-card is-new" });
    cell.append(host);
    this.inlineEditor(host, "", { multiline: true, typing: `${step}|${lane}`, onCommit: (text) => {
      const index = buildIndex(this.doc.view);
      const cards = (index.steps.get(step).step.cells || {})[lane] || [];
      const taken = new Set([...index.cards.keys(), ...index.steps.keys(), ...index.stages.keys(), ...index.opportunities.keys(), ...index.lanes.keys()]);
      let id = cards.length ? `${step}.${lane}.${cards.length + 1}` : `${step}.${lane}`;
      if (taken.has(id)) id = freshId(text, taken);
      if (!this.apply({ op: "add_card", step, lane, card: { id, text } })) this.select([id]);
    } });
  }

  renameInline(title) {
    const { rename: kind, id } = title.dataset;
    const index = buildIndex(this.doc.view);
    const current = kind === "stage" ? index.stages.get(id).title
      : kind === "step" ? stepTitle(index.steps.get(id).step) : this.doc.view.lanes[index.lanes.get(id)].title;
    this.inlineEditor(title, current, { multiline: false,
      onCommit: (text) => { if (text !== current) this.apply({ op: "set", target: id, field: "title", value: text }); else this.render(); } });
  }

  takenIds() {
    const index = buildIndex(this.doc.view);
    return new Set([...index.cards.keys(), ...index.steps.keys(), ...index.stages.keys(), ...index.opportunities.keys(), ...index.lanes.keys()]);
  }

  addStage() {
    const doc = this.doc.view;
    const taken = this.takenIds();
    const stageId = freshId(`stage-${doc.stages.length + 1}`, taken);
    taken.add(stageId);
    const stepId = freshId(`step-${stageId}`, taken);
    if (!this.apply({ op: "add_stage", stage: { id: stageId, title: `Stage ${doc.stages.length + 1}`, steps: [{ id: stepId, cells: {} }] } })) {
      const title = this.canvas.querySelector(`.sl-stage[data-stage="${CSS.escape(stageId)}"] [data-rename]`);
      this.select([stageId]);
      const fresh = this.canvas.querySelector(`.sl-stage[data-stage="${CSS.escape(stageId)}"] [data-rename]`) || title;
      if (fresh) this.renameInline(fresh);
    }
  }

  addStep(stageId, index) {
    const stepId = freshId("step", this.takenIds());
    if (!this.apply({ op: "add_step", stage: stageId, step: { id: stepId, cells: {} }, index })) {
      this.view.cursor = { step: stepId, lane: "customer" };
      this.render();
      this.newCard(stepId, "customer");
    }
  }

  addStepAfter(stepId) {
    const { stage, step } = buildIndex(this.doc.view).steps.get(stepId);
    this.addStep(stage.id, stage.steps.indexOf(step) + 1);
  }

  // A small form under the "+ Lane" button: the lane's name, and whether the
  // customer sees it (it goes above or below the line of visibility).
  addLane() {
    if (this.laneForm) return this.closeLaneForm();
    const name = h("input", { type: "text", class: "sl-lane-name", placeholder: "e.g. Policies and regulations", "aria-label": "Name of the new lane" });
    const choice = (value, label, checked) => h("label", { class: "sl-check" },
      h("input", { type: "radio", name: "sl-lane-side", value, checked: checked ? true : null }), label);
    const error = h("div", { class: "sl-form-error", role: "alert", hidden: true });
    const submit = () => {
      const title = name.value.trim();
      if (!title) {
        error.textContent = "Give the lane a name.";
        error.hidden = false;
        name.focus();
        return;
      }
      const visible = form.querySelector("input[name=sl-lane-side]:checked").value === "visible";
      const doc = this.doc.view;
      const firstHidden = doc.lanes.findIndex((lane) => !lane.visible);
      const index = visible ? (firstHidden < 0 ? doc.lanes.length : firstHidden) : doc.lanes.length;
      const problem = this.apply({ op: "add_lane", lane: { id: freshId(title, this.takenIds()), title, visible }, index });
      if (problem) {
        error.textContent = problem;
        error.hidden = false;
      } else {
        this.closeLaneForm();
      }
    };
    const form = h("form", { class: "sl-popover", "aria-label": "Add a lane" },
      h("label", { class: "sl-popover-label" }, "New lane", name),
      choice("visible", "The customer sees it (above the line of visibility)", false),
      choice("hidden", "Behind the scenes (below the line of visibility)", true),
      error,
      h("div", { class: "sl-popover-actions" },
        h("button", { type: "button", class: "sl-tool", onclick: () => this.closeLaneForm() }, "Cancel"),
        h("button", { type: "submit", class: "sl-tool sl-primary" }, "Add lane")));
    form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
    form.addEventListener("keydown", (event) => {
      event.stopPropagation();
      if (event.key === "Escape") this.closeLaneForm();
    });
    const button = this.toolbar.querySelector('[data-action="add-lane"]');
    form.style.left = `${button.offsetLeft}px`;
    this.laneForm = form;
    this.toolbar.append(form);
    name.focus();
  }

  closeLaneForm() {
    this.laneForm?.remove();
    this.laneForm = null;
    this.viewport.focus({ preventScroll: true });
  }

  // -- keyboard ----------------------------------------------------------------------
  onKey(event) {
    if (this.editing) return;
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (mod && key === "z") { event.preventDefault(); return event.shiftKey ? this.redo() : this.undo(); }
    if (mod && key === "y") { event.preventDefault(); return this.redo(); }
    // The browser follows these keys with a copy or paste event carrying the
    // system clipboard (no permission prompt); where it does not, use ours.
    if (mod && key === "c") { this.clipboardFallback = setTimeout(() => this.copy(null), 0); return undefined; }
    if (mod && key === "v") { this.clipboardFallback = setTimeout(() => this.paste(null), 0); return undefined; }
    if (mod && key === "f") { event.preventDefault(); return this.search.focus(); }
    if (mod && key === "a") { event.preventDefault(); return this.selectCell(); }
    if (mod) return;
    if (event.key === "?") { event.preventDefault(); return this.toggleHelp(); }
    if (key === "escape" && this.help) return this.toggleHelp();
    if (key === "+" || key === "=") return this.zoomStep(1);
    if (key === "-") return this.zoomStep(-1);
    if (key === "0") return this.fit();
    const moves = { arrowleft: [-1, 0], arrowright: [1, 0], arrowup: [0, -1], arrowdown: [0, 1] };
    if (moves[key]) { event.preventDefault(); return this.moveCursor(...moves[key]); }
    if (key === "enter" || key === "f2") {
      event.preventDefault();
      if (!this.view.canEdit) return this.readOnlyEnter();
      const selected = [...this.view.selection];
      const index = buildIndex(this.doc.view);
      if (selected.length === 1 && index.cards.has(selected[0])) return this.editCardText(selected[0]);
      if (this.view.cursor && this.view.canEdit) return this.newCard(this.view.cursor.step, this.view.cursor.lane);
    }
    if (key === "delete" || key === "backspace") {
      event.preventDefault();
      return this.view.canEdit ? this.deleteSelection() : this.flash(this.readOnlyMessage());
    }
    if (key === "escape") return this.select([]);
  }

  readOnlyMessage() {
    return this.canComment
      ? "You can comment on this blueprint but not edit it: select a card and write in Comments."
      : "You can view this blueprint but not edit it.";
  }

  // Enter or F2 without the right to edit: those who may comment write about
  // the selected card or step; everyone is told why no text box opens.
  readOnlyEnter() {
    const [id] = this.view.selection;
    if (id && this.canComment && this.comments) {
      this.panel.tab = "details";
      this.panel.render();
      const box = this.side.querySelector(".sl-new-comment");
      if (box) { box.focus(); return; }
    }
    this.flash(this.readOnlyMessage());
  }

  moveCursor(dx, dy) {
    const doc = this.doc.view;
    const steps = doc.stages.filter((s) => !this.view.collapsedStages.has(s.id)).flatMap((s) => s.steps.map((st) => st.id));
    const lanes = doc.lanes.map((l) => l.id);
    if (!steps.length) return;
    const cursor = this.view.cursor || { step: steps[0], lane: "customer" };
    const index = buildIndex(doc);
    const selected = [...this.view.selection].find((id) => index.cards.has(id));
    // Within a cell of several cards, up and down go card by card first.
    if (selected && dy) {
      const place = index.cards.get(selected);
      const cell = place.step.cells[place.lane];
      const next = place.position + dy;
      if (next >= 0 && next < cell.length) return this.select([cell[next].id]);
    }
    const x = Math.min(steps.length - 1, Math.max(0, steps.indexOf(cursor.step) + dx));
    const y = Math.min(lanes.length - 1, Math.max(0, lanes.indexOf(cursor.lane) + dy));
    this.view.cursor = { step: steps[Math.max(x, 0)], lane: lanes[Math.max(y, 0)] };
    const cards = (index.steps.get(this.view.cursor.step).step.cells || {})[this.view.cursor.lane] || [];
    if (cards.length) this.select([dy < 0 ? cards[cards.length - 1].id : cards[0].id]);
    else this.select([]);
    this.canvas.querySelector(".sl-cell.is-cursor")?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  selectCell() {
    if (!this.view.cursor) return;
    const { step, lane } = this.view.cursor;
    const cards = (buildIndex(this.doc.view).steps.get(step)?.step.cells || {})[lane] || [];
    this.select(cards.map((c) => c.id));
  }

  // -- clipboard -----------------------------------------------------------------------
  onCopy(event) {
    if (this.editing || event.target.closest?.("input, textarea, select")) return;
    clearTimeout(this.clipboardFallback);
    if (this.copy(event.clipboardData)) event.preventDefault();
  }

  onPaste(event) {
    if (this.editing || event.target.closest?.("input, textarea, select")) return;
    clearTimeout(this.clipboardFallback);
    event.preventDefault();
    this.paste(event.clipboardData);
  }

  // Copy the selected cards: to `clipboard` (the event's DataTransfer) when
  // given, and here for this page. True when there was something to copy.
  copy(clipboard) {
    const index = buildIndex(this.doc.view);
    const cards = [...this.view.selection].filter((id) => index.cards.has(id)).map((id) => structuredClone(index.cards.get(id).card));
    if (!cards.length) return false;
    this.clipboard = cards;
    if (clipboard) {
      clipboard.setData(CARDS_TYPE, JSON.stringify(cards));
      clipboard.setData("text/plain", cards.map((card) => card.text).join("\n"));
    }
    this.flash(`Copied ${cards.length} card${cards.length === 1 ? "" : "s"}.`);
    return true;
  }

  // Paste into the current cell: cards copied in an editor (this page or
  // another), else each line of plain text as a card; without a clipboard,
  // what was copied on this page.
  paste(clipboard) {
    if (!this.view.canEdit || !this.view.cursor) return;
    let cards = this.clipboard;
    if (clipboard) {
      try {
        const copied = JSON.parse(clipboard.getData(CARDS_TYPE) || "null");
        if (Array.isArray(copied)) cards = copied.filter((card) => card && typeof card.text === "string" && card.text);
      } catch {
        // Not cards after all: read it as text.
      }
      if (!clipboard.getData(CARDS_TYPE)) {
        const lines = clipboard.getData("text/plain").split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
        if (lines.length) cards = lines.slice(0, 100).map((line) => ({ text: line }));
      }
    }
    if (!cards || !cards.length) return;
    const { step, lane } = this.view.cursor;
    const taken = this.takenIds();
    const ops = cards.map((card) => {
      const id = freshId(card.text, taken);
      taken.add(id);
      return { op: "add_card", step, lane, card: { ...card, id } };
    });
    if (!this.apply(ops.length === 1 ? ops[0] : { op: "batch", ops })) this.select(ops.map((op) => op.card.id));
  }

  // -- findings and metrics from the server ------------------------------------------------
  refreshInsights() {
    if (!this.insightsSource) return;
    clearTimeout(this.insightsTimer);
    this.panel.insights.pending = true;
    const version = (this.version = (this.version || 0) + 1);
    // Large blueprints take the server longer to check: ask less often while people type.
    const cards = this.grid ? this.grid.querySelectorAll("[data-card]").length : 0;
    this.insightsTimer = setTimeout(async () => {
      try {
        const result = await this.insightsSource(this.doc.view);
        if (version !== this.version) return; // a newer change is on its way
        this.panel.insights = { findings: result.findings || [], metrics: result.metrics || null, pending: false };
        this.view.findingsByCell = new Map();
        for (const finding of this.panel.insights.findings) {
          const lane = finding.lane || (finding.step ? "customer" : null);
          if (!finding.step || !lane) continue;
          const key = `${finding.step}|${lane}`;
          if (!this.view.findingsByCell.has(key)) this.view.findingsByCell.set(key, []);
          this.view.findingsByCell.get(key).push(finding);
        }
        if (!this.editing) this.render();
      } catch {
        this.panel.insights.pending = false;
      }
    }, cards > 300 ? 1200 : 400);
  }

  // -- comments ----------------------------------------------------------------------------
  // Fetch the threads; asked again while a fetch is under way, fetch once more after it,
  // so the last answer shown is never older than the last change announced.
  async loadComments() {
    if (!this.commentsApi) return;
    if (this.commentsLoading) {
      this.commentsAgain = true;
      await this.commentsLoading;
      return;
    }
    this.commentsLoading = (async () => {
      do {
        this.commentsAgain = false;
        try {
          this.showComments(await this.commentsApi.list());
        } catch (error) {
          this.flash(`Could not load the comments: ${error.message}`);
        }
      } while (this.commentsAgain);
      this.commentsLoading = null;
    })();
    await this.commentsLoading;
  }

  // A card's comment pin opens its threads beside the card: read, reply, resolve in place.
  openPin(cardId) {
    this.closePin();
    const element = this.canvas.querySelector(`[data-card="${CSS.escape(cardId)}"]`);
    const place = buildIndex(this.doc.view).cards.get(cardId);
    if (!element || !place || !this.comments) return;
    this.select([cardId]);
    const close = h("button", { class: "sl-icon sl-pin-close", type: "button", "aria-label": "Close the comments", onclick: () => this.closePin() }, "×");
    const pin = h("div", { class: "sl-pin-thread", role: "dialog", tabindex: "-1", "aria-label": `Comments on ${place.card.text}` },
      close, h("div", { class: "sl-pin-body" }, this.panel.comments(cardId)));
    pin.addEventListener("keydown", (event) => {
      event.stopPropagation();
      if (event.key === "Escape") this.closePin();
    });
    const box = element.getBoundingClientRect();
    const left = Math.min(box.right + 8, window.innerWidth - 340);
    Object.assign(pin.style, { left: `${Math.max(8, left)}px`, top: `${Math.max(8, Math.min(box.top, window.innerHeight - 320))}px` });
    this.root.append(pin);
    const outside = (event) => { if (!pin.contains(event.target) && !event.target.closest?.(".sl-talk")) this.closePin(); };
    const escape = (event) => { if (event.key === "Escape") this.closePin(); };
    setTimeout(() => window.addEventListener("pointerdown", outside), 0);
    window.addEventListener("keydown", escape);
    this.pin = { card: cardId, element: pin, outside, escape };
    pin.querySelector(".sl-new-comment, .sl-reply, textarea")?.focus();
  }

  closePin() {
    if (!this.pin) return;
    window.removeEventListener("pointerdown", this.pin.outside);
    window.removeEventListener("keydown", this.pin.escape);
    this.pin.element.remove();
    this.pin = null;
    this.refocus();
  }

  showComments(threads) {
    this.comments = { threads, loaded: true };
    this.view.comments = new Map();
    for (const thread of threads) {
      if (!thread.resolved) this.view.comments.set(thread.anchor, (this.view.comments.get(thread.anchor) || 0) + 1);
    }
    // An open pin shows the threads as they are now (the reply typed meanwhile is kept as a draft).
    const body = this.pin?.element.querySelector(".sl-pin-body");
    if (body) body.replaceChildren(this.panel.comments(this.pin.card));
    if (!this.editing) this.render();
  }

  // Start a thread, reply or resolve through the comments API; true when it worked.
  async comment(kind, args) {
    try {
      await this.commentsApi[kind](args);
    } catch (error) {
      this.flash(`Not sent: ${error.message}`);
      return false;
    }
    await this.loadComments();
    return true;
  }

  // -- people ----------------------------------------------------------------------------
  setPresence(people) {
    this.presence = new Map(people.map((p) => [p.client_id, p]));
    for (const id of [...this.cursors.keys()]) if (!this.presence.has(id)) this.cursors.delete(id);
    if (!this.editing) this.render();
  }

  renderPeople() {
    this.people.replaceChildren(...[...this.presence.values()].map((person) => h("span", {
      class: "sl-person", title: person.name, style: { background: person.color }, dataset: { client: person.client_id },
    }, (person.name || "?").slice(0, 1).toUpperCase())));
  }
}
