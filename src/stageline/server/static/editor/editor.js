// @ts-check
// The blueprint editor: a grid people edit directly, with every change sent as
// an operation of the model through a SharedDocument.
//
//   const editor = mountEditor(element, { doc, role, send, insights, presence });
//
// `doc` is a SharedDocument; `send(message)` hands a message to the
// connection; `insights(doc)` (optional) resolves to {findings, metrics} from
// the server's checks; `role` is owner | editor | commenter | viewer.
//
// This module only coordinates. The parts:
//   store.js      the document and what is derived from it, cached per version ("changed" event)
//   view.js       selection, current cell, zoom, scroll, hover, filter ("selection", "zoom", "scroll" events)
//   tools/*.js    select (and double-click), drag, link, header, pan, box-select, inline-edit:
//                 each a state machine fed pointer and keyboard events
//   camera.js (zoom), keys.js, clipboard.js, menus.js, presence.js, comments.js, panel.js
//   grid.js, links.js   drawing from the store and the view state

import { OpError } from "./ops.js";
import { freshId, h, svg } from "./dom.js";
import { gridColumns, linesOf, renderGrid } from "./grid.js";
import { boardGeometry, cullLinks, drawLinks, restyleLinks } from "./links.js";
import { CardSizes, LEAST_ROW } from "./layout.js";
import { Minimap } from "./minimap.js";
import { Panel } from "./panel.js";
import { Store } from "./store.js";
import { ViewState } from "./view.js";
import { Menus } from "./menus.js";
import { Presence } from "./presence.js";
import { Comments } from "./comments.js";
import { onKey } from "./keys.js";
import { Clipboard } from "./clipboard.js";
import { Camera } from "./camera.js";
import { targetOf } from "./tools/tool.js";
import { SelectTool } from "./tools/select.js";
import { DragTool } from "./tools/drag.js";
import { LinkTool } from "./tools/link.js";
import { HeaderTool } from "./tools/header.js";
import { PanTool } from "./tools/pan.js";
import { BoxSelectTool } from "./tools/box-select.js";
import { InlineEditTool } from "./tools/inline-edit.js";

const EDIT_ROLES = new Set(["owner", "editor"]);
const COMMENT_ROLES = new Set(["owner", "editor", "commenter"]);

/**
 * @typedef {import("./document.js").SharedDocument} SharedDocument
 * @typedef {{
 *   doc: SharedDocument, role?: string, send?: (message: any) => void,
 *   insights?: ((doc: any) => Promise<{findings?: any[], metrics?: any}>)|null,
 *   comments?: import("./comments.js").CommentsApi|null,
 *   onSelection?: (ids: string[]) => void, onCursor?: (pointer: number[]|null, typing: string|null) => void, status?: string,
 * }} EditorOptions
 */

/** @param {HTMLElement} root @param {EditorOptions} options */
export function mountEditor(root, options) {
  return new Editor(root, options);
}

export class Editor {
  /** @param {HTMLElement} root @param {EditorOptions} options */
  constructor(root, { doc, role = "viewer", send = () => {}, insights = null, comments = null, onSelection = () => {}, onCursor = () => {},
    status = "" }) {
    this.root = root;
    this.doc = doc;
    this.store = new Store(doc);
    this.send = send;
    this.insightsSource = insights;
    this.onSelection = onSelection;
    this.role = role;
    this.view = new ViewState({ canEdit: EDIT_ROLES.has(role) });
    this.canComment = COMMENT_ROLES.has(role);
    this.clip = new Clipboard(this);
    this.camera = new Camera(this);
    this.pendingRender = false;
    this.panelFrame = 0;
    this.clickSuppressed = false;
    this.presence = new Presence(this, onCursor);
    this.comments = comments ? new Comments(this, comments) : null;
    this.menus = new Menus(this);
    this.tools = {
      select: new SelectTool(this), drag: new DragTool(this), link: new LinkTool(this), header: new HeaderTool(this),
      pan: new PanTool(this), box: new BoxSelectTool(this),
    };
    this.inline = new InlineEditTool(this);
    /** @type {HTMLElement|null} */
    this.grid = null;
    // Only the columns near the view have their cells in the page (see drawWindow).
    this.sizes = new CardSizes();
    /** @type {{from: number, to: number}} the columns whose cells are drawn */
    this.window = { from: 0, to: -1 };
    /** @type {Set<string>} steps whose cells are drawn wherever the view is (the cursor's, one being edited) */
    this.pinned = new Set();
    this.insightsVersion = 0;
    this.build();
    try { if (localStorage.getItem("stageline.editor.panel") === "hidden") this.togglePanel(false); } catch { /* private mode */ }
    this.setStatus(status);
    this.render();
    this.refreshInsights();
    // Others' comments: the live connection says {"type": "comments"} and the page calls loadComments().
    if (this.comments) this.loadComments();
  }

