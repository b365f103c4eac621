// @ts-check
// Scrolling a drawing's pane (not the page) so that one of its elements is in the middle.
"use strict";

/**
 * @param {Element} pane the scrolling pane
 * @param {Element} element an element inside it
 */
export function centre(pane, element) {
  const box = pane.getBoundingClientRect();
  const rect = element.getBoundingClientRect();
  pane.scrollBy({
    left: rect.left - box.left - (pane.clientWidth - rect.width) / 2,
    top: rect.top - box.top - (pane.clientHeight - rect.height) / 2,
    behavior: "smooth",
  });
}

export const FLASH_MS = 2400;

// Mark an element of a drawing for a moment.
/** @param {Element} element */
export function flash(element) {
  element.classList.add("is-pointed");
  setTimeout(() => element.classList.remove("is-pointed"), FLASH_MS);
}
