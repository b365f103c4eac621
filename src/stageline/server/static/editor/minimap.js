// @ts-check
// A small overview of the whole board in a corner of the editor: the stage row,
// the lanes in their colours, every card as a tiny rectangle in its lane's
// accent, and the part of the board in view as a rectangle. Clicking or
// dragging on it moves the view there. It shows only when the board is larger
// than the view, and folds away to a "Map" button (the choice is remembered).
//
//   const minimap = new Minimap(viewport, canvas); // inserts itself after `viewport`
//   minimap.update(doc); // after the board is drawn again (doc) or zoomed (no argument)
//
// Cheap on a 1,000-card board: the board is measured and drawn into an
// offscreen picture only after it changed, and at most once a frame; scrolling
// copies that picture and draws the view's rectangle, on a requestAnimationFrame.

import { CUSTOM_LANE_COLOURS, LANE_COLOURS } from "./model.js";

const WIDTH = 320; // the largest the map gets, in CSS pixels (and a third of the view's width at most)
const HEIGHT = 160;
const LEAST = 56; // a very long or tall board is stretched across: never thinner than this
const MARGIN = 12; // from the view's bottom right corner
const STORAGE_KEY = "stageline.editor.minimap";
const REPAINT_MS = 150; // the board's picture is drawn again at most this often

/** @typedef {{x: number, y: number, w: number, h: number}} Rect */
/** @typedef {{id: string, visible?: boolean}} Lane */
/** @typedef {{id: string}} Card */
/** @typedef {{id: string, cells?: Record<string, Card[]>}} Step */
/** @typedef {{lanes: Lane[], stages: {id: string, steps: Step[]}[]}} Doc */

/**
 * Each lane's accent and band colours, as the grid and the drawing have them.
 * @param {Doc} doc
 * @returns {Map<string, {accent: string, band: string}>}
 */
function colours(doc) {
  const found = new Map();
  let custom = 0;
  for (const lane of doc.lanes) {
    found.set(lane.id, LANE_COLOURS[lane.id] || CUSTOM_LANE_COLOURS[custom++ % CUSTOM_LANE_COLOURS.length]);
  }
  return found;
}

export class Minimap {
  /**
   * @param {HTMLElement} viewport the scrolling view of the board
   * @param {HTMLElement} canvas the board inside it (zoomed with CSS zoom)
   */
  constructor(viewport, canvas) {
    this.viewport = viewport;
    this.canvas = canvas;
    /** @type {Doc | null} */
    this.doc = null;
    this.scale = { x: 1, y: 1 }; // map pixels per board pixel
    this.dirty = true; // the board changed since it was last measured
    this.frame = 0;
    this.painted = -Infinity; // when the board was last drawn into the picture
    this.later = 0; // a timer to draw it again after a burst of changes
    this.hidden = false;
    try { this.hidden = localStorage.getItem(STORAGE_KEY) === "hidden"; } catch { /* private mode */ }

    this.element = document.createElement("div");
    this.element.className = "sl-minimap";
    this.element.hidden = true;
    this.map = document.createElement("canvas");
    this.map.className = "sl-minimap-map";
    this.map.setAttribute("role", "img");
    this.map.setAttribute("aria-label", "Map of the whole board: click or drag to move the view");
    this.toggle = document.createElement("button");
    this.toggle.type = "button";
    this.toggle.className = "sl-minimap-toggle";
    this.toggle.addEventListener("click", () => this.setHidden(!this.hidden));
    this.element.append(this.map, this.toggle);
    this.picture = document.createElement("canvas"); // the board without the view's rectangle
    viewport.after(this.element);

    this.map.addEventListener("pointerdown", (event) => this.onPointerDown(event));
    viewport.addEventListener("scroll", () => this.schedule(), { passive: true });
    // The view resizes with the window and the side panel; the board with its content.
    const resized = new ResizeObserver(() => this.update());
    resized.observe(viewport);
    resized.observe(canvas);
    this.setHidden(this.hidden);
  }

  /**
   * The board was drawn again (with `doc`) or zoomed (no argument): measure it on the next frame.
   * @param {Doc} [doc]
   */
  update(doc) {
    if (doc) this.doc = doc;
    this.dirty = true;
    this.schedule();
  }

  /** @param {boolean} hidden */
  setHidden(hidden) {
    this.hidden = hidden;
    this.element.classList.toggle("is-folded", hidden);
    this.map.hidden = hidden;
    this.toggle.textContent = hidden ? "Map" : "×";
    this.toggle.title = hidden ? "Show the map of the board" : "Hide the map";
    this.toggle.setAttribute("aria-label", this.toggle.title);
    this.toggle.setAttribute("aria-pressed", String(!hidden));
    try { localStorage.setItem(STORAGE_KEY, hidden ? "hidden" : "shown"); } catch { /* private mode */ }
    this.dirty = true;
    this.schedule();
  }

