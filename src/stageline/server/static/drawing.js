// @ts-check
// Zoom for a page's blueprint drawing (the Blueprint tab, a version, a shared
// link): − and + step through sizes, Fit shows the whole width, 100 % the
// drawing as drawn; Ctrl/Cmd + wheel zooms at the pointer. The SVG is drawn
// again at each size (its width and height change), so text stays sharp.

const STEPS = [0.25, 0.33, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3];

/** @param {HTMLElement} figure */
function zoomable(figure) {
  const pane = /** @type {HTMLElement | null} */ (figure.querySelector(".drawing-scroll"));
  const drawing = pane?.querySelector("svg");
  if (!pane || !drawing) return;
  const box = drawing.viewBox.baseVal;
  const natural = { width: box && box.width ? box.width : drawing.getBoundingClientRect().width,
    height: box && box.height ? box.height : drawing.getBoundingClientRect().height };
  let zoom = 1;
  const label = document.createElement("span");
  label.className = "drawing-zoom-level";
  label.setAttribute("aria-live", "polite");

  /** @param {number} next @param {{x: number, y: number} | null} at */
  const set = (next, at = null) => {
    const anchor = at || { x: pane.clientWidth / 2, y: pane.clientHeight / 2 };
    const x = (pane.scrollLeft + anchor.x) / zoom;
    const y = (pane.scrollTop + anchor.y) / zoom;
    zoom = Math.min(4, Math.max(0.1, Math.round(next * 100) / 100));
    drawing.setAttribute("width", String(natural.width * zoom));
    drawing.setAttribute("height", String(natural.height * zoom));
    drawing.style.width = `${natural.width * zoom}px`;
    pane.scrollLeft = x * zoom - anchor.x;
    pane.scrollTop = y * zoom - anchor.y;
    label.textContent = `${Math.round(zoom * 100)}%`;
    figure.dataset.zoom = String(zoom);
  };
  /** @param {string} text @param {string} name @param {() => void} action */
  const button = (text, name, action) => {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "button small";
    element.textContent = text;
    element.setAttribute("aria-label", name);
    element.title = name;
    element.addEventListener("click", action);
    return element;
  };
  const fit = () => set(Math.min(1, (pane.clientWidth - 16) / natural.width), { x: 0, y: 0 });
  const tools = document.createElement("div");
  tools.className = "drawing-tools";
  tools.setAttribute("role", "toolbar");
  tools.setAttribute("aria-label", "Zoom the drawing");
  tools.append(
    button("−", "Zoom out", () => set([...STEPS].reverse().find((z) => z < zoom - 0.001) ?? zoom)),
    label,
    button("+", "Zoom in", () => set(STEPS.find((z) => z > zoom + 0.001) ?? zoom)),
    button("Fit", "Fit to width", fit),
    button("100%", "Actual size", () => set(1)),
  );
  figure.prepend(tools);
  pane.addEventListener("wheel", (event) => {
    if (!(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    const rect = pane.getBoundingClientRect();
    set(zoom * (event.deltaY < 0 ? 1.1 : 1 / 1.1), { x: event.clientX - rect.left, y: event.clientY - rect.top });
  }, { passive: false });
  set(1);
}

for (const figure of document.querySelectorAll("figure.drawing")) zoomable(/** @type {HTMLElement} */ (figure));
