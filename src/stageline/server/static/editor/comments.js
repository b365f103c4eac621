// @ts-check
// Comment threads: fetched through the comments API whenever the live
// connection says they changed; cards with open threads carry a pin that opens
// them beside the card.

import { h } from "./dom.js";

/**
 * @typedef {import("./editor.js").Editor} Editor
 * @typedef {{id: number, anchor: string, resolved: boolean}} Thread
 * @typedef {{list: () => Promise<Thread[]>, start: (args: any) => Promise<any>, reply: (args: any) => Promise<any>, resolve: (args: any) => Promise<any>}} CommentsApi
 */

export class Comments {
  /** @param {Editor} editor @param {CommentsApi} api */
  constructor(editor, api) {
    this.editor = editor;
    this.api = api;
    /** @type {Thread[]} */
    this.threads = [];
    this.loaded = false;
    /** @type {Promise<void>|null} */
    this.loading = null;
    this.again = false;
    /** @type {{card: string, element: HTMLElement, outside: (event: Event) => void, escape: (event: KeyboardEvent) => void}|null} */
    this.pin = null;
  }

  // Fetch the threads; asked again while a fetch is under way, fetch once more after it,
  // so the last answer shown is never older than the last change announced.
  async load() {
    if (this.loading) {
      this.again = true;
      await this.loading;
      return;
    }
    this.loading = (async () => {
      do {
        this.again = false;
        try {
          this.show(await this.api.list());
        } catch (error) {
          this.editor.flash(`Could not load the comments: ${error.message}`);
        }
      } while (this.again);
      this.loading = null;
    })();
    await this.loading;
  }

  /** @param {Thread[]} threads */
  show(threads) {
    const editor = this.editor;
    this.threads = threads;
    this.loaded = true;
    editor.view.comments = new Map();
    for (const thread of threads) {
      if (!thread.resolved) editor.view.comments.set(thread.anchor, (editor.view.comments.get(thread.anchor) || 0) + 1);
    }
    // An open pin shows the threads as they are now (the reply typed meanwhile is kept as a draft).
    const body = this.pin?.element.querySelector(".sl-pin-body");
    if (body) body.replaceChildren(editor.panel.comments(this.pin.card));
    if (!editor.inline.active) editor.render();
  }

  // Start a thread, reply or resolve through the comments API; true when it worked.
  /** @param {"start"|"reply"|"resolve"} kind @param {any} args */
  async send(kind, args) {
    try {
      await this.api[kind](args);
    } catch (error) {
      this.editor.flash(`Not sent: ${error.message}`);
      return false;
    }
    await this.load();
    return true;
  }

  // A card's comment pin opens its threads beside the card: read, reply, resolve in place.
  /** @param {string} cardId */
  openPin(cardId) {
    const editor = this.editor;
    this.closePin();
    const element = editor.cardElement(cardId, true);
    const place = editor.store.index().cards.get(cardId);
    if (!element || !place) return;
    editor.select([cardId]);
    const close = h("button", { class: "sl-icon sl-pin-close", type: "button", "aria-label": "Close the comments", onclick: () => this.closePin() }, "×");
    const pin = h("div", { class: "sl-pin-thread", role: "dialog", tabindex: "-1", "aria-label": `Comments on ${place.card.text}` },
      close, h("div", { class: "sl-pin-body" }, editor.panel.comments(cardId)));
    pin.addEventListener("keydown", (event) => {
      event.stopPropagation();
      if (event.key === "Escape") this.closePin();
    });
    const box = element.getBoundingClientRect();
    const left = Math.min(box.right + 8, window.innerWidth - 340);
    Object.assign(pin.style, { left: `${Math.max(8, left)}px`, top: `${Math.max(8, Math.min(box.top, window.innerHeight - 320))}px` });
    editor.root.append(pin);
    const outside = (/** @type {Event} */ event) => {
      const target = /** @type {Element} */ (event.target);
      if (!pin.contains(target) && !target.closest?.(".sl-talk")) this.closePin();
    };
    const escape = (/** @type {KeyboardEvent} */ event) => { if (event.key === "Escape") this.closePin(); };
    setTimeout(() => window.addEventListener("pointerdown", outside), 0);
    window.addEventListener("keydown", escape);
    this.pin = { card: cardId, element: pin, outside, escape };
    /** @type {HTMLElement|null} */ (pin.querySelector(".sl-new-comment, .sl-reply, textarea"))?.focus();
  }

  closePin() {
    if (!this.pin) return;
    window.removeEventListener("pointerdown", this.pin.outside);
    window.removeEventListener("keydown", this.pin.escape);
    this.pin.element.remove();
    this.pin = null;
    this.editor.refocus();
  }
}