  schedule() {
    if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  // Where the board's content starts, in client pixels (the view's padding box).
  origin() {
    const box = this.viewport.getBoundingClientRect();
    return { x: box.left + this.viewport.clientLeft - this.viewport.scrollLeft,
      y: box.top + this.viewport.clientTop - this.viewport.scrollTop };
  }

  draw() {
    const view = this.viewport;
    const board = { w: view.scrollWidth, h: view.scrollHeight };
    const larger = board.w > view.clientWidth + 1 || board.h > view.clientHeight + 1;
    const hidden = !larger || !this.doc;
    // In the view's bottom right corner, clear of its scroll bars. Everything is
    // read before anything is written (a write before a read would lay the board out again).
    const parent = /** @type {HTMLElement | null} */ (view.offsetParent);
    const right = parent ? parent.clientWidth - view.offsetLeft - view.clientLeft - view.clientWidth : 0;
    const bottom = parent ? parent.clientHeight - view.offsetTop - view.clientTop - view.clientHeight : 0;
    if (this.element.hidden !== hidden) this.element.hidden = hidden;
    if (hidden) return;
    const place = [`${right + MARGIN}px`, `${bottom + MARGIN}px`];
    if (this.element.style.right !== place[0]) this.element.style.right = place[0];
    if (this.element.style.bottom !== place[1]) this.element.style.bottom = place[1];
    if (this.hidden) return;
    const most = { w: Math.min(WIDTH, view.clientWidth / 3), h: HEIGHT };
    const both = Math.min(most.w / board.w, most.h / board.h);
    const scale = { x: Math.max(both, Math.min(LEAST, most.w) / board.w), y: Math.max(both, LEAST / board.h) };
    const width = Math.max(1, Math.round(board.w * scale.x));
    const height = Math.max(1, Math.round(board.h * scale.y));
    const ratio = window.devicePixelRatio || 1;
    const resized = scale.x !== this.scale.x || scale.y !== this.scale.y;
    if (resized || (this.dirty && performance.now() - this.painted >= REPAINT_MS)) {
      this.scale = scale;
      this.paint(width, height, ratio);
      this.painted = performance.now();
      this.dirty = false;
    } else if (this.dirty && !this.later) {
      // Edits come in bursts (typing, dragging, others' changes): the board is drawn again a moment after.
      this.later = window.setTimeout(() => { this.later = 0; this.schedule(); }, REPAINT_MS);
    }
    if (this.map.width !== this.picture.width || this.map.height !== this.picture.height) {
      this.map.width = this.picture.width;
      this.map.height = this.picture.height;
      this.map.style.width = `${width}px`;
      this.map.style.height = `${height}px`;
    }
    const context = /** @type {CanvasRenderingContext2D} */ (this.map.getContext("2d"));
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, this.map.width, this.map.height);
    context.drawImage(this.picture, 0, 0);
    // The part of the board in view.
    const shown = this.inView();
    const [x, y] = [shown.x * scale.x * ratio, shown.y * scale.y * ratio];
    const [w, h] = [shown.w * scale.x * ratio, shown.h * scale.y * ratio];
    context.fillStyle = "rgba(47, 91, 211, .12)";
    context.fillRect(x, y, w, h);
    context.lineWidth = 1.5 * ratio;
    context.strokeStyle = "#2f5bd3";
    context.strokeRect(x + ratio / 2, y + ratio / 2, Math.max(w - ratio, 1), Math.max(h - ratio, 1));
  }

  /** The part of the board in view, in the board's (scroll) pixels. @returns {Rect} */
  inView() {
    const view = this.viewport;
    return { x: view.scrollLeft, y: view.scrollTop, w: view.clientWidth, h: view.clientHeight };
  }

