// @ts-check
// The link tool: drag from the dot on a card's right edge to another card to
// link them; a dashed line follows the pointer.
//
//   idle --down (on a handle)--> pending --move (5px)--> linking --up--> idle (adds the link)

import { svg } from "../dom.js";
import { Tool, autoScroll } from "./tool.js";

export class LinkTool extends Tool {
  /** @param {import("../editor.js").Editor} editor */
  constructor(editor) {
    super(editor, "link");
    /** @type {any} */
    let run = null;
    const follow = (/** @type {PointerEvent} */ e) => {
      run.pointer = { x: e.clientX, y: e.clientY };
      // Read both boxes, then write the path.
      const box = editor.canvas.getBoundingClientRect();
      const from = run.card.getBoundingClientRect();
      const scale = editor.view.zoom;
      const x1 = (from.right - box.left) / scale;
      const y1 = (from.top + from.height / 2 - box.top) / scale;
      run.preview.setAttribute("d", `M${x1},${y1} L${(e.clientX - box.left) / scale},${(e.clientY - box.top) / scale}`);
    };
    this.transitions = {
      idle: {
        down: (/** @type {PointerEvent} */ event) => {
          const card = /** @type {HTMLElement} */ (/** @type {Element} */ (event.target).closest("[data-card]"));
          run = { card, id: card.dataset.card, start: { x: event.clientX, y: event.clientY }, pointer: null, preview: null };
          run.scroller = autoScroll(editor.viewport, () => run && run.pointer);
          return "pending";
        },
      },
      pending: {
        move: (e) => {
          if (!Tool.far(e, run.start)) return undefined;
          run.preview = svg("path", { class: "sl-link-preview" });
          editor.layer.append(run.preview);
          run.scroller.start();
          follow(e);
          return "linking";
        },
        up: () => { run = null; return "idle"; },
      },
      linking: {
        move: (e) => { follow(e); },
        up: (e) => {
          run.preview.remove();
          run.scroller.stop();
          editor.suppressNextClick();
          const target = document.elementFromPoint(e.clientX, e.clientY)?.closest("[data-card]");
          const { id } = run;
          run = null;
          if (target instanceof HTMLElement && target.dataset.card !== id) editor.apply({ op: "add_link", link: { from: id, to: target.dataset.card } });
          else editor.redrawLinks();
          return "idle";
        },
      },
    };
  }
}
