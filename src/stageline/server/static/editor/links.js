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

function route(a, b) {
  const gap = 10;
  // Same column: straight down or up along the right edge of the cards.
  if (Math.abs(a.x - b.x) < 4) {
    const down = b.y > a.y;
    const x1 = a.x + a.w * 0.5;
    const y1 = down ? a.y + a.h : a.y;
    const y2 = down ? b.y : b.y + b.h;
    return { d: `M${x1},${y1} L${x1},${y2}`, end: [x1, y2] };
  }
  const forward = b.x > a.x;
  const x1 = forward ? a.x + a.w : a.x;
  const y1 = a.y + Math.min(a.h / 2, 18);
  const x2 = forward ? b.x : b.x + b.w;
  const y2 = b.y + Math.min(b.h / 2, 18);
  const gutter = forward ? x2 - gap : x2 + gap;
  return { d: `M${x1},${y1} L${gutter},${y1} L${gutter},${y2} L${x2},${y2}`, end: [x2, y2] };
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
  for (const link of doc.links || []) {
    const from = cards.get(link.from);
    const to = cards.get(link.to);
    if (!from || !to) continue; // inside a collapsed stage or lane
    const key = `${link.from}->${link.to}`;
    const { d } = route(box(from, container), box(to, container));
    const selected = view.selection.has(key);
    const related = view.hover && (link.from === view.hover || link.to === view.hover);
    const marker = selected ? "url(#sl-arrow-selected)" : "url(#sl-arrow)";
    const group = svg("g", { class: `sl-link${selected ? " is-selected" : ""}${related ? " is-related" : ""}${link.two_way ? " is-two-way" : ""}`,
      "data-link": key });
    group.append(svg("path", { d, class: "sl-link-hit" }));
    group.append(svg("path", { d, class: "sl-link-line", "marker-end": marker,
      "marker-start": link.two_way ? marker : null }));
    if (link.label) {
      const [, start] = d.split("M");
      const [x, y] = start.split(" ")[0].split(",").map(Number);
      const label = svg("text", { x: x + 6, y: y - 5, class: "sl-link-label" });
      label.textContent = link.label;
      group.append(label);
    }
    layer.append(group);
  }
}
