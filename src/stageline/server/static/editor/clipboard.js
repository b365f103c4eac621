// @ts-check
// Copy and paste of cards: through the system clipboard (to other editors with
// all their details, elsewhere as text), and on this page when the browser
// sends no clipboard event.

import { freshId } from "./dom.js";
import { targetOf } from "./tools/tool.js";

/**
 * @typedef {import("./editor.js").Editor} Editor
 * @typedef {{id: string, text: string, [field: string]: any}} Card
 */

const CARDS_TYPE = "application/x-stageline-cards";

export class Clipboard {
  /** @param {Editor} editor */
  constructor(editor) {
    this.editor = editor;
    /** @type {Card[]|null} cards copied on this page */
    this.cards = null;
    /** @type {ReturnType<typeof setTimeout>|undefined} */
    this.fallback = undefined;
  }

  // Ctrl/Cmd+C or V: the browser follows with a copy or paste event carrying the
  // system clipboard (no permission prompt); where it does not, use ours.
  /** @param {"copy"|"paste"} what */
  expect(what) {
    this.fallback = setTimeout(() => (what === "copy" ? this.copy(null) : this.paste(null)), 0);
  }

  /** @param {ClipboardEvent} event */
  onCopy(event) {
    if (this.editor.inline.active || targetOf(event).closest("input, textarea, select")) return;
    clearTimeout(this.fallback);
    if (this.copy(event.clipboardData)) event.preventDefault();
  }

  /** @param {ClipboardEvent} event */
  onPaste(event) {
    if (this.editor.inline.active || targetOf(event).closest("input, textarea, select")) return;
    clearTimeout(this.fallback);
    event.preventDefault();
    this.paste(event.clipboardData);
  }

  /**
   * Copy the selected cards: to `clipboard` (the event's DataTransfer) when
   * given, and here for this page. True when there was something to copy.
   * @param {DataTransfer|null} clipboard
   */
  copy(clipboard) {
    const editor = this.editor;
    const index = editor.store.index();
    const cards = [...editor.view.selection].filter((id) => index.cards.has(id)).map((id) => structuredClone(index.cards.get(id).card));
    if (!cards.length) return false;
    this.cards = cards;
    if (clipboard) {
      clipboard.setData(CARDS_TYPE, JSON.stringify(cards));
      clipboard.setData("text/plain", cards.map((card) => card.text).join("\n"));
    }
    editor.flash(`Copied ${cards.length} card${cards.length === 1 ? "" : "s"}.`);
    return true;
  }

  /**
   * Paste into the current cell: cards copied in an editor (this page or
   * another), else each line of plain text as a card; without a clipboard,
   * what was copied on this page.
   * @param {DataTransfer|null} clipboard
   */
  paste(clipboard) {
    const editor = this.editor;
    if (!editor.view.canEdit || !editor.view.cursor) return;
    let cards = this.cards;
    if (clipboard) {
      try {
        const copied = JSON.parse(clipboard.getData(CARDS_TYPE) || "null");
        if (Array.isArray(copied)) cards = copied.filter((card) => card && typeof card.text === "string" && card.text);
      } catch {
        // Not cards after all: read it as text.
      }
      if (!clipboard.getData(CARDS_TYPE)) {
        const lines = clipboard.getData("text/plain").split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
        if (lines.length) cards = lines.slice(0, 100).map((line) => ({ id: "", text: line }));
      }
    }
    if (!cards || !cards.length) return;
    const { step, lane } = editor.view.cursor;
    const taken = editor.store.takenIds();
    const ops = cards.map((card) => {
      const id = freshId(card.text, taken);
      taken.add(id);
      return { op: "add_card", step, lane, card: { ...card, id } };
    });
    if (!editor.apply(ops.length === 1 ? ops[0] : { op: "batch", ops })) editor.select(ops.map((op) => op.card.id));
  }
}
