// @ts-check
// The Calibrate page, enhanced: an upload shows its progress, and the answer
// replaces the page as a normal form post would. Without this module the form
// posts as usual (importing.js refuses a file over the size limit first).

const form = /** @type {HTMLFormElement | null} */ (document.getElementById("calibrate-upload"));
if (form) upload(form);

/** @param {HTMLFormElement} form */
function upload(form) {
  const bar = /** @type {HTMLProgressElement | null} */ (form.querySelector("[data-progress]"));
  form.addEventListener("submit", (event) => {
    if (!bar || !form.checkValidity()) return;
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.responseType = "text";
    bar.hidden = false;
    request.upload.addEventListener("progress", (progress) => {
      if (progress.lengthComputable) bar.value = Math.round((100 * progress.loaded) / progress.total);
    });
    request.addEventListener("load", () => {
      // The server's page, rendered and escaped like any other: show it as the form post would.
      document.open();
      document.write(request.responseText);
      document.close();
      history.replaceState(null, "", form.action);
    });
    request.addEventListener("error", () => {
      bar.hidden = true;
      form.submit();
    });
    request.send(new FormData(form));
  });
}

export {}; // an ES module: its top-level names are its own
