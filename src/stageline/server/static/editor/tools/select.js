// @ts-check
// The select tool: clicks select cards, links, headers and cells; a second
// press on the same thing is a double-click.
//
// The double-click is read from the presses here, by what was pressed (a card
// id, a cell, a title), not by DOM node: a redraw between the two clicks
// (findings or comments arriving) replaces the cell's element, and the
// browser's own dblclick would never fire. The press count is the browser's
// (`detail`: the system's double-click time and distance).
//
//   idle --down--> pressed --up--> released --down (count 2, same thing)--> again --up--> idle: double-click
//   pressed, again --move (far)--> idle;  released --down (else)--> pressed

import { Tool, targetOf } from "./tool.js";

const NEAR = 6;

export class SelectTool extends Tool {
  /** @param {import("../editor.js").Editor} editor */
  constructor(editor) {
    super(editor, "select");
    this.captures = ["mousemove", "mouseup"];
    /** @type {{key: string, x: number, y: number}|null} */
    this.press = null;
    const press = (/** @type {MouseEvent} */ event) => {
      const key = this.keyOf(event);
      if (!key || event.button !== 0) return "idle";
      this.press = { key, x: event.clientX, y: event.clientY };
      return "pressed";
    };
    const moved = (/** @type {MouseEvent} */ event) => (this.press && Tool.far(event, this.press, NEAR) ? "idle" : undefined);
    this.transitions = {
      idle: { down: press },
      pressed: { move: moved, up: () => "released", down: press },
      released: {
        down: (/** @type {MouseEvent} */ event) => {
          if (event.detail >= 2 && event.button === 0 && this.keyOf(event) === this.press.key) return "again";
          return press(event);
        },
        // Still listening for a second press: a move away ends the wait.
        move: moved,
        up: () => undefined,
      },
      again: {
        move: moved,
        up: (/** @type {MouseEvent} */ event) => {
          this.press = null;
          this.editor.onDoubleClick(event);
          return "idle";
        },
        down: press,
      },
    };
  }

  /**
   * What a press is on, as a key that survives a redraw: a card, a title, a cell
   * (a link crossing a cell stands for the cell), or null.
   * @param {MouseEvent} event
   */
  keyOf(event) {
    const target = targetOf(event);
    if (target.closest("input, textarea, select, button, [data-action]")) return null;
    const card = target.closest("[data-card]");
    if (card instanceof HTMLElement) return `card:${card.dataset.card}`;
    const title = target.closest("[data-rename]");
    if (title instanceof HTMLElement) return `title:${title.dataset.rename}:${title.dataset.id}`;
    const cell = target.closest(".sl-cell[data-step]") || (target.closest("[data-link]") ? this.editor.cellAt(event.clientX, event.clientY) : null);
    if (cell instanceof HTMLElement) return `cell:${cell.dataset.step}|${cell.dataset.lane}`;
    return null;
  }

  /**
   * A click: select what was clicked (the grid keeps its elements; only classes change).
   * @param {MouseEvent} event
   */
  click(event) {
    const editor = this.editor;
    const view = editor.view;
    const target = targetOf(event);
    const action = target.closest("[data-action]");
    if (action instanceof HTMLElement || action instanceof SVGElement) return editor.onAction(action.dataset, event);
    const rename = target.closest("[data-rename]");
    if (rename instanceof HTMLElement && view.canEdit && event.detail === 1 && view.selection.has(rename.dataset.id)) {
      return editor.inline.rename(rename);
    }
    const card = target.closest("[data-card]");
    if (card instanceof HTMLElement) return editor.select([card.dataset.card], { add: event.shiftKey || event.metaKey || event.ctrlKey });
    const link = target.closest("[data-link]");
    if (link instanceof SVGElement) return editor.select([link.dataset.link], { add: event.shiftKey });
    const step = target.closest(".sl-step[data-step]");
    if (step instanceof HTMLElement) return editor.select([step.dataset.step]);
    const stage = target.closest(".sl-stage[data-stage]");
    if (stage instanceof HTMLElement) return editor.select([stage.dataset.stage]);
    const cell = target.closest(".sl-cell[data-step]");
    if (cell instanceof HTMLElement) {
      view.cursor = { step: cell.dataset.step, lane: cell.dataset.lane };
      editor.select([]);
    }
    return undefined;
  }
}
