// @ts-check
// Progressive enhancement only: every page works without this file.
"use strict";

document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form instanceof HTMLFormElement ? form.dataset.confirm : undefined;
  if (question && !window.confirm(question)) event.preventDefault();
});

// Kept in a block: a page that writes itself anew (calibrate.js) runs this file again,
// where a second top-level `const` would throw.
{
  // A thumbnail is drawn on its first request; one that fails (a server still busy setting up a
  // workspace, a dropped connection) is asked for again after 0.5, 1, 2, 4 and 8 s, then marked.
  const THUMBNAIL_TRIES = 5;

  /** @param {HTMLImageElement} image */
  function retryThumbnail(image) {
    if (image.dataset.failed === image.src) return; // one failure can be reported twice
    image.dataset.failed = image.src;
    const tries = Number(image.dataset.tries ?? "0");
    const frame = image.closest(".thumb");
    if (tries >= THUMBNAIL_TRIES) {
      frame?.classList.add("unavailable");
      frame?.setAttribute("title", "The drawing could not be loaded; reload the page to try again.");
      return;
    }
    image.dataset.tries = String(tries + 1);
    window.setTimeout(() => {
      const url = new URL(image.src, window.location.href);
      url.searchParams.set("try", String(tries + 1));
      image.src = url.toString();
    }, 500 * 2 ** tries);
  }

  /** @param {EventTarget | null} target */
  function isThumbnail(target) {
    return target instanceof HTMLImageElement && target.closest(".thumb") !== null;
  }

  // Image errors do not bubble: listen in the capture phase.
  document.addEventListener("error", (event) => {
    if (isThumbnail(event.target)) retryThumbnail(/** @type {HTMLImageElement} */ (event.target));
  }, true);

  // Thumbnails that failed before this script listened.
  document.addEventListener("DOMContentLoaded", () => {
    for (const image of /** @type {NodeListOf<HTMLImageElement>} */ (document.querySelectorAll(".thumb img"))) {
      const broken = image.complete && image.naturalWidth === 0 && image.getAttribute("src");
      if (broken) retryThumbnail(image);
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  for (const input of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll("input[data-copy]"))) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button small";
    button.textContent = "Copy";
    button.addEventListener("click", async () => {
      input.select();
      try {
        await navigator.clipboard.writeText(input.value);
        button.textContent = "Copied";
      } catch {
        button.textContent = "Press Ctrl+C";
      }
    });
    input.after(button);
    input.addEventListener("focus", () => input.select());
  }
  // Close an open menu when another opens or on Escape.
  /** @type {NodeListOf<HTMLDetailsElement>} */
  const menus = document.querySelectorAll("details.menu");
  for (const menu of menus) {
    menu.addEventListener("toggle", () => {
      if (menu.open) for (const other of menus) if (other !== menu) other.open = false;
    });
  }
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const menu of menus) if (menu.open) { menu.open = false; menu.querySelector("summary")?.focus(); }
  });
});