  /** The zoom (1 = 100 %). */
  get zoom() {
    return this.view.zoom;
  }

  /** The open inline editor, if any. */
  get editing() {
    return this.inline.active;
  }

  /** Whether the comment threads are being fetched (tests wait for this). */
  get commentsLoading() {
    return this.comments ? this.comments.loading : null;
  }

  // -- structure -------------------------------------------------------------
  build() {
    this.root.classList.add("sl-editor");
    this.root.dataset.role = this.role;
    const button = (/** @type {string} */ label, /** @type {string} */ action, /** @type {string} */ title, /** @type {string} */ shortcut = "") => h("button", {
      class: "sl-tool", dataset: { action }, title: shortcut ? `${title} (${shortcut})` : title, "aria-label": title }, label);
    this.filterSelect = /** @type {HTMLSelectElement} */ (h("select", { class: "sl-filter", "aria-label": "Show only the work of" }));
    this.filterSelect.addEventListener("change", () => this.applyFilter());
    this.search = /** @type {HTMLInputElement} */ (h("input", { type: "search", class: "sl-search", placeholder: "Search cards", "aria-label": "Search cards" }));
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
    this.layer = /** @type {SVGSVGElement & {drawn?: Map<string, any>}} */ (svg("svg", { class: "sl-links", "aria-hidden": "true" }));
    this.viewport = h("div", { class: "sl-viewport", tabindex: "0", "aria-label": "Blueprint grid. Arrow keys move between cells; Enter adds or edits a card." },
      this.canvas);
    this.side = h("aside", { class: "sl-side", "aria-label": "Details" });
    this.panel = new Panel(this.side, this);
    this.root.replaceChildren(this.toolbar, this.message, h("div", { class: "sl-body" }, this.viewport, this.side));
    this.minimap = new Minimap(this.viewport, this.canvas);
    this.view.on("zoom", () => this.minimap.update());
    this.wire();
  }

  // Events go to the tools; the tools change the store (through apply) and the view state.
  wire() {
    const { canvas, viewport, tools } = this;
    this.toolbar.addEventListener("click", (event) => this.onToolbar(event));
    // A button keeps the focus after a click (or loses it with the header it was on):
    // give it back to the grid, so the keyboard shortcuts keep working.
    this.root.addEventListener("click", (event) => {
      const target = targetOf(event);
      if (target.closest("button") && !target.closest(".sl-side, .sl-popover")) setTimeout(() => this.refocus(), 0);
    }, true); // capturing: header buttons stop their clicks from bubbling
    const click = (/** @type {MouseEvent} */ event) => {
      if (this.clickSuppressed) { this.clickSuppressed = false; return; }
      tools.select.click(event);
    };
    canvas.addEventListener("click", click);
    this.layer.addEventListener("click", click);
    // Cells and cards are focusable for screen readers, but keys are handled at
    // the viewport: keep the focus there after a click.
    canvas.addEventListener("mousedown", (event) => {
      if (!targetOf(event).closest("input, textarea, select, button")) {
        event.preventDefault();
        viewport.focus({ preventScroll: true });
      }
    });
    // Double-clicks are read from the presses themselves (tools/select.js), so a
    // redraw between the two clicks does not swallow them.
    canvas.addEventListener("mousedown", (event) => tools.select.send("down", event), true);
    canvas.addEventListener("contextmenu", (event) => this.menus.onContextMenu(event));
    canvas.addEventListener("pointerdown", (event) => this.onPointerDown(event));
    canvas.addEventListener("pointerover", (event) => this.onHover(event));
    viewport.addEventListener("keydown", (event) => onKey(this, event));
    viewport.addEventListener("copy", (event) => this.clip.onCopy(event));
    viewport.addEventListener("paste", (event) => this.clip.onPaste(event));
    viewport.addEventListener("wheel", (event) => this.camera.onWheel(event), { passive: false });
    viewport.addEventListener("pointerdown", (event) => {
      if (!tools.pan.wants(event)) return;
      if (event.button === 0 && event.shiftKey) tools.box.send("down", event);
      else tools.pan.send("down", event);
    });
    viewport.addEventListener("pointermove", (event) => this.presence.tellPointer(event));
    viewport.addEventListener("pointerleave", () => this.presence.tellPointer(null));
    // Off-screen link paths are not drawn: update which are, once a frame at most.
    /** @type {number|null} */
    let frame = null;
    viewport.addEventListener("scroll", () => {
      if (frame !== null) return;
      frame = requestAnimationFrame(() => {
        frame = null;
        this.view.setScroll(viewport.scrollLeft, viewport.scrollTop);
      });
    }, { passive: true });
    this.view.on("scroll", () => { this.drawWindow(); this.cull(); });
    // Zooming with the wheel says "zoom" many times a frame: measure once a frame.
    /** @type {number|null} */
    let zoomFrame = null;
    this.view.on("zoom", () => {
      this.cull();
      if (zoomFrame === null) zoomFrame = requestAnimationFrame(() => { zoomFrame = null; this.rezoom(); });
    });
    // A board opened out of sight (a hidden tab) is measured when it shows.
    new ResizeObserver(() => {
      if (this.grid && !this.sizes.calibrated && viewport.clientWidth) this.rezoom();
      else if (this.grid) this.drawWindow();
    }).observe(viewport);
    this.view.on("hover", (/** @type {string|null} */ id, /** @type {string|null} */ previous) => {
      const byCard = this.store.linksByCard();
      const keys = [...(byCard.get(previous) || []), ...(byCard.get(id) || [])].map((link) => `${link.from}->${link.to}`);
      restyleLinks(this.layer, this.view, keys);
    });
  }

