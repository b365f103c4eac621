// @ts-check
// Links drawn over the grid as orthogonal connectors through the gutters.

import { svg } from "./dom.js";

// Position of an element relative to `container`, unaffected by CSS zoom transforms.
function box(element, container) {
  let x = 0;
  let y = 0;
  let node = element;
  while (node && node !== container) {
    x += node.offsetLeft;
    y += node.offsetTop;
    node = node.offsetParent;
  }
  return { x, y, w: element.offsetWidth, h: element.offsetHeight };
}

// Route through the cells' padding, where no card ever sits: out of the
// source card's side into its cell's padding, along the top padding of a lane
// row, and into the target card's side. Cells pad their cards by 6px.
const CHANNEL = 3;

function route(a, b, cellA, cellB, column) {
  const y1 = a.y + Math.min(a.h / 2, 16);
  const y2 = b.y + Math.min(b.h / 2, 16);
  if (Math.abs(cellA.x - cellB.x) < 2) {
    // Nothing between them in the column: a straight line down (or up) the middle.
    const [upper, lower] = a.y < b.y ? [a, b] : [b, a];
    const top = upper.y + upper.h;
    const blocked = column.some((c) => c !== a && c !== b && c.y < lower.y && c.y + c.h > top);
    if (!blocked) {
      const x = a.x + a.w / 2;
      const down = a.y < b.y;
      const points = [[x, down ? a.y + a.h : a.y], [x, down ? b.y : b.y + b.h]];
      return { points, label: [x + 6, (top + lower.y) / 2 + 4], anchor: "start" };
    }
    const x = cellA.x + cellA.w - CHANNEL;
    const points = [[a.x + a.w, y1], [x, y1], [x, y2], [b.x + b.w, y2]];
    return { points, label: [x - 4, (y1 + y2) / 2], anchor: "end" };
  }
  const forward = cellB.x > cellA.x;
  const x1 = forward ? a.x + a.w : a.x;
  const x2 = forward ? b.x : b.x + b.w;
  const out = forward ? cellA.x + cellA.w - CHANNEL : cellA.x + CHANNEL;
  const into = forward ? cellB.x + CHANNEL : cellB.x + cellB.w - CHANNEL;
  const row = cellB.y > cellA.y ? cellB.y + CHANNEL : cellA.y + CHANNEL;
  const points = [[x1, y1], [out, y1], [out, row], [into, row], [into, y2], [x2, y2]];
  return { points, label: [(out + into) / 2, row], anchor: "middle" };
}

// Where a link's label goes: the first free spot along its route, from the
// middle of the route outwards, where it touches no card (linked or not) and no
// label already placed; beside vertical runs, above or below horizontal ones,
// and at last on the line itself. A label with no free spot anywhere along its
// route is shown only while its link is selected or one of its cards is under the
// pointer (and its link's tooltip says it).
const LABEL_HEIGHT = 14; // 11px text: ascent 11, descent 3
const CLEARANCE = 2; // a label keeps this far from cards and other labels
const STEP = 8; // distance between the spots tried along a route
const SPOTS = 40; // spots tried on each side of a route's middle

/** @typedef {{x: number, y: number, w: number, h: number}} Box */

/** @type {CanvasRenderingContext2D | null} */
let measurer = null;
const widths = new Map();

// The width of a label's text as drawn (11px, the editor's font), measured once per text.
function textWidth(text, element) {
  if (!widths.has(text)) {
    if (!measurer) {
      measurer = document.createElement("canvas").getContext("2d");
      measurer.font = `11px ${getComputedStyle(element).fontFamily || "sans-serif"}`;
    }
    widths.set(text, Math.ceil(measurer.measureText(text).width) + 2);
  }
  return widths.get(text);
}

// The box of a label whose baseline is at `at`.
function labelBox(at, anchor, width) {
  const left = anchor === "middle" ? at[0] - width / 2 : anchor === "end" ? at[0] - width : at[0];
  return { x: left, y: at[1] - 11, w: width, h: LABEL_HEIGHT };
}

const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

// Boxes in square buckets, so a label is checked only against what is near it.
class Boxes {
  constructor(size = 160) {
    this.size = size;
    /** @type {Map<string, Box[]>} */
    this.buckets = new Map();
  }

  *keys(b) {
    const s = this.size;
    for (let i = Math.floor(b.x / s); i <= Math.floor((b.x + b.w) / s); i += 1) {
      for (let j = Math.floor(b.y / s); j <= Math.floor((b.y + b.h) / s); j += 1) yield `${i},${j}`;
    }
  }

