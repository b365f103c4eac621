// @ts-check
// The compare page, enhanced: both drawings scroll together, and a change in
// the list points at its element on the drawing. The page works without it.
"use strict";

import { centre, flash } from "./scroll.js";

/** @param {Element[]} panes */
function syncScrolling(panes) {
  const quietUntil = new Map();
  for (const pane of panes) {
    pane.addEventListener(
      "scroll",
      () => {
        if (performance.now() < (quietUntil.get(pane) ?? 0)) return;
        const fx = pane.scrollLeft / Math.max(1, pane.scrollWidth - pane.clientWidth);
        const fy = pane.scrollTop / Math.max(1, pane.scrollHeight - pane.clientHeight);
        for (const other of panes) {
          if (other === pane) continue;
          quietUntil.set(other, performance.now() + 80);
          other.scrollLeft = fx * (other.scrollWidth - other.clientWidth);
          other.scrollTop = fy * (other.scrollHeight - other.clientHeight);
        }
      },
      { passive: true },
    );
  }
}

/** @param {HTMLElement} item */
function pointAt(item) {
  const id = item.dataset.id;
  const figure =
    document.querySelector(`.compare-drawing[data-side="${item.dataset.side}"]`) ??
    document.querySelector('.compare-drawing[data-side="merged"]');
  const element = figure?.querySelector(`svg [data-id="${CSS.escape(id)}"]`);
  if (!element) return;
  const pane = figure.querySelector(".drawing-scroll");
  figure.scrollIntoView({ block: "nearest", behavior: "smooth" });
  if (pane) centre(pane, element);
  flash(element);
}

const panes = [...document.querySelectorAll(".compare-sides .drawing-scroll")];
if (panes.length > 1) syncScrolling(panes);

for (const item of /** @type {NodeListOf<HTMLLIElement>} */ (document.querySelectorAll(".changes > li[data-id]"))) {
  item.tabIndex = 0;
  item.title = "Show on the drawing";
  item.addEventListener("click", () => pointAt(item));
  item.addEventListener("keydown", (/** @type {KeyboardEvent} */ event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      pointAt(item);
    }
  });
}

// Fit the drawings to the width of their panes (an overview of where the
// changes are), or back to full size to read them.
/** @type {HTMLButtonElement | null} */
const fit = document.querySelector("button[data-fit]");
const drawings = document.querySelector(".compare-drawings");
if (fit && drawings) {
  fit.hidden = false;
  fit.addEventListener("click", () => {
    const on = drawings.classList.toggle("is-fit");
    fit.setAttribute("aria-pressed", String(on));
    fit.textContent = on ? "Full size" : "Fit to width";
  });
}
