// @ts-check
// The drag tool: drag a card to another cell (or up or down within its cell);
// dragging one of several selected cards moves them all, in their order on the
// board. A ghost follows the pointer and the cell under it is marked.
//
//   idle --down--> pending --move (5px)--> dragging --up--> idle (moves the cards)
//                  pending --up--> idle (a click)

import { h } from "../dom.js";
import { Tool, autoScroll } from "./tool.js";

export class DragTool extends Tool {
  /** @param {import("../editor.js").Editor} editor */
  constructor(editor) {
    super(editor, "drag");
    /** @type {any} */
    let run = null;
    /** @type {HTMLElement|null} */
    let dropCell = null;
    const clearDrop = () => { dropCell?.classList.remove("is-drop-target"); dropCell = null; };
    const follow = (/** @type {PointerEvent} */ e) => {
      run.pointer = { x: e.clientX, y: e.clientY };
      run.ghost.style.left = `${e.clientX + 8}px`;
      run.ghost.style.top = `${e.clientY + 8}px`;
      const cell = editor.cellAt(e.clientX, e.clientY);
      if (cell !== dropCell) {
        clearDrop();
        dropCell = cell;
        cell?.classList.add("is-drop-target");
      }
    };
    this.transitions = {
      idle: {
        down: (/** @type {PointerEvent} */ event) => {
          const card = /** @type {HTMLElement} */ (/** @type {Element} */ (event.target).closest("[data-card]"));
          const id = card.dataset.card;
          const selection = editor.view.selection;
          const moving = selection.has(id) && selection.size > 1
            ? editor.boardOrder().filter((c) => selection.has(c))
            : [id];
          run = { card, id, moving, start: { x: event.clientX, y: event.clientY }, pointer: null, ghost: null };
          run.scroller = autoScroll(editor.viewport, () => run && run.pointer);
          return "pending";
        },
      },
      pending: {
        move: (e) => {
          if (!Tool.far(e, run.start)) return undefined;
          const ghost = /** @type {HTMLElement} */ (run.card.cloneNode(true));
          ghost.classList.add("sl-ghost");
          if (run.moving.length > 1) ghost.append(h("span", { class: "sl-ghost-count" }, `${run.moving.length} cards`));
          document.body.append(ghost);
          run.ghost = ghost;
          for (const other of run.moving) editor.cardElement(other)?.classList.add("is-dragging");
          run.scroller.start();
          follow(e);
          return "dragging";
        },
        up: () => { run = null; return "idle"; },
      },
      dragging: {
        move: (e) => { follow(e); },
        up: (e) => {
          run.ghost.remove();
          run.scroller.stop();
          for (const element of editor.canvas.querySelectorAll(".sl-card.is-dragging")) element.classList.remove("is-dragging");
          clearDrop();
          editor.suppressNextClick();
          const drop = this.dropPosition(editor.cellAt(e.clientX, e.clientY), e.clientY, new Set(run.moving));
          const { moving } = run;
          run = null;
          if (drop) {
            const ops = moving.map((/** @type {string} */ card, /** @type {number} */ i) => ({ op: "move_card", id: card, step: drop.step, lane: drop.lane, index: drop.index + i }));
            editor.apply(ops.length === 1 ? ops[0] : { op: "batch", ops });
          }
          return "idle";
        },
      },
    };
  }

  /**
   * Where cards dropped at `clientY` in `cell` land: before the first card whose middle is below.
   * @param {HTMLElement|null} cell
   * @param {number} clientY
   * @param {Set<string>} moving
   */
  dropPosition(cell, clientY, moving) {
    if (!cell) return null;
    const cards = [...cell.querySelectorAll("[data-card]")].filter((el) => !moving.has(/** @type {HTMLElement} */ (el).dataset.card));
    let index = cards.length;
    for (const [i, el] of cards.entries()) {
      const box = el.getBoundingClientRect();
      if (clientY < box.top + box.height / 2) { index = i; break; }
    }
    return { step: cell.dataset.step, lane: cell.dataset.lane, index };
  }
}
