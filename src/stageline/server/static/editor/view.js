// @ts-check
// The view state: everything about how this person looks at the board that is
// not the document: selection, the current cell, zoom, scroll, hover, filter,
// what is folded, and what others select and comment on. The grid and the links
// draw from it (see grid.js for the fields they read).
//
//   view.on("selection", (ids) => ...)    after select()
//   view.on("zoom", (zoom) => ...)        after setZoom()
//   view.on("scroll", ({left, top}) => ...) as the board scrolls
//   view.on("hover", (id, previous) => ...)

import { Emitter } from "./events.js";

/**
 * @typedef {{step: string, lane: string}} Cell
 * @typedef {{name: string, color: string, client_id?: string, selection?: string[]}} Person
 */

export class ViewState extends Emitter {
  /** @param {{canEdit: boolean}} options */
  constructor({ canEdit }) {
    super();
    this.canEdit = canEdit;
    /** @type {Set<string>} */
    this.selection = new Set();
    /** @type {Cell|null} */
    this.cursor = null;
    /** @type {Set<string>} */
    this.collapsedStages = new Set();
    /** @type {Set<string>} */
    this.collapsedLanes = new Set();
    /** @type {Set<string>|null} cards matching the search and filter; null: no filter */
    this.matches = null;
    /** @type {{query: string, field: string|null, value: string|null}} */
    this.filter = { query: "", field: null, value: null };
    /** @type {Map<string, any[]>} findings by cell "step|lane" (the store's) */
    this.findingsByCell = new Map();
    /** @type {Map<string, Person>} id -> the other person who selected it */
    this.remoteSelections = new Map();
    /** @type {Map<string, number>} card id -> open comment threads */
    this.comments = new Map();
    /** @type {string|null} the card under the pointer */
    this.hover = null;
    this.zoom = 1;
    this.scroll = { left: 0, top: 0 };
    /** @type {string|null} the finding cell the panel focuses */
    this.focus = null;
  }

  /**
   * Select `ids` (toggle them into the selection with `add`).
   * @param {Iterable<string>} ids
   * @param {{add?: boolean}} [options]
   */
  select(ids, { add = false } = {}) {
    if (!add) this.selection = new Set();
    for (const id of ids) {
      if (add && this.selection.has(id)) this.selection.delete(id);
      else this.selection.add(id);
    }
    this.emit("selection", [...this.selection]);
  }

  /** @param {string|null} id */
  setHover(id) {
    if (id === this.hover) return false;
    const previous = this.hover;
    this.hover = id;
    this.emit("hover", id, previous);
    return true;
  }

  /** @param {number} zoom */
  setZoom(zoom) {
    this.zoom = zoom;
    this.emit("zoom", zoom);
  }

  /** @param {number} left @param {number} top */
  setScroll(left, top) {
    this.scroll = { left, top };
    this.emit("scroll", this.scroll);
  }
}
