// @ts-check
// The Simulate page, made quicker to use. Everything works without this file:
// both arrival modes show, blank schedule rows come with the page, and the form posts.

const form = /** @type {HTMLFormElement | null} */ (document.getElementById("simulate-form"));

/** Show the fields of the chosen arrival mode only. */
function showMode() {
  const chosen = /** @type {HTMLInputElement | null} */ (form.querySelector('input[name="arrivals"]:checked'))?.value ?? "rate";
  for (const block of /** @type {NodeListOf<HTMLElement>} */ (form.querySelectorAll(".sim-mode"))) {
    block.hidden = block.dataset.mode !== chosen;
  }
}

/** Another blank row at the end of a table, with fresh ids and labels. @param {HTMLTableElement} table */
function addRow(table) {
  const body = table.tBodies[0];
  const last = body.rows[body.rows.length - 1];
  const row = /** @type {HTMLTableRowElement} */ (last.cloneNode(true));
  const index = body.rows.length;
  for (const input of row.querySelectorAll("input")) {
    input.value = "";
    input.removeAttribute("aria-invalid");
    input.id = input.id.replace(/-\d+$/, `-${index}`);
    const label = input.getAttribute("aria-label");
    if (label) input.setAttribute("aria-label", label.replace(/row \d+$/, `row ${index + 1}`));
  }
  body.append(row);
  row.querySelector("input")?.focus();
}

/** The heat map: the hottest card in view, and a switch between actual size and the whole width. */
/** @param {Element} figure */
function heatMap(figure) {
  const scroller = figure.querySelector(".drawing-scroll");
  const svg = scroller?.querySelector("svg");
  if (!svg) return;
  const cards = [.../** @type {NodeListOf<SVGGElement>} */ (svg.querySelectorAll("g.has-heat"))];
  const hottest = cards.sort((a, b) => Number(b.dataset.heat) - Number(a.dataset.heat))[0];
  const centre = () => {
    if (!hottest || scroller.classList.contains("fit")) return;
    const card = hottest.getBoundingClientRect();
    const view = scroller.getBoundingClientRect();
    scroller.scrollLeft += card.left - view.left - (view.width - card.width) / 2;
    scroller.scrollTop += card.top - view.top - (view.height - card.height) / 2;
  };
  /** @type {HTMLButtonElement | null} */
  const button = figure.querySelector("[data-fit]");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", () => {
      const fit = scroller.classList.toggle("fit");
      button.setAttribute("aria-pressed", String(fit));
      button.textContent = fit ? "Actual size" : "Fit to width";
      centre();
    });
  }
  centre();
}

for (const figure of document.querySelectorAll(".sim-drawing")) heatMap(figure);

if (form) {
  for (const radio of form.querySelectorAll('input[name="arrivals"]')) radio.addEventListener("change", showMode);
  showMode();

  for (const button of /** @type {NodeListOf<HTMLButtonElement>} */ (form.querySelectorAll("[data-add-row]"))) {
    const table = /** @type {HTMLTableElement | null} */ (document.getElementById(button.dataset.addRow));
    if (!table) continue;
    button.hidden = false;
    button.addEventListener("click", () => addRow(table));
  }

  form.addEventListener("submit", (event) => {
    const button = /** @type {HTMLButtonElement | null} */ (event.submitter);
    const status = form.querySelector(".sim-status");
    if (button?.dataset.busy) {
      // Disabled after the browser has taken the submitter's form action.
      setTimeout(() => {
        button.disabled = true;
        button.textContent = button.dataset.busy;
      });
    }
    if (status) {
      status.textContent = button?.formAction?.endsWith("/save")
        ? "Saving the inputs…"
        : "Running the simulation… larger runs take a few seconds.";
    }
  });

  // Coming back to the page (the back button), the buttons work again.
  /** @type {[HTMLButtonElement, string][]} */
  const busy = [.../** @type {NodeListOf<HTMLButtonElement>} */ (form.querySelectorAll("[data-busy]"))].map((button) => [button, button.textContent]);
  window.addEventListener("pageshow", () => {
    for (const [button, label] of busy) {
      button.disabled = false;
      button.textContent = label;
    }
    const status = form.querySelector(".sim-status");
    if (status) status.textContent = "";
  });

  // After a refused run, take keyboard and screen reader users to the problems.
  document.getElementById("sim-problems")?.focus();
}

export {}; // an ES module: its top-level names are its own
