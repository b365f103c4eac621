// @ts-check
// Where things are on the board without asking the page: the grid's columns
// have known widths and its rows take the height of their tallest cell, so a
// card's box follows from the heights of the cards above it. Cards drawn are
// measured (once per look); cards not drawn (off-screen, see grid.js) are
// estimated from their text, wrapped as the card wraps it.
//
//   const sizes = new CardSizes();
//   sizes.calibrate(grid);            // once the grid is in the page
//   sizes.height(card)                // measured, else estimated
//   sizes.measure(cellElements)       // after cells were drawn: true when a height changed
//   sizes.laneFloor(doc, lane)        // the least height of a lane's row (its tallest cell)

import { formatDuration } from "./dom.js";

const CELL_PAD = 6; // .sl-cell padding
const GAP = 6; // .sl-cell gap between cards
const CELL_BORDER = 1; // .sl-cell border-bottom (border-box sizing)
export const LEAST_ROW = 64; // the grid's minmax(64px, auto) rows

/** What a card shows: a card is drawn afresh, and measured again, only when this changes. @param {any} card */
export function cardLook(card) {
  return [card.id, card.text, card.actor || null, card.basis === "proposed", card.fail ? [card.fail.severity, card.fail.text, card.fail.recovery] : null,
    card.wait ?? null, card.duration ?? null, card.emotion ?? null, card.pain || null];
}

// Plain glyphs, so the badge reads the same where no emoji font is installed.
/** @type {Record<string, string>} */
export const EMOTION_LABELS = { "-2": "☹ −2", "-1": "☹ −1", 0: "○ 0", 1: "☺ +1", 2: "☺ +2" };

/** The texts of a card's badges, as grid.js draws them. @param {any} card @returns {string[]} */
export function badgeTexts(card) {
  const list = [];
  if (card.fail) list.push(`F${card.fail.severity ? ` ${card.fail.severity}` : ""}`);
  if (card.wait) list.push(`W ${formatDuration(card.wait)}`);
  if (card.duration !== undefined && card.duration !== null) list.push(formatDuration(card.duration));
  if (card.emotion !== undefined && card.emotion !== null) list.push(EMOTION_LABELS[card.emotion]);
  if (card.pain) list.push("pain");
  return list;
}

const BADGE_GAP = 3; // .sl-badges gap
const BADGE_PAD = 12; // .sl-badge padding, left and right

export class CardSizes {
  constructor() {
    /** @type {Map<string, {look: string, h: number}>} card id -> measured height */
    this.measured = new Map();
    /** @type {Map<string, {look: string, h: number}>} card id -> estimated height */
    this.estimated = new Map();
    // Until calibrated: the editor's CSS at 13px text with a 1.35 line height.
    this.base = 33; // a one-line card without actor and badges
    this.line = 17.55;
    this.actor = 17;
    this.badges = 20;
    this.width = 186; // the text's width inside a card
    this.font = "13px system-ui, sans-serif";
    this.badgeFont = "600 10.5px system-ui, sans-serif";
    this.badgeRow = 16; // one more row of badges
    /** @type {CanvasRenderingContext2D|null} */
    this.context = null;
    /** @type {Map<string, number>} */
    this.words = new Map();
    this.calibrated = false;
    /** @type {Map<string, number>} the bottom border of a lane's cells, by the line under the lane */
    this.borders = new Map();
  }

