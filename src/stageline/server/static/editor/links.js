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

export function drawLinks(layer, container, doc, view) {
  layer.replaceChildren();
  layer.setAttribute("width", container.scrollWidth);
  layer.setAttribute("height", container.scrollHeight);
  const defs = svg("defs");
  for (const [id, cls] of [["sl-arrow", "sl-arrowhead"], ["sl-arrow-selected", "sl-arrowhead is-selected"]]) {
    const marker = svg("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
      orient: "auto-start-reverse" });
    marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", class: cls }));
    defs.append(marker);
  }
  layer.append(defs);
  const cards = new Map([...container.querySelectorAll("[data-card]")].map((el) => [el.dataset.card, el]));
  const boxes = new Map();
  const columns = new Map();
  for (const [id, element] of cards) {
    const cardBox = box(element, container);
    const cellBox = box(element.closest(".sl-cell"), container);
    boxes.set(id, { card: cardBox, cell: cellBox });
    if (!columns.has(cellBox.x)) columns.set(cellBox.x, []);
    columns.get(cellBox.x).push(cardBox);
  }
  for (const link of doc.links || []) {
    const from = cards.get(link.from);
    const to = cards.get(link.to);
    if (!from || !to) continue; // inside a collapsed stage or lane
    const key = `${link.from}->${link.to}`;
    const a = boxes.get(link.from);
    const b = boxes.get(link.to);
    const { points, label: at, anchor } = route(a.card, b.card, a.cell, b.cell, columns.get(a.cell.x));
    const d = `M${points.map((p) => p.join(",")).join(" L")}`;
    const selected = view.selection.has(key);
    const related = view.hover && (link.from === view.hover || link.to === view.hover);
    const marker = selected ? "url(#sl-arrow-selected)" : "url(#sl-arrow)";
    const group = svg("g", { class: `sl-link${selected ? " is-selected" : ""}${related ? " is-related" : ""}${link.two_way ? " is-two-way" : ""}`,
      "data-link": key });
    group.append(svg("path", { d, class: "sl-link-hit" }));
    group.append(svg("path", { d, class: "sl-link-line", "marker-end": marker,
      "marker-start": link.two_way ? marker : null }));
    if (link.label) {
      const label = svg("text", { x: at[0], y: at[1] - 3, class: "sl-link-label", "text-anchor": anchor });
      label.textContent = link.label;
      group.append(label);
    }
    layer.append(group);
  }
}
