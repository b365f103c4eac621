// @ts-check
// Small DOM helpers. User text only ever reaches the page through textContent
// or attribute values set here, never through HTML strings.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "style" && typeof value === "object") {
      for (const [property, setting] of Object.entries(value)) {
        if (property.startsWith("--")) element.style.setProperty(property, setting);
        else element.style[property] = setting;
      }
    }
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

const SVG = "http://www.w3.org/2000/svg";

export function svg(tag, attributes = {}) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) element.setAttribute(name, String(value));
  }
  return element;
}

export function formatDuration(seconds) {
  if (seconds === undefined || seconds === null) return "";
  if (typeof seconds === "object") return `~${formatDuration(meanSeconds(seconds))}`;
  let rest = Math.round(seconds);
  if (rest <= 0) return "0m";
  const parts = [];
  /** @type {Array<[string, number]>} */
  const units = [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]];
  for (const [unit, size] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join("");
}

export function meanSeconds(value) {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number") return value;
  if (value.dist === "uniform") return (value.min + value.max) / 2;
  if (value.dist === "triangular") return (value.min + value.mode + value.max) / 3;
  return value.mean || 0;
}

// A readable, unique id for a new element, from its text.
export function freshId(text, taken, prefix = "") {
  const base = (prefix + (text || "item"))
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32) || "item";
  const start = /^[a-z0-9]/.test(base) ? base : `x${base}`;
  let id = start;
  for (let n = 2; taken.has(id); n += 1) id = `${start}-${n}`;
  return id;
}
