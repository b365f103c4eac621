// @ts-check
// The box-select tool: Shift + drag on the background draws a box; the cards it
// touches are selected (added to the selection with Ctrl/Cmd held too).
//
//   idle --down--> boxing --move/scroll--> boxing --up--> idle (selects)

import { h } from "../dom.js";
import { Tool, autoScroll } from "./tool.js";

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
      run.chosen = boxes.filter((/** @type {{rect: DOMRect}} */ { rect }) => rect.right - dx > x1 && rect.left - dx < x2
        && rect.bottom - dy > y1 && rect.top - dy < y2).map((/** @type {{id: string}} */ { id }) => id);
      const selected = new Set([...before, ...run.chosen]);
      for (const { id, element } of cards) element.classList.toggle("is-selected", selected.has(id));
    };
    const scrolled = () => update();
    this.transitions = {
      idle: {
        down: (/** @type {PointerEvent} */ event) => {
          event.preventDefault();
          /** @type {{id: string, element: HTMLElement}[]} */
          const cards = [...editor.canvas.querySelectorAll("[data-card]")].map((element) => ({ id: /** @type {HTMLElement} */ (element).dataset.card,
            element: /** @type {HTMLElement} */ (element) }));
          // Read every box first, then draw: no layout between the reads.
          const boxes = cards.map(({ id, element }) => ({ id, rect: element.getBoundingClientRect() }));
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