  // The browser may follow a drag with a click in the same task; ignore only that one.
  suppressNextClick() {
    this.clickSuppressed = true;
    setTimeout(() => { this.clickSuppressed = false; }, 0);
  }

  // The grid takes the keyboard back unless someone is typing somewhere.
  refocus() {
    const active = document.activeElement;
    if (this.inline.active || this.menus.laneForm) return;
    if (!active || active === document.body || !this.root.contains(active) || active.tagName === "BUTTON") {
      this.viewport.focus({ preventScroll: true });
    }
  }

  // -- finding elements ------------------------------------------------------------
  /**
   * A card's element; with `draw`, drawn first when its column is off-screen.
   * @param {string} id @param {boolean} [draw] @returns {HTMLElement|null}
   */
  cardElement(id, draw = false) {
    const find = () => /** @type {HTMLElement|null} */ (this.canvas.querySelector(`[data-card="${CSS.escape(id)}"]`));
    const found = find();
    if (found || !draw) return found;
    const place = this.store.index().cards.get(id);
    return place && this.drawStep(place.step.id) ? find() : null;
  }

  /**
   * A cell's element; with `draw`, drawn first when its column is off-screen.
   * @param {string} step @param {string} lane @param {boolean} [draw] @returns {HTMLElement|null}
   */
  cellElement(step, lane, draw = false) {
    const find = () => /** @type {HTMLElement|null} */ (
      this.canvas.querySelector(`.sl-cell[data-step="${CSS.escape(step)}"][data-lane="${CSS.escape(lane)}"]`));
    const found = find();
    if (found || !draw) return found;
    return this.drawStep(step) ? find() : null;
  }

  /**
   * The cell at a point of the window, looking through link lines and drag ghosts.
   * @param {number} x
   * @param {number} y
   * @returns {HTMLElement|null}
   */
  cellAt(x, y) {
    for (const element of document.elementsFromPoint(x, y)) {
      if (element.closest?.(".sl-ghost")) continue;
      const cell = element.closest?.(".sl-cell[data-step]");
      if (cell instanceof HTMLElement && this.canvas.contains(cell)) return cell;
      if (element === this.viewport) return null;
    }
    return null;
  }

  // -- applying changes --------------------------------------------------------
  /**
   * Apply an edit made here; returns an error message, or null when it applied.
   * @param {any} op
   * @returns {string|null}
   */
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
    this.store.changed();
    const index = this.store.index();
    for (const id of [...this.view.selection]) {
      if (!index.cards.has(id) && !index.links.has(id) && !index.steps.has(id) && !index.stages.has(id)) this.view.selection.delete(id);
    }
    if (!this.inline.active) this.render();
    else {
      this.pendingRender = true;
      this.inline.send("lost");
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

  /** @param {string} text */
  flash(text) {
    this.message.textContent = text;
    this.message.hidden = false;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => { this.message.hidden = true; }, 4000);
  }

  /** @param {string} text @param {string} [kind] */
  setStatus(text, kind = "") {
    this.statusPill.textContent = text;
    this.statusPill.className = `sl-status ${kind ? `is-${kind}` : ""}`;
  }

