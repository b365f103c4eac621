// @ts-check
// Presentation mode: one stage at a time. Arrow keys, Page Up/Down, Space and
// Home/End move between stages, F toggles full screen; the stage shown is kept
// in the address (#stage-N) so a link, or a reload, opens on it.

/** @type {HTMLElement[]} */
const slides = Array.from(document.querySelectorAll(".slide"));
const position = /** @type {HTMLElement | null} */ (document.querySelector("[data-position]"));
let current = 0;

/** @param {string} hash */
function fromHash(hash) {
  const match = /^#stage-(\d+)$/.exec(hash);
  const number = match ? Number(match[1]) : 1;
  return Math.min(Math.max(number, 1), slides.length) - 1;
}

/** @param {number} index */
function show(index) {
  if (!slides.length) return;
  current = Math.min(Math.max(index, 0), slides.length - 1);
  slides.forEach((slide, i) => {
    slide.classList.toggle("current", i === current);
    slide.setAttribute("aria-hidden", String(i !== current));
  });
  const slide = slides[current];
  if (position) {
    position.textContent = `Stage ${current + 1} of ${slides.length}`;
  }
  document.body.dataset.current = String(current + 1);
  if (location.hash !== `#stage-${current + 1}`) {
    history.replaceState(null, "", `#stage-${current + 1}`);
  }
  window.scrollTo({ top: 0 }); // the stage's anchor would scroll the controls away
  document.title = `${slide.querySelector("h2")?.textContent ?? ""} · ${document.title.split(" · ").pop()}`;
}

function toggleFullscreen() {
  if (document.fullscreenElement) {
    void document.exitFullscreen();
  } else {
    void document.documentElement.requestFullscreen().catch(() => {
      /* the browser refused (no user gesture, or not allowed): keep presenting in the window */
    });
  }
}

document.body.classList.add("js-present");
show(fromHash(location.hash));

document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  const target = /** @type {HTMLElement} */ (event.target);
  if (target.closest("input, textarea, select")) return;
  const moves = /** @type {Record<string, number>} */ ({
    ArrowRight: 1,
    ArrowDown: 1,
    PageDown: 1,
    " ": 1,
    ArrowLeft: -1,
    ArrowUp: -1,
    PageUp: -1,
  });
  if (event.key in moves) {
    event.preventDefault();
    show(current + moves[event.key]);
  } else if (event.key === "Home") {
    event.preventDefault();
    show(0);
  } else if (event.key === "End") {
    event.preventDefault();
    show(slides.length - 1);
  } else if (event.key === "f" || event.key === "F") {
    event.preventDefault();
    toggleFullscreen();
  }
});
window.addEventListener("hashchange", () => show(fromHash(location.hash)));
document.querySelector("[data-next]")?.addEventListener("click", () => show(current + 1));
document.querySelector("[data-previous]")?.addEventListener("click", () => show(current - 1));
document.querySelector("[data-fullscreen]")?.addEventListener("click", toggleFullscreen);