  add(b) {
    for (const key of this.keys(b)) {
      const list = this.buckets.get(key);
      if (list) list.push(b); else this.buckets.set(key, [b]);
    }
  }

  hits(b) {
    for (const key of this.keys(b)) {
      if (this.buckets.get(key)?.some((o) => overlaps(b, o))) return true;
    }
    return false;
  }
}

// The spots to try along a route, nearest its middle first.
function* spots(points) {
  const lengths = [];
  let total = 0;
  for (let i = 1; i < points.length; i += 1) {
    const l = Math.abs(points[i][0] - points[i - 1][0]) + Math.abs(points[i][1] - points[i - 1][1]);
    lengths.push(l);
    total += l;
  }
  const at = (d) => {
    for (let i = 0; i < lengths.length; i += 1) {
      if (d <= lengths[i] || i === lengths.length - 1) {
        const [x1, y1] = points[i];
        const [x2, y2] = points[i + 1];
        const t = lengths[i] ? Math.min(1, d / lengths[i]) : 0;
        return { x: x1 + (x2 - x1) * t, y: y1 + (y2 - y1) * t, vertical: Math.abs(y2 - y1) > Math.abs(x2 - x1) };
      }
      d -= lengths[i];
    }
    return null;
  };
  const middle = total / 2;
  // Up to SPOTS spots either side of the middle: a long route's far ends are not where its label is looked for.
  for (let k = 0; k * STEP <= middle && k <= SPOTS; k += 1) {
    for (const d of k ? [middle - k * STEP, middle + k * STEP] : [middle]) {
      const spot = at(d);
      if (spot) yield spot;
    }
  }
}

function placeLabel(points, text, width, cards, placed) {
  const free = (at, anchor) => {
    const area = labelBox(at, anchor, width);
    const margin = { x: area.x - CLEARANCE, y: area.y - CLEARANCE, w: area.w + 2 * CLEARANCE, h: area.h + 2 * CLEARANCE };
    return cards.hits(margin) || placed.hits(margin) ? null : { at, anchor, area };
  };
  let found = null;
  for (const { x, y, vertical } of spots(points)) {
    found = vertical
      ? free([x + 6, y + 4], "start") || free([x - 6, y + 4], "end")
      : free([x, y - 4], "middle") || free([x, y + LABEL_HEIGHT - 1], "middle");
    if (found) break;
  }
  if (!found) {
    // On the line (the label's halo interrupts it).
    for (const { x, y } of spots(points)) {
      found = free([x, y + 4], "middle");
      if (found) break;
    }
  }
  if (found) placed.add(found.area);
  return found;
}

// A drawn link's look: selected, related to the card under the pointer, two-way.
function styleLink(item, view) {
  const { link, state } = item;
  const key = `${link.from}->${link.to}`;
  const selected = view.selection.has(key);
  const related = Boolean(view.hover && (link.from === view.hover || link.to === view.hover));
  const look = `sl-link${selected ? " is-selected" : ""}${related ? " is-related" : ""}${link.two_way ? " is-two-way" : ""}`;
  const marker = selected ? "url(#sl-arrow-selected)" : "url(#sl-arrow)";
  if (state.look !== look) {
    item.group.setAttribute("class", look);
    state.look = look;
  }
  if (state.marker !== marker) {
    item.line.setAttribute("marker-end", marker);
    if (link.two_way) item.line.setAttribute("marker-start", marker);
    state.marker = marker;
  }
}

// Hovering and selecting change how links look, not where they run: restyle
// the drawn links without measuring a single card (a 1,000-card board stays
// fluid under the pointer). With `keys`, only those links (the hovered card's,
// the ones selected or unselected) are touched.
/**
 * @param {any} layer
 * @param {any} view
 * @param {Iterable<string>|null} [keys]
 */
export function restyleLinks(layer, view, keys = null) {
  if (!layer.drawn) return;
  if (!keys) {
    for (const item of layer.drawn.values()) styleLink(item, view);
    return;
  }
  for (const key of keys) {
    const item = layer.drawn.get(key);
    if (item) styleLink(item, view);
  }
}

// Off-screen links are not drawn: only those whose route crosses `area` (board
// pixels at 100 %) are displayed. Scrolling a 600-link board paints a few dozen.
/**
 * @param {any} layer
 * @param {{x: number, y: number, w: number, h: number}} area
 */