  // -- drawing -------------------------------------------------------------------
  render() {
    this.pendingRender = false;
    const doc = this.store.doc;
    if (!this.view.cursor || !this.store.cellExists(this.view.cursor)) {
      const first = doc.stages.flatMap((/** @type {{steps: any[]}} */ s) => s.steps)[0];
      this.view.cursor = first ? { step: first.id, lane: "customer" } : null;
    }
    this.view.remoteSelections = this.presence.remoteSelections();
    const fresh = !this.grid;
    if (fresh) {
      this.grid = h("div", { class: "sl-grid", role: "grid" });
      this.canvas.replaceChildren(this.grid, this.layer, this.presence.layer);
      this.sizes.calibrate(this.grid);
    }
    this.pinCursor();
    this.window = this.columnsInView(1);
    this.drawCells();
    this.shown = new Set(this.view.selection);
    this.updateFilterOptions();
    // The first drawing of the links waits for the board's first frame: opening
    // a large board shows it (and takes clicks) before every link is routed.
    if (fresh) requestAnimationFrame(() => setTimeout(() => this.redrawLinks(), 0));
    // Links move only when a cell was redrawn or the links changed: a render for
    // someone's presence, a comment count or the server's echo of an edit already
    // shown does not measure them again.
    else if (/** @type {any} */ (this.grid).rebuilt || this.resized || this.linksKey !== this.store.linksKey()) this.redrawLinks();
    this.linksKey = this.store.linksKey();
    this.minimap.update(doc);
    this.panel.render();
    this.presence.drawPeople(this.people);
    this.presence.draw();
  }

  redrawLinks() {
    this.resized = false;
    const doc = this.store.doc;
    drawLinks(this.layer, this.canvas, doc, this.view, boardGeometry(this.canvas, doc, this.view, this.sizes));
    this.cull();
  }

  // -- drawing only what is near the view ---------------------------------------------
  // A large board keeps the cells of the columns within a screen of the view in
  // the page (headers and lane labels always): scrolling draws the columns
  // coming near and drops those left behind. Each row keeps the height of its
  // tallest cell, drawn or not (layout.js), so nothing moves as columns come
  // and go, and links are routed from where cards are, not from the page.

  /** The widths of the grid's columns (CSS), read once. */
  columnWidths() {
    if (!this.widths) {
      const style = getComputedStyle(this.root);
      const read = (/** @type {string} */ name, /** @type {number} */ fallback) => parseFloat(style.getPropertyValue(name)) || fallback;
      this.widths = { head: read("--lane-head", 168), col: read("--col", 220), collapsed: read("--col-collapsed", 64) };
    }
    return this.widths;
  }

  /**
   * The columns in view, with `screens` view widths either side.
   * @param {number} screens
   * @returns {{from: number, to: number}}
   */
  columnsInView(screens) {
    const { head, col, collapsed } = this.columnWidths();
    const zoom = this.view.zoom;
    const width = (this.viewport.clientWidth || 1600) / zoom;
    // The grid starts after the canvas's padding and the grid's border.
    const left = this.viewport.scrollLeft / zoom - 13 - head - screens * width;
    const right = left + (2 * screens + 1) * width;
    let x = 0;
    let from = -1;
    let to = -1;
    gridColumns(this.store.doc, this.view).forEach((column, n) => {
      const w = column.step ? col : collapsed;
      if (x + w >= left && x <= right) { if (from < 0) from = n; to = n; }
      x += w;
    });
    return from < 0 ? { from: 0, to: -1 } : { from, to };
  }

  // The cursor's column stays drawn: the keyboard works on it wherever the view is.
  pinCursor() {
    if (!this.inline.active) this.pinned.clear();
    if (this.view.cursor) this.pinned.add(this.view.cursor.step);
  }

  // Draw the cells of the window and the pinned steps; measure the cards drawn
  // afresh. With `keep`, the cells already drawn stay (selection and cursor are
  // kept on them in place: showSelection); only cells coming near are drawn.
  drawCells(keep = false) {
    const doc = this.store.doc;
    const grid = /** @type {any} */ (this.grid);
    const pinned = new Set();
    gridColumns(doc, this.view).forEach((column, n) => { if (column.step && this.pinned.has(column.step.id)) pinned.add(n); });
    const { from, to } = this.window;
    const window = { shows: (/** @type {number} */ n) => (n >= from && n <= to) || pinned.has(n), floors: this.floors(), keep };
    renderGrid(doc, this.view, grid, window);
    const rebuilt = grid.rebuilt;
    const index = this.store.index();
    if (grid.built.length && this.sizes.measure(grid.built, (id) => index.cards.get(id)?.card)) {
      // A card is not as tall as it was thought: rows and links follow.
      this.resized = true;
      renderGrid(doc, this.view, grid, { ...window, floors: this.floors() });
    }
    grid.rebuilt = rebuilt;
  }

