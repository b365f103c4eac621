// @ts-check
// The inline edit tool: type a card's text, a new card, or a title in place.
// Enter (without Shift) commits, Escape cancels, leaving the box commits.
// While someone types, redraws wait (the box would be lost); if someone else
// deletes the card being typed in, the box keeps the text and says so, and
// Enter puts the card back.
//
//   idle --open--> editing --commit | cancel--> idle

import { freshId, h } from "../dom.js";
import { invalidateItem, stepTitle } from "../grid.js";
import { Tool } from "./tool.js";

/**
 * @typedef {{multiline: boolean, onCommit: (text: string) => void, onCancel?: () => void, card?: string|null, typing?: string|null}} EditOptions
 */

export class InlineEditTool extends Tool {
  /** @param {import("../editor.js").Editor} editor */
  constructor(editor) {
    super(editor, "inline-edit");
    /** @type {{box: HTMLInputElement|HTMLTextAreaElement, card: string|null, lost: boolean}|null} */
    this.active = null;
    /** @type {any} */
    let run = null;
    const finish = (/** @type {boolean} */ commit) => {
      if (!run) return "idle"; // the box lost the focus as it closed
      const { box, options } = run;
      run = null;
      if (options.typing) editor.tellTyping(null);
      this.active = null;
      const text = box.value.trim();
      if (commit && text) options.onCommit(text);
      else options.onCancel?.();
      if (editor.pendingRender || !commit || !text) editor.render();
      editor.viewport.focus({ preventScroll: true });
      return "idle";
    };
    this.transitions = {
      idle: {
        open: ({ host, initial, options }) => {
          const box = /** @type {HTMLInputElement|HTMLTextAreaElement} */ (h(options.multiline ? "textarea" : "input", { class: "sl-inline", "aria-label": "Edit text" }));
          box.value = initial;
          invalidateItem(editor.grid, host); // the next render draws it afresh
          this.active = { box, card: options.card || null, lost: false };
          run = { box, options };
          if (options.typing) editor.tellTyping(options.typing);
          box.addEventListener("keydown", (/** @type {KeyboardEvent} */ event) => {
            event.stopPropagation();
            if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); this.send("commit"); }
            if (event.key === "Escape") { event.preventDefault(); this.send("cancel"); }
          });
          box.addEventListener("blur", () => this.send("commit"));
          host.replaceChildren(box);
          box.focus();
          box.select();
          return "editing";
        },
      },
      editing: {
        commit: () => finish(true),
        cancel: () => finish(false),
        lost: () => {
          const active = this.active;
          if (!active.card || editor.store.index().cards.has(active.card) || active.lost) return undefined;
          active.lost = true;
          active.box.classList.add("is-orphaned");
          active.box.setAttribute("aria-label", "Edit text of a card someone deleted");
          editor.flash("Someone deleted the card you are typing in. Your text is kept: press Enter to put the card back, or Escape to let it go.");
          return undefined;
        },
      },
    };
  }

  // The tool listens to its box, not to the window.
  capture() {}

  /**
   * Open a box in `host` holding `initial`.
   * @param {HTMLElement} host
   * @param {string} initial
   * @param {EditOptions} options
   */
  open(host, initial, options) {
    this.send("open", { host, initial, options: { typing: options.card, ...options } });
    return this.active?.box;
  }

  /** Edit a card's text in place. @param {string} id */
  editCard(id) {
    const editor = this.editor;
    if (!editor.view.canEdit) return;
    const element = editor.cardElement(id, true);
    const place = editor.store.index().cards.get(id);
    if (!element || !place) return;
    const { card, lane, position } = place;
    const step = place.step.id;
    this.open(element, card.text, { multiline: true, card: id,
      onCommit: (text) => {
        if (editor.store.index().cards.has(id)) {
          if (text !== card.text) editor.apply({ op: "set", target: id, field: "text", value: text }); else editor.render();
        } else this.restoreCard({ ...structuredClone(card), text }, step, lane, position);
      } });
  }

  // Put a card someone deleted back, with the text typed into it meanwhile.
  /** @param {any} card @param {string} step @param {string} lane @param {number} position */
  restoreCard(card, step, lane, position) {
    const editor = this.editor;
    const index = editor.store.index();
    if (!index.steps.has(step) || !index.lanes.has(lane)) {
      editor.clip.cards = [card];
      editor.flash("Its step is gone too. Your text is copied: select a cell and press Ctrl+V to paste it as a card.");
      editor.render();
      return;
    }
    const cards = editor.store.cellCards(step, lane);
    const id = index.cards.has(card.id) ? freshId(card.text, editor.store.takenIds()) : card.id;
    if (!editor.apply({ op: "add_card", step, lane, index: Math.min(position, cards.length), card: { ...card, id } })) {
      editor.flash("The card is back, with your text.");
      editor.select([id]);
    }
  }

  /** Type a new card at the end of a cell. @param {string} step @param {string} lane */
  newCard(step, lane) {
    const editor = this.editor;
    const cell = editor.cellElement(step, lane, true);
    if (!cell) return;
    const host = h("div", { class: "sl-card is-new" });
    cell.append(host);
    this.open(host, "", { multiline: true, typing: `${step}|${lane}`, onCommit: (text) => {
      const cards = editor.store.cellCards(step, lane);
      const taken = editor.store.takenIds();
      let id = cards.length ? `${step}.${lane}.${cards.length + 1}` : `${step}.${lane}`;
      if (taken.has(id)) id = freshId(text, taken);
      if (!editor.apply({ op: "add_card", step, lane, card: { id, text } })) editor.select([id]);
    } });
  }

  /** Rename a stage, step or lane from its title element. @param {HTMLElement} title */
  rename(title) {
    const editor = this.editor;
    const { rename: kind, id } = title.dataset;
    const index = editor.store.index();
    const current = kind === "stage" ? index.stages.get(id).title
      : kind === "step" ? stepTitle(index.steps.get(id).step) : editor.store.doc.lanes[index.lanes.get(id)].title;
    this.open(title, current, { multiline: false,
      onCommit: (text) => { if (text !== current) editor.apply({ op: "set", target: id, field: "title", value: text }); else editor.render(); } });
  }
}
