// @ts-check
// The import page, enhanced: a file over the size limit is refused before it is
// sent, and changing what a column holds redraws the preview in place. Without
// this module the page works the same through its "Update preview" button.

/** @param {File} file @param {number} limit */
const sizeMessage = (file, limit) =>
  `The file ${file.name} is ${(file.size / 1048576).toFixed(1)} MB; imports are limited to ${Math.floor(limit / 1048576)} MB: ` +
  "split the file, or remove sheets and pictures it does not need";

for (const input of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll("input[type=file][data-max-bytes]"))) {
  const limit = Number(input.dataset.maxBytes);
  /** @type {HTMLElement | null | undefined} */
  const shown = input.form?.querySelector("[data-size-error]");
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    const message = file && file.size > limit ? sizeMessage(file, limit) : "";
    input.setCustomValidity(message);
    if (shown) {
      shown.textContent = message;
      shown.hidden = !message;
    }
  });
}

/** @type {HTMLFormElement | null} */
const form = document.querySelector("form[data-live-preview]");
if (form) live(form);

/** @param {HTMLFormElement} form */
function live(form) {
  const url = form.dataset.livePreview;
  const target = document.getElementById("import-preview");
  /** @type {HTMLButtonElement | null} */
  const create = form.querySelector("[data-create]");
  /** @type {HTMLElement | null} */
  const createHelp = form.querySelector("[data-create-help]");
  const columns = () => [.../** @type {NodeListOf<HTMLSelectElement>} */ (form.querySelectorAll("select[name^='column-']"))];
  let controller = null;
  let sent = 0;
  form.classList.add("live");

  const settle = (ready) => {
    if (create) create.disabled = !ready;
    if (createHelp) createHelp.hidden = ready;
  };

  async function refresh() {
    controller?.abort();
    controller = new AbortController();
    const mine = ++sent;
    const body = new FormData(form);
    body.delete("action");
    target.setAttribute("aria-busy", "true");
    settle(false);
    try {
      const response = await fetch(url, {
        method: "POST",
        body,
        signal: controller.signal,
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (response.headers.get("X-Stageline-Fragment") !== "import-preview") {
        throw new Error(response.status === 403 ? "this page has expired: reload it" : `the server answered ${response.status}`);
      }
      const html = await response.text();
      if (mine !== sent) return;
      // Server-rendered and escaped by the template, like the rest of the page.
      target.innerHTML = html;
      settle(/** @type {HTMLElement | null} */ (target.querySelector("[data-ready]"))?.dataset.ready === "true");
    } catch (error) {
      if (error.name === "AbortError" || mine !== sent) return;
      form.classList.remove("live");
      target.innerHTML = "";
      const alert = document.createElement("div");
      alert.className = "alert";
      alert.setAttribute("role", "alert");
      alert.textContent = `The preview could not be updated (${error.message}). Use "Update preview" instead.`;
      target.append(alert);
    } finally {
      if (mine === sent) target.removeAttribute("aria-busy");
    }
  }

  form.addEventListener("change", (event) => {
    const select = event.target;
    if (!(select instanceof HTMLSelectElement)) return;
    if (select.hasAttribute("data-resubmit")) {
      // Another sheet has other columns: load the page for it.
      form.requestSubmit(form.querySelector("button[value=preview]") ?? undefined);
      return;
    }
    if (!select.name.startsWith("column-")) return;
    // One column per field, as on the command line: the field moves to this column.
    if (select.value) {
      for (const other of columns()) {
        if (other !== select && other.value === select.value) {
          other.value = "";
          other.classList.add("moved");
          other.addEventListener("animationend", () => other.classList.remove("moved"), { once: true });
        }
      }
    }
    refresh();
  });
}

export {}; // an ES module: its top-level names are its own
