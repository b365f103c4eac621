// @ts-check
// The keyboard of the board: shortcuts on the grid (the viewport has the focus).

/** @typedef {import("./editor.js").Editor} Editor */

const MOVES = { arrowleft: [-1, 0], arrowright: [1, 0], arrowup: [0, -1], arrowdown: [0, 1] };

/**
 * @param {Editor} editor
 * @param {KeyboardEvent} event
 */
export function onKey(editor, event) {
  if (editor.inline.active) return undefined;
  const view = editor.view;
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (mod && key === "z") { event.preventDefault(); return event.shiftKey ? editor.redo() : editor.undo(); }
  if (mod && key === "y") { event.preventDefault(); return editor.redo(); }
  // The browser follows these keys with a copy or paste event carrying the
  // system clipboard (no permission prompt); where it does not, use ours.
  if (mod && key === "c") { editor.clip.expect("copy"); return undefined; }
  if (mod && key === "v") { editor.clip.expect("paste"); return undefined; }
  if (mod && key === "f") { event.preventDefault(); return editor.search.focus(); }
  if (mod && key === "a") { event.preventDefault(); return editor.selectCell(); }
  if (mod) return undefined;
  if (event.key === "?") { event.preventDefault(); return editor.menus.toggleHelp(); }
  if (key === "escape" && editor.menus.help) return editor.menus.toggleHelp();
  if (key === "+" || key === "=") return editor.zoomStep(1);
  if (key === "-") return editor.zoomStep(-1);
  if (key === "0") return editor.fit();
  const move = MOVES[/** @type {keyof MOVES} */ (key)];
  if (move) { event.preventDefault(); return editor.moveCursor(move[0], move[1]); }
  if (key === "enter" || key === "f2") {
    event.preventDefault();
    if (!view.canEdit) return editor.readOnlyEnter();
    const selected = [...view.selection];
    if (selected.length === 1 && editor.store.index().cards.has(selected[0])) return editor.inline.editCard(selected[0]);
    if (view.cursor) return editor.inline.newCard(view.cursor.step, view.cursor.lane);
  }
  if (key === "delete" || key === "backspace") {
    event.preventDefault();
    return view.canEdit ? editor.deleteSelection() : editor.flash(editor.readOnlyMessage());
  }
  if (key === "escape") return editor.select([]);
  return undefined;
}