  /**
   * Measure prototype cards in a hidden cell of `grid` (one layout read).
   * @param {HTMLElement} grid
   */
  calibrate(grid) {
    if (this.calibrated) return;
    const probe = document.createElement("div");
    probe.className = "sl-cell sl-lane-customer";
    probe.setAttribute("aria-hidden", "true");
    Object.assign(probe.style, { position: "absolute", visibility: "hidden", left: "0", top: "0", width: "var(--col)", pointerEvents: "none" });
    const card = (/** @type {string} */ text, actor = false, badge = false) => {
      const element = document.createElement("div");
      element.className = "sl-card sl-lane-customer";
      const body = document.createElement("div");
      body.className = "sl-card-text";
      body.textContent = text;
      element.append(body);
      if (actor) {
        const who = document.createElement("div");
        who.className = "sl-card-actor";
        who.textContent = "Mg";
        element.append(who);
      }
      const badges = document.createElement("div");
      badges.className = "sl-badges";
      if (badge) {
        const one = document.createElement("span");
        one.className = "sl-badge sl-badge-time";
        one.textContent = "5m";
        badges.append(one);
      }
      element.append(badges);
      probe.append(element);
      return element;
    };
    const cards = [card("Mg"), card(Array(11).fill("Mg").join("\n")), card("Mg", true), card("Mg", false, true)];
    // The lines between lanes are the cells' bottom borders, thicker than the rest.
    const lines = ["interaction", "visibility", "internal-interaction", "implementation"].map((name) => {
      const line = document.createElement("div");
      line.className = `sl-cell sl-line-${name}`;
      probe.append(line);
      return /** @type {[string, HTMLElement]} */ ([name, line]);
    });
    grid.append(probe);
    // Fractional heights (offsetHeight rounds), unzoomed.
    const tall = (/** @type {HTMLElement} */ e) => e.getBoundingClientRect().height / ((e.getBoundingClientRect().width / e.offsetWidth) || 1);
    const [one, two, actor, badge] = cards.map(tall);
    const pill = /** @type {HTMLElement} */ (cards[3].querySelector(".sl-badge"));
    const pillStyle = getComputedStyle(pill);
    const badgeFont = `${pillStyle.fontWeight} ${pillStyle.fontSize} ${pillStyle.fontFamily}`;
    const badgeRow = tall(pill) + BADGE_GAP;
    for (const [name, line] of lines) this.borders.set(name, parseFloat(getComputedStyle(line).borderBottomWidth) || CELL_BORDER);
    const text = /** @type {HTMLElement} */ (cards[0].firstChild);
    const width = text.clientWidth;
    const style = getComputedStyle(text);
    const font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    probe.remove();
    if (!one || !width) return; // not laid out (a hidden page): keep the defaults
    this.base = one;
    this.line = (two - one) / 10;
    this.actor = actor - one;
    this.badges = badge - one;
    this.width = width;
    this.font = font;
    this.badgeFont = badgeFont;
    this.badgeRow = badgeRow;
    this.context = null;
    this.words.clear();
    this.estimated.clear();
    this.calibrated = true;
  }

  // Forget every height and the calibration (the zoom changed how text wraps).
  forget() {
    this.measured.clear();
    this.estimated.clear();
    this.words.clear();
    this.context = null;
    this.calibrated = false;
  }

  /** @param {string} word @param {string} [font] */
  wordWidth(word, font = this.font) {
    const key = font === this.font ? word : `${font}\n${word}`;
    let width = this.words.get(key);
    if (width === undefined) {
      if (!this.context) this.context = document.createElement("canvas").getContext("2d");
      if (this.context && this.context.font !== font) this.context.font = font;
      width = this.context ? this.context.measureText(word).width : word.length * 7;
      this.words.set(key, width);
    }
    return width;
  }

  /** How many rows a card's badges take (0: none). @param {any} card */
  badgeRows(card) {
    const texts = badgeTexts(card);
    if (!texts.length) return 0;
    let rows = 1;
    let used = 0;
    for (const text of texts) {
      const width = this.wordWidth(text, this.badgeFont) + BADGE_PAD;
      if (used && used + BADGE_GAP + width > this.width) { rows += 1; used = width; } else used += (used ? BADGE_GAP : 0) + width;
    }
    return rows;
  }

