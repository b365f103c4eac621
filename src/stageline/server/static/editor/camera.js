// @ts-check
// The camera: zoom at a point (Ctrl/Cmd + wheel at the pointer, − and + at the
// centre) and Fit. It writes the zoom into the view state, which says "zoom".

/** @typedef {import("./editor.js").Editor} Editor */

const ZOOMS = [0.4, 0.5, 0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 2];
// Fit never goes below this: smaller text is not readable (scroll for the rest).
const READABLE = 0.67;

export class Camera {
  /** @param {Editor} editor */
  constructor(editor) {
    this.editor = editor;
  }

  /** @param {WheelEvent} event */
  onWheel(event) {
    if (!(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    const rect = this.editor.viewport.getBoundingClientRect();
    this.set(Math.min(2, Math.max(0.25, this.editor.view.zoom * (event.deltaY < 0 ? 1.1 : 1 / 1.1))),
      { x: event.clientX - rect.left, y: event.clientY - rect.top });
  }

  /**
   * Zoom for real: CSS zoom lays the board out again at that size, so the
   * sticky stage and step headers and lane labels stay where they belong and
   * the scroll area is the board's. The point under `at` (viewport pixels;
   * the centre by default) stays put.
   * @param {number} zoom
   * @param {{x: number, y: number}|null} [at]
   */
  set(zoom, at = null) {
    const { viewport, canvas, toolbar, view } = this.editor;
    const old = view.zoom;
    const next = Math.round(zoom * 100) / 100;
    const anchor = at || { x: viewport.clientWidth / 2, y: viewport.clientHeight / 2 };
    // Read the scroll position before the zoom changes the layout.
    const x = (viewport.scrollLeft + anchor.x) / old;
    const y = (viewport.scrollTop + anchor.y) / old;
    canvas.style.setProperty("zoom", String(next));
    viewport.scrollLeft = x * next - anchor.x;
    viewport.scrollTop = y * next - anchor.y;
    toolbar.querySelector(".sl-zoom").textContent = `${Math.round(next * 100)}%`;
    view.setZoom(next);
  }

  /** One step of the zoom ladder in or out. @param {number} direction */
  step(direction) {
    const zoom = this.editor.view.zoom;
    const next = direction > 0 ? ZOOMS.find((z) => z > zoom + 0.001) : [...ZOOMS].reverse().find((z) => z < zoom - 0.001);
    this.set(next ?? zoom);
  }

  // Fit the board to the window, but never below a readable size: a larger
  // board is shown from its start and scrolls.
  fit() {
    const { viewport, canvas } = this.editor;
    if (!canvas.firstElementChild) return;
    const width = canvas.offsetWidth;
    const height = canvas.offsetHeight;
    const scale = Math.min(viewport.clientWidth / width, viewport.clientHeight / height, 1);
    this.set(Math.max(READABLE, Math.floor(scale * 100) / 100));
    viewport.scrollTo(0, 0);
  }
}