export function cullLinks(layer, area) {
  if (!layer.drawn) return;
  for (const item of layer.drawn.values()) {
    const hidden = !overlaps(item.bounds, area);
    if (item.hidden !== hidden) {
      item.group.style.display = hidden ? "none" : "";
      item.hidden = hidden;
    }
  }
}

function arrowheads() {
  const defs = svg("defs");
  for (const [id, cls] of [["sl-arrow", "sl-arrowhead"], ["sl-arrow-selected", "sl-arrowhead is-selected"]]) {
    const marker = svg("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
      orient: "auto-start-reverse" });
    marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", class: cls }));
    defs.append(marker);
  }
  return defs;
}

/**
 * @typedef {{x: number, y: number, w: number, h: number}} Rect
 * @typedef {{card: Rect, cell: Rect, step: string}} Placed
 * @typedef {{boxOf: (id: string) => Placed|null, column: (step: string) => Rect[], cards: () => Iterable<Rect>}} BoardGeometry
 */

// Where every card of `doc` is, drawn or not: columns from the step headers and
// rows from the lane labels (always drawn, a few hundred layout reads at most),
// cards stacked in their cells with the heights `sizes` knows (layout.js).
// Cards in a folded stage or lane have no place.
/**
 * @param {HTMLElement} container
 * @param {any} doc
 * @param {any} view
 * @param {import("./layout.js").CardSizes} sizes
 * @returns {BoardGeometry}
 */
export function boardGeometry(container, doc, view, sizes) {
  /** @type {Map<string, {x: number, w: number}>} */
  const across = new Map();
  for (const head of container.querySelectorAll(".sl-step[data-step]")) {
    const b = box(head, container);
    across.set(/** @type {HTMLElement} */ (head).dataset.step, { x: b.x, w: b.w });
  }
  /** @type {Map<string, {y: number, h: number}>} */
  const down = new Map();
  for (const head of container.querySelectorAll(".sl-lane-head[data-lane]")) {
    const lane = /** @type {HTMLElement} */ (head).dataset.lane;
    if (view.collapsedLanes.has(lane)) continue;
    const b = box(head, container);
    down.set(lane, { y: b.y, h: b.h });
  }
  /** @type {Map<string, Placed>} */
  const placed = new Map();
  /** @type {Map<string, Rect[]>} */
  const columns = new Map();
  for (const stage of doc.stages) {
    if (view.collapsedStages.has(stage.id)) continue;
    for (const step of stage.steps) {
      const x = across.get(step.id);
      if (!x) continue;
      const inColumn = [];
      for (const lane of doc.lanes) {
        const y = down.get(lane.id);
        const cards = (step.cells || {})[lane.id];
        if (!y || !cards || !cards.length) continue;
        const cell = { x: x.x, y: y.y, w: x.w, h: y.h };
        sizes.stack(cell, cards).forEach((card, n) => {
          placed.set(cards[n].id, { card, cell, step: step.id });
          inColumn.push(card);
        });
      }
      columns.set(step.id, inColumn);
    }
  }
  return {
    boxOf: (id) => placed.get(id) || null,
    column: (step) => columns.get(step) || [],
    cards: () => [...placed.values()].map((p) => p.card),
  };
}

// Draw the links of `doc` between the cards in `container`. Only links whose
// route or look changed are redrawn.
/**
 * @param {any} layer
 * @param {HTMLElement} container
 * @param {any} doc
 * @param {any} view
 * @param {BoardGeometry} geometry where the cards are (drawn or not: see boardGeometry)
 */