  /**
   * Measure the board and draw it into the picture. Only the grid's lines are
   * measured (a step header per column, a lane header per row: a few hundred
   * layout reads, not one per card); the cards come from the document, stacked
   * in their cells, which at the map's size is where they are.
   * @param {number} width
   * @param {number} height
   * @param {number} ratio
   */
  paint(width, height, ratio) {
    const doc = /** @type {Doc} */ (this.doc);
    const lanes = colours(doc);
    const grid = /** @type {HTMLElement | null} */ (this.canvas.querySelector(".sl-grid"));
    this.picture.width = Math.round(width * ratio);
    this.picture.height = Math.round(height * ratio);
    const context = /** @type {CanvasRenderingContext2D} */ (this.picture.getContext("2d"));
    const { x: sx, y: sy } = this.scale;
    context.setTransform(ratio * sx, 0, 0, ratio * sy, 0, 0);
    context.fillStyle = "#f6f7f9";
    context.fillRect(0, 0, width / sx, height / sy);
    if (!grid || !grid.offsetWidth) return;
    // The grid in the board's (scroll) pixels; offsets inside it are unzoomed.
    const origin = this.origin();
    const outer = grid.getBoundingClientRect();
    const zoom = outer.width / grid.offsetWidth;
    const at = { x: outer.left - origin.x, y: outer.top - origin.y };
    /** @param {HTMLElement} e */
    const across = (e) => ({ x: at.x + (e.offsetLeft - grid.offsetLeft) * zoom, w: e.offsetWidth * zoom });
    /** @param {HTMLElement} e */
    const down = (e) => ({ y: at.y + (e.offsetTop - grid.offsetTop) * zoom, h: e.offsetHeight * zoom });
    const children = /** @type {HTMLElement[]} */ ([...grid.children]);
    // Stage and step headers stick to the top, lane headers to the left: only
    // their other direction is theirs.
    const heads = children.filter((e) => e.classList.contains("sl-stage") && e.dataset.stage);
    const stages = heads.map((e) => ({ id: e.dataset.stage, ...across(e) }));
    const columns = children.filter((e) => e.classList.contains("sl-step")).map((e) => ({ step: e.dataset.step, ...across(e) }));
    const rows = children.filter((e) => e.classList.contains("sl-lane-head") && e.dataset.lane)
      .map((e) => ({ lane: e.dataset.lane || "", folded: e.classList.contains("is-collapsed"), ...down(e) }));
    const stageRow = heads[0];

    context.fillStyle = "#ffffff";
    context.fillRect(at.x, at.y, outer.width, outer.height);
    context.fillStyle = "#1d2433";
    const top = stageRow ? stageRow.offsetHeight * zoom : 0;
    for (const stage of stages) context.fillRect(stage.x, at.y, Math.max(stage.w - 1 / sx, 1 / sx), top);

    // How many cards each column and lane holds: a step's own, or a folded stage's all.
    /** @type {Map<string, number>} */
    const counts = new Map();
    for (const stage of doc.stages) {
      for (const step of stage.steps) {
        for (const lane in step.cells || {}) {
          const n = step.cells[lane].length;
          counts.set(`${step.id}|${lane}`, n);
          const key = `stage:${stage.id}|${lane}`;
          counts.set(key, (counts.get(key) || 0) + n);
        }
      }
    }
    const [lx, ly] = [1 / sx, 1 / sy]; // nothing thinner than one pixel of the map
    const gap = 6 * zoom;
    const tall = 40 * zoom; // about a one-line card
    // A folded stage's column: the stage it stands for.
    const stageOf = columns.map((column) => (column.step ? null : stages.find((s) => s.x <= column.x + 1 && column.x < s.x + s.w)));
    const first = columns[0];
    const last = columns[columns.length - 1];
    // Row by row, one colour at a time: the lane's band across the board, then
    // every card of the lane as one path (a few fills, not one per cell and card).
    for (const row of rows) {
      if (!first) break;
      const colour = lanes.get(row.lane) || { accent: "#6b7385", band: "#f4f5f7" };
      context.fillStyle = colour.band;
      context.fillRect(first.x, row.y, last.x + last.w - first.x, row.h);
      context.fillStyle = colour.accent;
      context.beginPath();
      columns.forEach((column, c) => {
        const key = column.step ? `${column.step}|${row.lane}` : `stage:${stageOf[c]?.id}|${row.lane}`;
        const count = counts.get(key) || 0;
        if (!count) return;
        if (row.folded || !column.step) {
          context.rect(column.x + 2 * zoom, row.y + 2 * zoom, Math.max(column.w - 4 * zoom, lx), Math.max(Math.min(row.h - 4 * zoom, tall), ly));
          return;
        }
        const each = Math.min(tall, (row.h - gap * (count + 1)) / count);
        for (let n = 0; n < count; n += 1) {
          context.rect(column.x + gap, row.y + gap + n * (each + gap), Math.max(column.w - 2 * gap, lx), Math.max(each, ly));
        }
      });
      context.fill();
    }
  }

  /** @param {PointerEvent} event */
  onPointerDown(event) {
    if (event.button !== 0) return;
    event.preventDefault();
    this.map.setPointerCapture(event.pointerId);
    /** @param {PointerEvent} e */
    const go = (e) => {
      const box = this.map.getBoundingClientRect();
      const x = (e.clientX - box.left) / this.scale.x;
      const y = (e.clientY - box.top) / this.scale.y;
      this.viewport.scrollTo(x - this.viewport.clientWidth / 2, y - this.viewport.clientHeight / 2);
    };
    go(event);
    const up = () => {
      this.map.removeEventListener("pointermove", go);
      this.map.removeEventListener("pointerup", up);
      this.map.removeEventListener("pointercancel", up);
    };
    this.map.addEventListener("pointermove", go);
    this.map.addEventListener("pointerup", up);
    this.map.addEventListener("pointercancel", up);
  }
}
