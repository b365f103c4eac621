// @ts-check
// What opens over the board: the shortcut help, the right-click menu and the
// "+ Lane" form.

import { freshId, h } from "./dom.js";
import { targetOf } from "./tools/tool.js";

/** @typedef {import("./editor.js").Editor} Editor */

const SHORTCUTS = [
  ["Arrow keys", "Move between cells, and between the cards of a cell"],
  ["Enter, F2", "Edit the selected card, or add a card in the current cell"],
  ["Shift+Enter", "A new line while typing"],
  ["Delete, Backspace", "Delete the selected cards, links or step"],
  ["Ctrl/Cmd+Z", "Undo your last change"],
  ["Ctrl/Cmd+Shift+Z, Ctrl/Cmd+Y", "Redo"],
  ["Ctrl/Cmd+C, Ctrl/Cmd+V", "Copy the selected cards, paste into the current cell"],
  ["Ctrl/Cmd+A", "Select the cards of the current cell"],
  ["Ctrl/Cmd+F", "Search the cards"],
  ["+ − 0", "Zoom in, out, fit"],
  ["Ctrl/Cmd + wheel", "Zoom at the pointer"],
  ["Escape", "Clear the selection"],
  ["?", "Show or hide this list"],
];

export class Menus {
  /** @param {Editor} editor */
  constructor(editor) {
    this.editor = editor;
    /** @type {HTMLElement|null} */
    this.help = null;
    /** @type {{menu: HTMLElement, close: (event: Event) => void}|null} */
    this.menu = null;
    /** @type {HTMLFormElement|null} */
    this.laneForm = null;
  }

  // The keyboard shortcuts, on `?` or the toolbar's ? button; Escape or ? closes them.
  toggleHelp() {
    const editor = this.editor;
    if (this.help) {
      this.help.remove();
      this.help = null;
      editor.viewport.focus({ preventScroll: true });
      return;
    }
    this.help = h("div", { class: "sl-help", role: "dialog", "aria-label": "Keyboard shortcuts" },
      h("h2", {}, "Keyboard shortcuts"),
      h("table", {}, h("tbody", {}, SHORTCUTS.map(([key, does]) => h("tr", {}, h("th", { scope: "row" }, h("kbd", {}, key)), h("td", {}, does))))),
      h("button", { class: "sl-tool", onclick: () => this.toggleHelp() }, "Close"));
    editor.root.append(this.help);
  }

  /**
   * A right-click menu of what can be done to the card, link or cell under the pointer.
   * @param {MouseEvent} event
   */
  onContextMenu(event) {
    const editor = this.editor;
    const view = editor.view;
    const target = targetOf(event);
    const card = /** @type {HTMLElement|null} */ (target.closest("[data-card]"));
    const link = /** @type {SVGElement|null} */ (target.closest("[data-link]"));
    const cell = card ? /** @type {HTMLElement} */ (card.closest(".sl-cell[data-step]")) : editor.cellAt(event.clientX, event.clientY);
    if (!card && !link && !cell) return;
    event.preventDefault();
    const edit = view.canEdit;
    /** @type {Array<[string, () => void]>} */
    const items = [];
    if (card) {
      const id = card.dataset.card;
      if (!view.selection.has(id)) editor.select([id]);
      const many = view.selection.size > 1;
      if (edit && !many) items.push(["Edit text", () => editor.inline.editCard(id)]);
      if (editor.canComment && editor.comments && !many) items.push(["Comment", () => editor.readOnlyEnter()]);
      items.push([many ? `Copy ${view.selection.size} cards` : "Copy", () => editor.copy(null)]);
      if (edit) items.push([many ? `Delete ${view.selection.size} cards` : "Delete", () => editor.deleteSelection()]);
    } else if (link) {
      const key = link.dataset.link;
      editor.select([key]);
      const found = editor.store.index().links.get(key);
      if (edit && found) {
        items.push([found.two_way ? "Make one-way" : "Make two-way", () => editor.apply({ op: "set", target: key, field: "two_way", value: !found.two_way })]);
        items.push(["Delete link", () => editor.deleteSelection()]);
      }
    }
    if (cell && !card) {
      view.cursor = { step: cell.dataset.step, lane: cell.dataset.lane };
      if (!link) editor.select([]);
      if (edit) items.push(["Add a card here", () => editor.inline.newCard(cell.dataset.step, cell.dataset.lane)]);
      if (edit && editor.clip.cards) items.push(["Paste here", () => editor.paste(null)]);
      items.push(["Select the cards here", () => editor.selectCell()]);
    }
    if (!items.length) return;
    this.openMenu(event.clientX, event.clientY, items);
  }