export function drawLinks(layer, container, doc, view, geometry) {
  const width = String(container.scrollWidth);
  const height = String(container.scrollHeight);
  if (layer.getAttribute("width") !== width) layer.setAttribute("width", width);
  if (layer.getAttribute("height") !== height) layer.setAttribute("height", height);
  if (!layer.drawn) {
    layer.replaceChildren(arrowheads());
    layer.drawn = new Map(); // link key -> {sig, group}
  }
  const { boxOf, column } = geometry;
  // Measure everything first, then draw: a change to the drawing between two
  // measurements would make the browser lay the page out again for the second.
  const routes = [];
  for (const link of doc.links || []) {
    const a = boxOf(link.from);
    const b = boxOf(link.to);
    if (!a || !b) continue; // inside a collapsed stage or lane
    const sameColumn = Math.abs(a.cell.x - b.cell.x) < 2;
    routes.push([link, route(a.card, b.card, a.cell, b.cell, sameColumn ? column(a.step) : [])]);
  }
  // Labels keep off every card (measured only when there are labels) and each other.
  if (routes.some(([link]) => link.label)) {
    const obstacles = new Boxes();
    for (const card of geometry.cards()) obstacles.add(card);
    const placed = new Boxes();
    const spotOf = layer.spots || new Map(); // link key -> {route, spot} where its label went last time
    /** @type {Map<string, {route: string, spot: any}>} */
    const spots = new Map();
    const routeOf = (/** @type {any} */ link, /** @type {any} */ way) => `${way.points.join(" ")}|${link.label}`;
    const clear = (/** @type {Box} */ area) => {
      const margin = { x: area.x - CLEARANCE, y: area.y - CLEARANCE, w: area.w + 2 * CLEARANCE, h: area.h + 2 * CLEARANCE };
      return !obstacles.hits(margin) && !placed.hits(margin);
    };
    const labelled = routes.filter(([link]) => link.label);
    // A route that has not moved keeps its label's spot while the spot is still
    // clear: an edit re-places only the labels around it (searching is the costly part).
    const fresh = [];
    for (const entry of labelled) {
      const [link, way] = entry;
      const key = `${link.from}->${link.to}`;
      const before = spotOf.get(key);
      if (before && before.route === routeOf(link, way) && clear(before.spot.area)) {
        placed.add(before.spot.area);
        spots.set(key, before);
        entry[1] = { ...way, label: before.spot.at, anchor: before.spot.anchor, labelled: true };
      } else fresh.push(entry);
    }
    for (const entry of fresh) {
      const [link, way] = entry;
      const spot = placeLabel(way.points, link.label, textWidth(link.label, layer), obstacles, placed);
      if (spot) spots.set(`${link.from}->${link.to}`, { route: routeOf(link, way), spot });
      entry[1] = spot ? { ...way, label: spot.at, anchor: spot.anchor, labelled: true } : { ...way, labelled: false };
    }
    layer.spots = spots;
  }
  const drawn = new Map();
  for (const [link, { points, label: at, anchor, labelled }] of routes) {
    const key = `${link.from}->${link.to}`;
    const d = `M${points.map((p) => p.join(",")).join(" L")}`;
    let item = layer.drawn.get(key);
    if (!item || item.label !== (link.label || "") || item.twoWay !== Boolean(link.two_way)) {
      // A new link, or one whose parts changed: build it.
      const group = svg("g", { "data-link": key });
      const hit = svg("path", { class: "sl-link-hit" });
      const line = svg("path", { class: "sl-link-line" });
      group.append(hit, line);
      let text = null;
      if (link.label) {
        text = svg("text", { class: "sl-link-label" });
        text.textContent = link.label;
        const title = svg("title");
        title.textContent = link.label; // also where the label found no room on the board
        group.append(title, text);
      }
      if (item) item.group.replaceWith(group);
      else layer.append(group);
      item = { group, hit, line, text, label: link.label || "", twoWay: Boolean(link.two_way), state: {} };
    }
    item.link = link;
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const left = Math.min(...xs, at[0]) - 80;
    const top = Math.min(...ys, at[1]) - 20;
    item.bounds = { x: left, y: top, w: Math.max(...xs, at[0]) + 80 - left, h: Math.max(...ys, at[1]) + 20 - top };
    // Then only the attributes that changed (most links keep theirs when one card changes).
    const state = item.state;
    if (state.d !== d) {
      item.hit.setAttribute("d", d);
      item.line.setAttribute("d", d);
      state.d = d;
    }
    styleLink(item, view);
    // A label with no free spot waits at the route's middle, shown only while its
    // link is selected or one of its cards is under the pointer.
    const place = `${at[0]},${at[1]},${anchor},${labelled}`;
    if (item.text && state.place !== place) {
      item.text.setAttribute("x", at[0]);
      item.text.setAttribute("y", labelled ? at[1] : at[1] - 3);
      item.text.setAttribute("text-anchor", anchor);
      item.text.setAttribute("class", labelled === false ? "sl-link-label is-unplaced" : "sl-link-label");
      state.place = place;
    }
    drawn.set(key, item);
  }
  for (const [key, { group }] of layer.drawn) {
    if (drawn.get(key)?.group !== group) group.remove();
  }
  layer.drawn = drawn;
}
