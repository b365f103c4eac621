// @ts-check
// Who else is here: their avatars in the toolbar, their pointers on the board
// and the "… is typing" mark on the card or cell they type in. This person's
// pointer goes out at most ten times a second.

import { h } from "./dom.js";

/**
 * @typedef {import("./editor.js").Editor} Editor
 * @typedef {{client_id: string, name: string, color: string, selection?: string[]}} Person
 * @typedef {{pointer: number[]|null, typing: string|null}} Cursor
 */

export class Presence {
  /** @param {Editor} editor @param {(pointer: number[]|null, typing: string|null) => void} onCursor */
  constructor(editor, onCursor) {
    this.editor = editor;
    this.onCursor = onCursor;
    /** @type {Map<string, Person>} client id -> person */
    this.people = new Map();
    /** @type {Map<string, Cursor>} client id -> their pointer and typing */
    this.cursors = new Map();
    /** @type {number[]|null} this person's pointer, board pixels at 100 % */
    this.pointer = null;
    /** @type {string|null} the card or cell ("step|lane") this person types in */
    this.typingAt = null;
    /** @type {ReturnType<typeof setTimeout>|null} */
    this.pointerTimer = null;
    this.layer = h("div", { class: "sl-cursors", "aria-hidden": "true" });
  }

  /** @param {Person[]} people */
  set(people) {
    this.people = new Map(people.map((p) => [p.client_id, p]));
    for (const id of [...this.cursors.keys()]) if (!this.people.has(id)) this.cursors.delete(id);
  }

  /** What others have selected, by id. */
  remoteSelections() {
    /** @type {Map<string, Person>} */
    const map = new Map();
    for (const person of this.people.values()) {
      for (const id of person.selection || []) map.set(id, person);
    }
    return map;
  }

  /** Tell the others where the pointer is (unzoomed pixels), ten times a second at most. @param {PointerEvent|null} event */
  tellPointer(event) {
    if (event) {
      const box = this.editor.canvas.getBoundingClientRect();
      const zoom = this.editor.view.zoom;
      this.pointer = [Math.round((event.clientX - box.left) / zoom), Math.round((event.clientY - box.top) / zoom)];
    } else this.pointer = null;
    if (this.pointerTimer) return;
    this.pointerTimer = setTimeout(() => {
      this.pointerTimer = null;
      this.onCursor(this.pointer, this.typingAt);
    }, 100);
  }

  /** @param {string|null} where */
  tellTyping(where) {
    this.typingAt = where;
    this.onCursor(this.pointer || null, where);
  }

  /** @param {{client_id: string, pointer: number[]|null, typing: string|null}} message */
  show({ client_id: id, pointer, typing }) {
    if (!this.people.has(id)) return;
    this.cursors.set(id, { pointer, typing });
    this.draw();
  }

  // Each other person's pointer as an arrow with their name, in their colour; the
  // card or cell they type in carries "… is typing".
  draw() {
    const editor = this.editor;
    for (const id of this.cursors.keys()) if (!this.people.has(id)) this.cursors.delete(id);
    const marks = [];
    for (const element of editor.canvas.querySelectorAll(".is-remote-typing")) {
      element.classList.remove("is-remote-typing");
      element.querySelector(".sl-typing")?.remove();
    }
    for (const [id, { pointer, typing }] of this.cursors) {
      const person = this.people.get(id);
      if (pointer) {
        marks.push(h("div", { class: "sl-cursor", dataset: { client: id }, style: { left: `${pointer[0]}px`, top: `${pointer[1]}px`, "--who": person.color } },
          h("span", { class: "sl-cursor-arrow" }), h("span", { class: "sl-cursor-name" }, person.name)));
      }
      if (typing) {
        const [step, lane] = typing.split("|");
        const target = lane ? editor.cellElement(step, lane) : editor.cardElement(typing);
        if (target) {
          target.classList.add("is-remote-typing");
          target.append(h("span", { class: "sl-typing", style: { "--who": person.color } }, `${person.name} is typing…`));
        }
      }
    }
    this.layer.replaceChildren(...marks);
  }

  /** The avatars of the people here. @param {HTMLElement} into */
  drawPeople(into) {
    into.replaceChildren(...[...this.people.values()].map((person) => h("span", {
      class: "sl-person", title: person.name, style: { background: person.color }, dataset: { client: person.client_id },
    }, (person.name || "?").slice(0, 1).toUpperCase())));
  }
}