  /**
   * @param {number} x
   * @param {number} y
   * @param {Array<[string, () => void]>} items
   */
  openMenu(x, y, items) {
    this.closeMenu();
    const menu = h("div", { class: "sl-menu", role: "menu", style: { left: `${x}px`, top: `${y}px` } },
      items.map(([label, action]) => h("button", { class: "sl-menu-item", role: "menuitem", type: "button",
        onclick: () => { this.closeMenu(); action(); } }, label)));
    const close = (/** @type {Event} */ event) => { if (!menu.contains(/** @type {Node} */ (event.target))) this.closeMenu(); };
    menu.addEventListener("keydown", (event) => {
      event.stopPropagation();
      const buttons = /** @type {HTMLElement[]} */ ([...menu.querySelectorAll("button")]);
      const at = buttons.indexOf(/** @type {HTMLElement} */ (document.activeElement));
      if (event.key === "Escape") this.closeMenu();
      if (event.key === "ArrowDown") { event.preventDefault(); buttons[(at + 1) % buttons.length].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); buttons[(at - 1 + buttons.length) % buttons.length].focus(); }
    });
    document.body.append(menu);
    this.menu = { menu, close };
    setTimeout(() => window.addEventListener("pointerdown", close), 0);
    menu.querySelector("button")?.focus();
  }

  closeMenu() {
    if (!this.menu) return;
    window.removeEventListener("pointerdown", this.menu.close);
    this.menu.menu.remove();
    this.menu = null;
    this.editor.refocus();
  }

  // A small form under the "+ Lane" button: the lane's name, and whether the
  // customer sees it (it goes above or below the line of visibility).
  addLane() {
    const editor = this.editor;
    if (this.laneForm) return this.closeLaneForm();
    const name = /** @type {HTMLInputElement} */ (h("input", { type: "text", class: "sl-lane-name", placeholder: "e.g. Policies and regulations",
      "aria-label": "Name of the new lane" }));
    const choice = (/** @type {string} */ value, /** @type {string} */ label, /** @type {boolean} */ checked) => h("label", { class: "sl-check" },
      h("input", { type: "radio", name: "sl-lane-side", value, checked: checked ? true : null }), label);
    const error = h("div", { class: "sl-form-error", role: "alert", hidden: true });
    const submit = () => {
      const title = name.value.trim();
      if (!title) {
        error.textContent = "Give the lane a name.";
        error.hidden = false;
        name.focus();
        return;
      }
      const visible = /** @type {HTMLInputElement} */ (form.querySelector("input[name=sl-lane-side]:checked")).value === "visible";
      const doc = editor.store.doc;
      const firstHidden = doc.lanes.findIndex((/** @type {{visible: boolean}} */ lane) => !lane.visible);
      const index = visible ? (firstHidden < 0 ? doc.lanes.length : firstHidden) : doc.lanes.length;
      const problem = editor.apply({ op: "add_lane", lane: { id: freshId(title, editor.store.takenIds()), title, visible }, index });
      if (problem) {
        error.textContent = problem;
        error.hidden = false;
      } else {
        this.closeLaneForm();
      }
    };
    const form = /** @type {HTMLFormElement} */ (h("form", { class: "sl-popover", "aria-label": "Add a lane" },
      h("label", { class: "sl-popover-label" }, "New lane", name),
      choice("visible", "The customer sees it (above the line of visibility)", false),
      choice("hidden", "Behind the scenes (below the line of visibility)", true),
      error,
      h("div", { class: "sl-popover-actions" },
        h("button", { type: "button", class: "sl-tool", onclick: () => this.closeLaneForm() }, "Cancel"),
        h("button", { type: "submit", class: "sl-tool sl-primary" }, "Add lane"))));
    form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
    form.addEventListener("keydown", (event) => {
      event.stopPropagation();
      if (event.key === "Escape") this.closeLaneForm();
    });
    const button = /** @type {HTMLElement} */ (editor.toolbar.querySelector('[data-action="add-lane"]'));
    form.style.left = `${button.offsetLeft}px`;
    this.laneForm = form;
    editor.toolbar.append(form);
    name.focus();
    return undefined;
  }

  closeLaneForm() {
    this.laneForm?.remove();
    this.laneForm = null;
    this.editor.viewport.focus({ preventScroll: true });
  }
}
