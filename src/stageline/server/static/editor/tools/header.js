// @ts-check
// The header tool: reorder stages, steps and lanes by dragging their headers;
// a ghost follows the pointer and a bar shows where the header will land. A step
// dropped on a stage header moves to the end of that stage.
//
//   idle --down--> pending --move (5px)--> dragging --up--> idle (moves it)

import { Tool } from "./tool.js";

const SELECTORS = { stage: ".sl-stage[data-stage]", step: ".sl-step[data-step], .sl-stage[data-stage]", lane: ".sl-lane-head[data-lane]" };
const DROP_CLASSES = ["is-drop-before", "is-drop-after", "is-drop-into"];

export class HeaderTool extends Tool {
  /** @param {import("../editor.js").Editor} editor */
  constructor(editor) {
    super(editor, "header");
    /** @type {any} */
    let run = null;
    const place = (/** @type {PointerEvent} */ e) => {
      const over = document.elementFromPoint(e.clientX, e.clientY)?.closest(SELECTORS[run.kind]);
      if (run.target) run.target.element.classList.remove(...DROP_CLASSES);
      run.target = null;
      if (!(over instanceof HTMLElement) || over === run.header) return;
      const box = over.getBoundingClientRect();
      if (run.kind === "step" && over.dataset.stage) run.target = { element: over, side: "into" };
      else if (run.kind === "lane") run.target = { element: over, side: e.clientY < box.top + box.height / 2 ? "before" : "after" };
      else run.target = { element: over, side: e.clientX < box.left + box.width / 2 ? "before" : "after" };
      over.classList.add(`is-drop-${run.target.side}`);
    };
    const follow = (/** @type {PointerEvent} */ e) => {
      run.ghost.style.left = `${e.clientX + 8}px`;
      run.ghost.style.top = `${e.clientY + 8}px`;
      place(e);
    };
    this.transitions = {
      idle: {
        down: (/** @type {PointerEvent} */ event) => {
          const header = /** @type {HTMLElement} */ (/** @type {Element} */ (event.target).closest(".sl-stage[data-stage], .sl-step[data-step], .sl-lane-head[data-lane]"));
          const kind = header.dataset.stage ? "stage" : header.dataset.step ? "step" : "lane";
          run = { header, kind, id: header.dataset[kind], start: { x: event.clientX, y: event.clientY }, ghost: null, target: null };
          return "pending";
        },
      },
      pending: {
        move: (e) => {
          if (!Tool.far(e, run.start)) return undefined;
          const ghost = /** @type {HTMLElement} */ (run.header.cloneNode(true));
          ghost.classList.add("sl-ghost", "sl-ghost-header");
          ghost.style.width = `${Math.min(run.header.offsetWidth, 240)}px`;
          document.body.append(ghost);
          run.header.classList.add("is-dragging");
          run.ghost = ghost;
          follow(e);
          return "dragging";
        },
        up: () => { run = null; return "idle"; },
      },
      dragging: {
        move: (e) => { follow(e); },
        up: () => {
          run.ghost.remove();
          run.header.classList.remove("is-dragging");
          editor.suppressNextClick();
          const { kind, id, target } = run;
          run = null;
          if (!target) return "idle";
          target.element.classList.remove(...DROP_CLASSES);
          const op = this.reorderOp(kind, id, target);
          if (op) editor.apply(op);
          return "idle";
        },
      },
    };
  }

  /**
   * The move operation for dropping header `id` before, after or into a target header.
   * @param {string} kind stage | step | lane
   * @param {string} id
   * @param {{element: HTMLElement, side: string}} target
   */
  reorderOp(kind, id, { element, side }) {
    const doc = this.editor.store.doc;
    const index = this.editor.store.index();
    const slot = (/** @type {number} */ old, /** @type {number} */ at) => {
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
}
