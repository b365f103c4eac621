// @ts-check
// The store: the shared document and what is derived from it (the index of
// ids, the links of each card, the actors and departments, the findings of
// each cell), each computed at most once per document version.
//
//   store.doc            the document as this person sees it (SharedDocument.view)
//   store.version        bumped by changed(); derived values are cached per version
//   store.on("changed", (version) => ...)   after every change, here or remote
//   store.on("insights", (findings) => ...) when the server's findings arrive

import { buildIndex } from "./ops.js";
import { Emitter } from "./events.js";

/**
 * @typedef {import("./document.js").SharedDocument} SharedDocument
 * @typedef {ReturnType<typeof buildIndex>} Index
 * @typedef {{from: string, to: string, label?: string, two_way?: boolean}} Link
 * @typedef {{step?: string, lane?: string, card?: string, stage?: string, severity?: string, message?: string}} Finding
 */

export class Store extends Emitter {
  /** @param {SharedDocument} shared */
  constructor(shared) {
    super();
    this.shared = shared;
    this.version = 0;
    /** @type {Map<string, {version: number, doc: any, value: any}>} */
    this.cache = new Map();
    /** @type {Finding[]} */
    this.findings = [];
    /** @type {Map<string, Finding[]>} */
    this.findingsByCell = new Map();
  }

  /** The document as this person sees it. */
  get doc() {
    return this.shared.view;
  }

  /** The document changed (an edit here, or someone else's): derived values are stale. */
  changed() {
    this.version += 1;
    this.emit("changed", this.version);
  }

  /**
   * A value derived from the document, computed once per version (and per
   * document object: a resync replaces it).
   * @template T
   * @param {string} name
   * @param {(doc: any) => T} compute
   * @returns {T}
   */
  derive(name, compute) {
    const doc = this.doc;
    const cached = this.cache.get(name);
    if (cached && cached.version === this.version && cached.doc === doc) return cached.value;
    const value = compute(doc);
    this.cache.set(name, { version: this.version, doc, value });
    return value;
  }

  /** @returns {Index} */
  index() {
    return this.derive("index", buildIndex);
  }

  /**
   * Card id -> the links from or to it.
   * @returns {Map<string, Link[]>}
   */
  linksByCard() {
    return this.derive("linksByCard", (doc) => {
      /** @type {Map<string, Link[]>} */
      const map = new Map();
      for (const link of doc.links || []) {
        for (const id of [link.from, link.to]) {
          if (!map.has(id)) map.set(id, []);
          map.get(id).push(link);
        }
      }
      return map;
    });
  }

  /**
   * The actors and departments named on cards, sorted.
   * @returns {{actors: string[], departments: string[]}}
   */
  people() {
    return this.derive("people", (doc) => {
      const actors = new Set();
      const departments = new Set();
      for (const stage of doc.stages) for (const step of stage.steps) for (const cards of Object.values(step.cells || {})) {
        for (const card of /** @type {any[]} */ (cards)) {
          if (card.actor) actors.add(card.actor);
          if (card.department) departments.add(card.department);
        }
      }
      return { actors: [...actors].sort(), departments: [...departments].sort() };
    });
  }

  /** What the links are (ends, labels, two-way), as one string: equal strings, equal links. */
  linksKey() {
    return this.derive("linksKey", (doc) => JSON.stringify(doc.links || []));
  }

  /** @returns {number} how many cards the board has */
  cardCount() {
    return this.index().cards.size;
  }

  /** Every id in use (cards, steps, stages, opportunities, lanes): a new one must differ. */
  takenIds() {
    const index = this.index();
    return new Set([...index.cards.keys(), ...index.steps.keys(), ...index.stages.keys(), ...index.opportunities.keys(), ...index.lanes.keys()]);
  }

  /**
   * The cards of a cell.
   * @param {string} step
   * @param {string} lane
   * @returns {any[]}
   */
  cellCards(step, lane) {
    return (this.index().steps.get(step)?.step.cells || {})[lane] || [];
  }

  /** @param {{step: string, lane: string}} cell */
  cellExists({ step, lane }) {
    const index = this.index();
    return index.steps.has(step) && index.lanes.has(lane);
  }

  /**
   * The server's findings on what is shown, indexed by cell ("step|lane").
   * @param {Finding[]} findings
   */
  setFindings(findings) {
    this.findings = findings;
    this.findingsByCell = new Map();
    for (const finding of findings) {
      const lane = finding.lane || (finding.step ? "customer" : null);
      if (!finding.step || !lane) continue;
      const key = `${finding.step}|${lane}`;
      if (!this.findingsByCell.has(key)) this.findingsByCell.set(key, []);
      this.findingsByCell.get(key).push(finding);
    }
    this.emit("insights", findings);
  }
}
