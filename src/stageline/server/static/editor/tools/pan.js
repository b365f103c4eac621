// @ts-check
// The pan tool: drag the background (empty space or an empty part of a cell),
// or anything with the middle button, to move the board.
//
//   idle --down--> pending --move (4px)--> panning --up--> idle
//                  pending --up--> idle (a click)

import { Tool, targetOf } from "./tool.js";

export class PanTool extends Tool {
  /** @param {import("../editor.js").Editor} editor */
  constructor(editor) {
    super(editor, "pan");
    /** @type {{x: number, y: number, left: number, top: number}|null} */
    this.start = null;
    const viewport = () => editor.viewport;
    const scroll = (/** @type {PointerEvent} */ e) => {
      viewport().scrollLeft = this.start.left - (e.clientX - this.start.x);
      viewport().scrollTop = this.start.top - (e.clientY - this.start.y);
    };
    this.transitions = {
      idle: {
        down: (/** @type {PointerEvent} */ event) => {
          if (event.button === 1) event.preventDefault();
          this.start = { x: event.clientX, y: event.clientY, left: viewport().scrollLeft, top: viewport().scrollTop };
          return "pending";
        },
      },
      pending: {
        move: (e) => {
          if (!Tool.far(e, this.start, 4)) return undefined;
          viewport().classList.add("is-panning");
          scroll(e);
          return "panning";
        },
        up: () => "idle",
      },
      panning: {
        move: (e) => { scroll(e); },
        up: () => {
          viewport().classList.remove("is-panning");
          editor.suppressNextClick();
          return "idle";
        },
      },
    };
  }

  /** Whether a press starts a pan. @param {PointerEvent} event */
  wants(event) {
    if (event.button === 1) return true;
    return event.button === 0 && !this.editor.inline.active
      && !targetOf(event).closest("[data-card], button, input, textarea, select, .sl-stage, .sl-step, .sl-lane-head");
  }
}