  /** Each lane's least height: its tallest cell (folded lanes: the least row). @returns {number[]} */
  floors() {
    const doc = this.store.doc;
    const below = new Map(linesOf(doc).map((line) => [line.above, line.name]));
    return doc.lanes.map((/** @type {{id: string}} */ lane) => (this.view.collapsedLanes.has(lane.id) ? LEAST_ROW
      : this.sizes.laneFloor(doc, lane.id, below.get(lane.id) || null)));
  }

  // Text wraps a little differently at another zoom: cards are measured again
  // (and the rest estimated anew), rows and links follow.
  rezoom() {
    if (!this.grid || this.inline.active) { this.cull(); return; }
    this.sizes.forget();
    this.sizes.calibrate(this.grid);
    const index = this.store.index();
    this.sizes.measure(/** @type {NodeListOf<HTMLElement>} */ (this.grid.querySelectorAll(".sl-cell[data-step]")), (id) => index.cards.get(id)?.card);
    this.window = this.columnsInView(1);
    this.pinCursor();
    this.drawCells(true);
    this.redrawLinks();
    this.presence.draw();
  }

  // As the board scrolls: draw the columns coming near (a screen ahead), once
  // the view gets within a column of the edge of what is drawn.
  drawWindow() {
    if (!this.grid || this.inline.active) return;
    const near = this.columnsInView(0.25);
    if (near.from >= this.window.from && near.to <= this.window.to) return;
    this.window = this.columnsInView(1);
    this.pinCursor();
    this.drawCells(true);
    if (this.resized) this.redrawLinks();
    this.presence.draw();
  }

  /**
   * Draw a step's cells wherever the view is (for the keyboard, find, an editor opening there).
   * @param {string} step
   * @returns {boolean} whether the step has a column
   */
  drawStep(step) {
    if (!this.grid || !this.store.index().steps.has(step)) return false;
    this.pinned.add(step);
    this.drawCells(true);
    if (this.resized) this.redrawLinks();
    return true;
  }

  // Draw only the links near the part of the board in view (and a screen around it).
  cull() {
    const zoom = this.view.zoom;
    const { scrollLeft, scrollTop, clientWidth, clientHeight } = this.viewport;
    cullLinks(this.layer, {
      x: (scrollLeft - clientWidth) / zoom, y: (scrollTop - clientHeight) / zoom, w: (3 * clientWidth) / zoom, h: (3 * clientHeight) / zoom,
    });
  }

  updateFilterOptions() {
    const { actors, departments } = this.store.people();
    const signature = JSON.stringify([actors, departments]);
    if (signature === this.filterSignature) return;
    this.filterSignature = signature;
    const current = this.filterSelect.value;
    this.filterSelect.replaceChildren(h("option", { value: "" }, "Everyone"),
      actors.length ? h("optgroup", { label: "Actors" }, actors.map((a) => h("option", { value: `actor:${a}` }, a))) : null,
      departments.length ? h("optgroup", { label: "Departments" }, departments.map((d) => h("option", { value: `department:${d}` }, d))) : null);
    this.filterSelect.value = current;
    /** @type {Array<[string, string[]]>} */
    const lists = [["sl-actors", actors], ["sl-departments", departments]];
    for (const [id, values] of lists) {
      let list = this.root.querySelector(`#${id}`);
      if (!list) { list = h("datalist", { id }); this.root.append(list); }
      list.replaceChildren(...values.map((v) => h("option", { value: v })));
    }
  }

  applyFilter() {
    const query = this.search.value.trim().toLowerCase();
    const [field, value] = this.filterSelect.value ? this.filterSelect.value.split(/:(.*)/s) : [null, null];
    this.view.filter = { query, field, value };
    if (!query && !field) {
      this.view.matches = null;
    } else {
      this.view.matches = new Set();
      for (const { card } of this.store.index().cards.values()) {
        const text = [card.text, card.actor, card.department, card.pain, card.notes, ...(card.tags || [])].join(" ").toLowerCase();
        if ((!query || text.includes(query)) && (!field || card[field] === value)) this.view.matches.add(card.id);
      }
    }
    this.matchCursor = -1;
    this.render();
  }