  /** How many lines `text` takes in a card (pre-wrap, broken anywhere when a word is too long). @param {string} text */
  lines(text) {
    const space = this.wordWidth(" ");
    let lines = 0;
    for (const paragraph of String(text || "").split("\n")) {
      let count = 1;
      let used = 0;
      for (const word of paragraph.split(" ")) {
        const width = this.wordWidth(word);
        if (used && used + space + width > this.width) { count += 1; used = 0; }
        if (width > this.width) {
          count += Math.ceil(width / this.width) - 1;
          used = width % this.width;
        } else used += (used ? space : 0) + width;
      }
      lines += count;
    }
    return Math.max(1, lines);
  }

  /** @param {any} card @returns {number} the card's height: as drawn, else estimated */
  height(card) {
    const look = JSON.stringify(cardLook(card));
    const measured = this.measured.get(card.id);
    if (measured && measured.look === look) return measured.h;
    const estimated = this.estimated.get(card.id);
    if (estimated && estimated.look === look) return estimated.h;
    const rows = this.badgeRows(card);
    const h = this.base + (this.lines(card.text) - 1) * this.line + (card.actor ? this.actor : 0) + (rows ? this.badges + (rows - 1) * this.badgeRow : 0);
    this.estimated.set(card.id, { look, h });
    return h;
  }

  /**
   * Measure the cards of cells just drawn; true when a height differs from what was assumed.
   * @param {Iterable<HTMLElement>} cells
   * @param {(id: string) => any} cardOf
   */
  measure(cells, cardOf) {
    /** @type {Array<[string, any, HTMLElement]>} */
    const found = [];
    for (const cell of cells) {
      for (const element of cell.children) {
        const id = /** @type {HTMLElement} */ (element).dataset?.card;
        const card = id ? cardOf(id) : null;
        if (card) found.push([id, card, /** @type {HTMLElement} */ (element)]);
      }
    }
    let changed = false;
    // Every read after every write: one layout for them all.
    const heights = found.map(([, , element]) => {
      const box = element.getBoundingClientRect();
      return element.offsetWidth ? box.height / (box.width / element.offsetWidth) : 0; // fractional, unzoomed
    });
    found.forEach(([id, card], n) => {
      if (!heights[n]) return; // in a folded lane or a hidden page
      const before = this.height(card);
      if (Math.abs(before - heights[n]) > 0.5) changed = true;
      this.measured.set(id, { look: JSON.stringify(cardLook(card)), h: heights[n] });
    });
    return changed;
  }

  /** A cell's height with `cards` in it. @param {any[]} cards @param {string|null} [line] the line under its lane */
  cellHeight(cards, line = null) {
    if (!cards.length) return 0;
    let total = 2 * CELL_PAD + (line ? this.borders.get(line) ?? 3 : CELL_BORDER) + GAP * (cards.length - 1);
    for (const card of cards) total += this.height(card);
    return total;
  }

  /**
   * The least height of `lane`'s row: its tallest cell, drawn or not.
   * @param {any} doc @param {string} lane @param {string|null} [line] the line under the lane
   */
  laneFloor(doc, lane, line = null) {
    let most = 0;
    for (const stage of doc.stages) for (const step of stage.steps) {
      const cards = (step.cells || {})[lane];
      if (cards && cards.length) most = Math.max(most, this.cellHeight(cards, line));
    }
    // Half a pixel to spare for rounding: drawing a cell must not move the row.
    return Math.max(LEAST_ROW, Math.ceil(most + 0.5));
  }

  /**
   * The boxes of a cell's cards, stacked from its top.
   * @param {{x: number, y: number, w: number, h: number}} cell
   * @param {any[]} cards
   * @returns {Array<{x: number, y: number, w: number, h: number}>}
   */
  stack(cell, cards) {
    let y = cell.y + CELL_PAD;
    return cards.map((card) => {
      const h = this.height(card);
      const box = { x: cell.x + CELL_PAD, y, w: cell.w - 2 * CELL_PAD - 1, h };
      y += h + GAP;
      return box;
    });
  }
}
