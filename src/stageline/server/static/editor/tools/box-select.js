// @ts-check
// The box-select tool: Shift + drag on the background draws a box; the cards it
// touches are selected (added to the selection with Ctrl/Cmd held too), those
// scrolled to while boxing included, whether or not their column is drawn.
//
//   idle --down--> boxing --move/scroll--> boxing --up--> idle (selects)

import { h } from "../dom.js";
import { boardGeometry } from "../links.js";
import { Tool, autoScroll } from "./tool.js";

/**
 * Where every card is on screen when the box starts, drawn or not: drawn cards as the
 * page has them, the others from the board's geometry (links.js), placed on screen by a
 * drawn card's position and size (the zoom).
 * @param {import("../editor.js").Editor} editor
 * @returns {{id: string, rect: {left: number, top: number, right: number, bottom: number}}[]}
 */
function cardBoxes(editor) {
  /** @type {Map<string, {left: number, top: number, right: number, bottom: number}>} */
  const drawn = new Map();
  for (const element of editor.canvas.querySelectorAll("[data-card]")) {
    drawn.set(/** @type {HTMLElement} */ (element).dataset.card || "", element.getBoundingClientRect());
  }
  const doc = editor.store.doc;
  const geometry = boardGeometry(editor.canvas, doc, editor.view, editor.sizes);
  /** @type {{scale: number, x: number, y: number} | null} */
  let screen = null;
  for (const [id, rect] of drawn) {
    const placed = geometry.boxOf(id);
    if (!placed || placed.card.w <= 0) continue;
    const scale = (rect.right - rect.left) / placed.card.w;
    screen = { scale, x: rect.left - placed.card.x * scale, y: rect.top - placed.card.y * scale };
    break;
  }
  const boxes = [...drawn].map(([id, rect]) => ({ id, rect }));
  if (!screen) return boxes;
  const { scale, x, y } = screen;
  for (const stage of doc.stages) {
    for (const step of stage.steps) {
      for (const cards of Object.values(step.cells || {})) {
        for (const card of /** @type {{id: string}[]} */ (cards)) {
          if (drawn.has(card.id)) continue;
          const placed = geometry.boxOf(card.id);
          if (!placed) continue; // folded away
          const { x: cx, y: cy, w, h: height } = placed.card;
          const left = x + cx * scale;
          const top = y + cy * scale;
          boxes.push({ id: card.id, rect: { left, top, right: left + w * scale, bottom: top + height * scale } });
        }
      }
    }
  }
  return boxes;
}

export class BoxSelectTool extends Tool {
  /** @param {import("../editor.js").Editor} editor */
  constructor(editor) {
    super(editor, "box-select");
    /** @type {any} */
    let run = null;
    const update = () => {
      const { start, origin, boxes, cards, before, marquee } = run;
      const pointer = run.pointer;
      if (!pointer) return;
      const viewport = editor.viewport;
      const dx = viewport.scrollLeft - origin.left;
      const dy = viewport.scrollTop - origin.top;
      const x1 = Math.min(start.x - dx, pointer.x);
      const y1 = Math.min(start.y - dy, pointer.y);
      const x2 = Math.max(start.x - dx, pointer.x);
      const y2 = Math.max(start.y - dy, pointer.y);
      Object.assign(marquee.style, { left: `${x1}px`, top: `${y1}px`, width: `${x2 - x1}px`, height: `${y2 - y1}px` });
      run.chosen = boxes.filter((/** @type {{rect: {left: number, top: number, right: number, bottom: number}}} */ { rect }) => rect.right - dx > x1 && rect.left - dx < x2
        && rect.bottom - dy > y1 && rect.top - dy < y2).map((/** @type {{id: string}} */ { id }) => id);
      const selected = new Set([...before, ...run.chosen]);
      for (const { id, element } of cards) if (element.isConnected) element.classList.toggle("is-selected", selected.has(id));
    };
    const scrolled = () => update();
    this.transitions = {
      idle: {
        down: (/** @type {PointerEvent} */ event) => {
          event.preventDefault();
          /** @type {{id: string, element: HTMLElement}[]} */
          const cards = [...editor.canvas.querySelectorAll("[data-card]")].map((element) => ({ id: /** @type {HTMLElement} */ (element).dataset.card,
            element: /** @type {HTMLElement} */ (element) }));
          // Read every box first, then draw: no layout between the reads. Cards not in the
          // page (far columns of a large board) are boxed too, where they would be drawn.
          const boxes = cardBoxes(editor);
          const marquee = h("div", { class: "sl-marquee", "aria-hidden": "true" });
          document.body.append(marquee);
          run = {
            start: { x: event.clientX, y: event.clientY }, origin: { left: editor.viewport.scrollLeft, top: editor.viewport.scrollTop },
            before: event.ctrlKey || event.metaKey ? new Set(editor.view.selection) : new Set(), cards, boxes, marquee, pointer: null, chosen: [],
          };
          run.scroller = autoScroll(editor.viewport, () => run && run.pointer);
          editor.viewport.addEventListener("scroll", scrolled);
          return "boxing";
        },
      },
      boxing: {
        move: (e) => {
          run.pointer = { x: e.clientX, y: e.clientY };
          run.scroller.start();
          update();
        },
        up: () => {
          editor.viewport.removeEventListener("scroll", scrolled);
          run.scroller.stop();
          run.marquee.remove();
          editor.suppressNextClick();
          const ids = [...new Set([...run.before, ...run.chosen])];
          run = null;
          editor.select(ids);
          return "idle";
        },
      },
    };
  }
}