  nextMatch() {
    if (!this.view.matches || !this.view.matches.size) return;
    // In the board's order, drawn or not: left to right, top to bottom.
    const ids = this.boardOrder().filter((id) => this.view.matches.has(id));
    this.matchCursor = (this.matchCursor + 1) % ids.length;
    this.select([ids[this.matchCursor]]);
    this.scrollTo(ids[this.matchCursor]);
  }

  // -- selection -----------------------------------------------------------------
  /** @param {string[]} ids @param {{add?: boolean}} [options] */
  select(ids, { add = false } = {}) {
    this.view.select(ids, { add });
    const card = ids.length === 1 && this.store.index().cards.get(ids[0]);
    if (card) this.view.cursor = { step: card.step.id, lane: card.lane };
    this.showSelection();
    this.onSelection([...this.view.selection]);
  }

  // Selection and cursor change classes in place, on the elements whose state
  // changed (the grid is not rebuilt), and only the links selected or
  // unselected are restyled. The side panel follows after the frame that shows
  // the selection, so a click shows at once on a large board.
  showSelection() {
    const { selection, cursor } = this.view;
    const before = this.shown || new Set();
    /** @param {string} id */
    const element = (id) => this.canvas.querySelector(`[data-card="${CSS.escape(id)}"], .sl-step[data-step="${CSS.escape(id)}"], .sl-stage[data-stage="${CSS.escape(id)}"]`);
    const links = [];
    for (const id of before) {
      if (selection.has(id)) continue;
      if (id.includes("->")) links.push(id);
      else element(id)?.classList.remove("is-selected");
    }
    for (const id of selection) {
      if (before.has(id) && !id.includes("->")) continue;
      if (id.includes("->")) links.push(id);
      else element(id)?.classList.add("is-selected");
    }
    // Box select marks cards on its own: clear any it left.
    for (const stray of this.grid.querySelectorAll(".is-selected")) {
      const id = /** @type {HTMLElement} */ (stray).dataset;
      if (!selection.has(id.card || id.step || id.stage)) stray.classList.remove("is-selected");
    }
    this.shown = new Set(selection);
    const key = cursor ? `${cursor.step}|${cursor.lane}` : null;
    const previous = /** @type {HTMLElement|null} */ (this.canvas.querySelector(".sl-cell.is-cursor"));
    if (previous && `${previous.dataset.step}|${previous.dataset.lane}` !== key) {
      previous.classList.remove("is-cursor");
      previous.tabIndex = -1;
    }
    if (cursor) {
      const cell = this.cellElement(cursor.step, cursor.lane);
      if (cell) { cell.classList.add("is-cursor"); cell.tabIndex = 0; }
    }
    restyleLinks(this.layer, this.view, links);
    this.panelAfterFrame();
  }

  // The side panel follows the selection once the frame showing it is drawn:
  // a click on a large board shows at once, the panel's form a moment after.
  panelAfterFrame() {
    if (this.panelFrame) return;
    this.panelFrame = requestAnimationFrame(() => setTimeout(() => {
      this.panelFrame = 0;
      this.panel.render();
    }, 0));
  }

  /** @param {{card?: string, step?: string, stage?: string, lane?: string}} finding */
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

  /** Every card's id, column by column, lane by lane. @returns {string[]} */
  boardOrder() {
    const doc = this.store.doc;
    const ids = [];
    for (const stage of doc.stages) for (const step of stage.steps) {
      for (const lane of doc.lanes) for (const card of (step.cells || {})[lane.id] || []) ids.push(card.id);
    }
    return ids;
  }

  /** @param {string} id */
  scrollTo(id) {
    const place = this.store.index().cards.get(id);
    if (place) this.drawStep(place.step.id);
    const quoted = CSS.escape(id);
    const element = this.canvas.querySelector(`[data-card="${quoted}"], [data-step="${quoted}"], [data-stage="${quoted}"]`);
    if (element) element.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  /** @param {number} dx @param {number} dy */
  moveCursor(dx, dy) {
    const doc = this.store.doc;
    const steps = doc.stages.filter((/** @type {{id: string}} */ s) => !this.view.collapsedStages.has(s.id))
      .flatMap((/** @type {{steps: {id: string}[]}} */ s) => s.steps.map((st) => st.id));
    const lanes = doc.lanes.map((/** @type {{id: string}} */ l) => l.id);
    if (!steps.length) return undefined;
    const cursor = this.view.cursor || { step: steps[0], lane: "customer" };
    const index = this.store.index();
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
    this.drawStep(this.view.cursor.step);
    const cards = this.store.cellCards(this.view.cursor.step, this.view.cursor.lane);
    if (cards.length) this.select([dy < 0 ? cards[cards.length - 1].id : cards[0].id]);
    else this.select([]);
    this.canvas.querySelector(".sl-cell.is-cursor")?.scrollIntoView({ block: "nearest", inline: "nearest" });
    return undefined;
  }

  selectCell() {
    if (!this.view.cursor) return;
    const { step, lane } = this.view.cursor;
    this.select(this.store.cellCards(step, lane).map((c) => c.id));
  }

  deleteSelection() {
    const index = this.store.index();
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
      const box = /** @type {HTMLElement|null} */ (this.side.querySelector(".sl-new-comment"));
      if (box) { box.focus(); return; }
    }
    this.flash(this.readOnlyMessage());
  }

