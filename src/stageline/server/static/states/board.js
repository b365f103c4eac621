// @ts-check
// The opportunity board, enhanced: select an opportunity without reloading
// (its cards light up on the drawing), filter by status as you tick, and drag
// an opportunity to another cell to re-score it. The page works without it.
"use strict";

import { centre, flash } from "./scroll.js";
const drawing = document.querySelector("[data-board-drawing] svg");
/** @type {HTMLElement | null} */
const pane = document.querySelector("[data-board-drawing] .drawing-scroll");
const chips = /** @type {HTMLElement[]} */ ([...document.querySelectorAll(".opportunity-chip")]);
/** @type {HTMLFormElement | null} */
const filter = document.querySelector("[data-board-filter]");

// The page's own selection style (for browsers without JavaScript) gives way to classes.
document.querySelector("style[data-board-selection]")?.remove();

/** @param {string} id @returns {string[]} */
function targetsOf(id) {
  const chip = chips.find((c) => c.dataset.id === id);
  return chip?.dataset.targets ? chip.dataset.targets.split(" ") : [];
}

/** @param {string[]} ids @returns {SVGGElement[]} */
function cardsOf(ids) {
  if (!drawing) return [];
  return ids.map((id) => /** @type {SVGGElement} */ (drawing.querySelector(`.sl-card[data-id="${CSS.escape(id)}"]`))).filter(Boolean);
}

/** @param {string} name @param {string[]} values */
function setParam(name, values) {
  const url = new URL(window.location.href);
  url.searchParams.delete(name);
  url.searchParams.delete("done");
  for (const value of values) url.searchParams.append(name, value);
  window.history.replaceState(null, "", url);
}

/** @param {string | null} id */
function select(id, { scroll = true } = {}) {
  for (const chip of chips) {
    if (chip.dataset.id === id) chip.setAttribute("aria-current", "true");
    else chip.removeAttribute("aria-current");
  }
  for (const detail of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(".opportunity-detail"))) {
    detail.hidden = detail.dataset.id !== (id ?? "");
  }
  for (const card of drawing?.querySelectorAll(".sl-card.is-targeted") ?? []) card.classList.remove("is-targeted");
  const cards = id ? cardsOf(targetsOf(id)) : [];
  for (const card of cards) card.classList.add("is-targeted");
  drawing?.classList.toggle("has-selection", Boolean(id));
  /** @type {HTMLInputElement | null | undefined} */
  const hidden = filter?.querySelector('input[name="opportunity"]');
  if (hidden) hidden.value = id ?? "";
  setParam("opportunity", id ? [id] : []);
  if (scroll && pane && cards.length) centre(pane, cards[0]);
}

document.addEventListener("click", (event) => {
  const clicked = /** @type {Element} */ (event.target);
  /** @type {HTMLElement | null} */
  const link = clicked.closest(".opportunity-chip, [data-select]");
  if (link) {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    const id = link.dataset.id ?? link.dataset.select;
    const current = chips.find((c) => c.getAttribute("aria-current") === "true")?.dataset.id;
    select(current === id && link.classList.contains("opportunity-chip") ? null : id);
    if (link.dataset.select) document.querySelector(".board-layout")?.scrollIntoView({ behavior: "smooth" });
    return;
  }
  /** @type {HTMLButtonElement | null} */
  const target = clicked.closest("button[data-card]");
  if (target && pane) {
    const [card] = cardsOf([target.dataset.card]);
    if (card) {
      document.querySelector("[data-board-drawing]")?.scrollIntoView({ block: "nearest", behavior: "smooth" });
      centre(pane, card);
      flash(card);
    }
  }
});

// -- the status filter ------------------------------------------------------------
function applyFilter() {
  const boxes = [.../** @type {NodeListOf<HTMLInputElement>} */ (filter.querySelectorAll('input[name="status"]'))];
  const ticked = boxes.filter((box) => box.checked).map((box) => box.value);
  const shown = ticked.length ? ticked : boxes.map((box) => box.value);
  for (const element of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(".opportunity-chip, .opportunity-table tbody tr"))) {
    element.hidden = !shown.includes(element.dataset.status);
  }
  setParam("status", ticked.length === boxes.length ? [] : ticked);
  for (const form of document.querySelectorAll("[data-opportunity-form]")) {
    for (const old of form.querySelectorAll('input[name="shown"]')) old.remove();
    for (const status of shown) {
      const input = document.createElement("input");
      Object.assign(input, { type: "hidden", name: "shown", value: status });
      form.append(input);
    }
  }
  const visible = chips.filter((chip) => !chip.hidden).length;
  const summary = filter.querySelector("[data-filter-summary]");
  if (summary) summary.textContent = `${visible} of ${chips.length} opportunities shown`;
}

if (filter) {
  filter.querySelector("[data-filter-submit]")?.setAttribute("hidden", "");
  filter.addEventListener("change", applyFilter);
}

// -- drag to re-score (editors) -------------------------------------------------------
/** @type {string | null} */
let dragged = null;
for (const chip of chips.filter((c) => c.draggable)) {
  chip.addEventListener("dragstart", (/** @type {DragEvent} */ event) => {
    dragged = chip.dataset.id;
    chip.classList.add("is-dragging");
    event.dataTransfer.setData("text/plain", dragged);
    event.dataTransfer.effectAllowed = "move";
  });
  chip.addEventListener("dragend", () => {
    chip.classList.remove("is-dragging");
    dragged = null;
  });
}
for (const cell of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(".matrix .cell"))) {
  cell.addEventListener("dragover", (event) => {
    if (!dragged) return;
    event.preventDefault();
    cell.classList.add("is-drop-target");
  });
  cell.addEventListener("dragleave", () => cell.classList.remove("is-drop-target"));
  cell.addEventListener("drop", (/** @type {DragEvent} */ event) => {
    event.preventDefault();
    cell.classList.remove("is-drop-target");
    const id = event.dataTransfer.getData("text/plain") || dragged;
    /** @type {HTMLFormElement | null} */
    const form = document.querySelector(`[data-opportunity-form="${CSS.escape(id)}"]`);
    if (!form) return;
    /** @type {HTMLInputElement} */ (form.elements.namedItem("value")).value = cell.dataset.value;
    /** @type {HTMLInputElement} */ (form.elements.namedItem("effort")).value = cell.dataset.effort;
    form.requestSubmit();
  });
}

const initial = chips.find((c) => c.getAttribute("aria-current") === "true")?.dataset.id;
if (initial) select(initial, { scroll: true });

// While the server simulates this version's opportunities, ask again now and
// then; once they are costed (or could not be), show the page with them.
/** @type {HTMLElement | null} */
const cases = document.querySelector("[data-cases]");
if (cases && cases.dataset.cases === "computing") {
  let delay = 1000;
  const poll = async () => {
    try {
      const response = await fetch(cases.dataset.casesUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const found = await response.json();
        if (found.status !== "computing") {
          window.location.reload();
          return;
        }
      }
    } catch {
      // the server is busy or away for a moment: keep asking, less often
    }
    delay = Math.min(delay * 1.5, 10000);
    window.setTimeout(poll, delay);
  };
  window.setTimeout(poll, delay);
}