  // -- mouse -----------------------------------------------------------------------
  /** @param {MouseEvent} event */
  onToolbar(event) {
    const action = /** @type {HTMLElement|null} */ (targetOf(event).closest("[data-action]"))?.dataset.action;
    if (action === "undo") this.undo();
    if (action === "redo") this.redo();
    if (action === "zoom-in") this.zoomStep(1);
    if (action === "zoom-out") this.zoomStep(-1);
    if (action === "fit") this.fit();
    if (action === "add-stage") this.addStage();
    if (action === "add-lane") this.menus.addLane();
    if (action === "help") this.menus.toggleHelp();
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

  /** @param {DOMStringMap} data @param {Event} event */
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
      case "open-pin": this.comments?.openPin(data.pin); break;
      default: break;
    }
  }

  // A cell's marker: select the cards its findings are about and list them.
  /** @param {string} key */
  showCellFindings(key) {
    const findings = this.view.findingsByCell.get(key) || [];
    const cards = [...new Set(findings.map((finding) => finding.card).filter(Boolean))];
    const [step, lane] = key.split("|");
    this.view.cursor = { step, lane };
    this.view.focus = key;
    this.panel.tab = "findings";
    this.panel.focus = key;
    this.select(cards.length ? cards : [step]);
    this.side.querySelector(".sl-finding.is-focused")?.scrollIntoView({ block: "nearest" });
  }

  /** @param {Set<string>} set @param {string} id */
  toggle(set, id) {
    if (set.has(id)) set.delete(id); else set.add(id);
    this.render();
  }

  /** @param {"stage"|"step"|"lane"} kind @param {string} id */
  confirmDelete(kind, id) {
    const index = this.store.index();
    let cards = 0;
    const count = (/** @type {any} */ step) => Object.values(step.cells || {}).flat().length;
    if (kind === "stage") cards = index.stages.get(id).steps.reduce((/** @type {number} */ n, /** @type {any} */ s) => n + count(s), 0);
    if (kind === "step") cards = count(index.steps.get(id).step);
    if (kind === "lane") cards = [...index.cards.values()].filter((p) => p.lane === id).length;
    // Deleting is undoable, so only ask when it takes cards with it.
    if (cards && !window.confirm(`Delete this ${kind} and its ${cards} card${cards === 1 ? "" : "s"}? You can undo it.`)) return;
    this.apply({ op: `remove_${kind}`, id });
  }

  /**
   * A double-click (read by the select tool): edit a card or title, or add a card to a cell.
   * @param {MouseEvent} event
   */
  onDoubleClick(event) {
    const target = targetOf(event);
    const card = /** @type {HTMLElement|null} */ (target.closest("[data-card]"));
    if (!this.view.canEdit) {
      // Those who can comment double-click a card to write about it.
      if (card && this.canComment && this.comments) {
        this.select([card.dataset.card]);
        this.panel.tab = "details";
        this.panel.render();
        /** @type {HTMLElement|null} */ (this.side.querySelector(".sl-new-comment"))?.focus();
      }
      return undefined;
    }
    if (card) return this.inline.editCard(card.dataset.card);
    const title = /** @type {HTMLElement|null} */ (target.closest("[data-rename]"));
    if (title) return this.inline.rename(title);
    // A link crossing the cell does not stand in the way: the cell under it gets the card.
    const cell = /** @type {HTMLElement|null} */ (target.closest(".sl-cell[data-step]"))
      || (target.closest("[data-link]") ? this.cellAt(event.clientX, event.clientY) : null);
    if (cell && !cell.classList.contains("is-collapsed")) this.inline.newCard(cell.dataset.step, cell.dataset.lane);
    return undefined;
  }

  /** @param {PointerEvent} event */
  onHover(event) {
    const card = /** @type {HTMLElement|null} */ (targetOf(event).closest("[data-card]"));
    this.view.setHover(card ? card.dataset.card : null);
  }

  // Drag a card to move it; drag from its handle to another card to link them;
  // drag a header to reorder.
  /** @param {PointerEvent} event */
  onPointerDown(event) {
    if (!this.view.canEdit || event.button !== 0 || this.inline.active) return;
    const target = targetOf(event);
    const header = target.closest(".sl-stage[data-stage], .sl-step[data-step], .sl-lane-head[data-lane]");
    if (header && !target.closest("button, input, textarea")) {
      event.stopPropagation();
      this.tools.header.send("down", event);
      return;
    }
    if (!target.closest("[data-card]")) return;
    event.stopPropagation();
    if (target.closest("[data-handle]")) this.tools.link.send("down", event);
    else this.tools.drag.send("down", event);
  }

  // -- zoom (camera.js) ---------------------------------------------------------------
  /** @param {number} zoom @param {{x: number, y: number}|null} [at] */
  setZoom(zoom, at = null) {
    this.camera.set(zoom, at);
  }

  /** @param {number} direction */
  zoomStep(direction) {
    this.camera.step(direction);
  }

  fit() {
    this.camera.fit();
  }

  // -- others' pointers and typing ----------------------------------------------------
  /** @param {string|null} where */
  tellTyping(where) {
    this.presence.tellTyping(where);
  }

  /** @param {{client_id: string, pointer: number[]|null, typing: string|null}} message */
  showCursor(message) {
    this.presence.show(message);
  }

  /** @param {import("./presence.js").Person[]} people */
  setPresence(people) {
    this.presence.set(people);
    if (!this.inline.active) this.render();
  }

  // -- adding ------------------------------------------------------------------------
  takenIds() {
    return this.store.takenIds();
  }

  addStage() {
    const doc = this.store.doc;
    const taken = this.store.takenIds();
    const stageId = freshId(`stage-${doc.stages.length + 1}`, taken);
    taken.add(stageId);
    const stepId = freshId(`step-${stageId}`, taken);
    if (!this.apply({ op: "add_stage", stage: { id: stageId, title: `Stage ${doc.stages.length + 1}`, steps: [{ id: stepId, cells: {} }] } })) {
      this.select([stageId]);
      const title = /** @type {HTMLElement|null} */ (this.canvas.querySelector(`.sl-stage[data-stage="${CSS.escape(stageId)}"] [data-rename]`));
      if (title) this.inline.rename(title);
    }
  }

  /** @param {string} stageId @param {number|null} index */
  addStep(stageId, index) {
    const stepId = freshId("step", this.store.takenIds());
    if (!this.apply({ op: "add_step", stage: stageId, step: { id: stepId, cells: {} }, index })) {
      this.view.cursor = { step: stepId, lane: "customer" };
      this.render();
      this.inline.newCard(stepId, "customer");
    }
  }

  /** @param {string} stepId */
  addStepAfter(stepId) {
    const { stage, step } = this.store.index().steps.get(stepId);
    this.addStep(stage.id, stage.steps.indexOf(step) + 1);
  }

  // -- clipboard (clipboard.js) ---------------------------------------------------------
  /** @param {DataTransfer|null} clipboard */
  copy(clipboard) {
    return this.clip.copy(clipboard);
  }

  /** @param {DataTransfer|null} clipboard */
  paste(clipboard) {
    this.clip.paste(clipboard);
  }

  // -- findings and metrics from the server ------------------------------------------------
  refreshInsights() {
    if (!this.insightsSource) return;
    clearTimeout(this.insightsTimer);
    this.panel.insights.pending = true;
    const version = (this.insightsVersion += 1);
    // Large blueprints take the server longer to check: ask less often while people type.
    const cards = this.store.cardCount();
    this.insightsTimer = setTimeout(async () => {
      try {
        const result = await this.insightsSource(this.store.doc);
        if (version !== this.insightsVersion) return; // a newer change is on its way
        this.panel.insights = { findings: result.findings || [], metrics: result.metrics || null, pending: false };
        this.store.setFindings(this.panel.insights.findings);
        this.view.findingsByCell = this.store.findingsByCell;
        if (!this.inline.active) this.render();
      } catch {
        this.panel.insights.pending = false;
      }
    }, cards > 300 ? 1200 : 400);
  }

  // -- comments ----------------------------------------------------------------------------
  async loadComments() {
    if (this.comments) await this.comments.load();
  }

  /** Start a thread, reply or resolve; true when it worked. @param {"start"|"reply"|"resolve"} kind @param {any} args */
  async comment(kind, args) {
    return this.comments ? this.comments.send(kind, args) : false;
  }
}
