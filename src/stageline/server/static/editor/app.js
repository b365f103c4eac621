// @ts-check
// The editor page (/b/{id}/edit): a SharedDocument and the editor, connected
// to the server's live room. Everything it needs is in data attributes of
// #live-editor, so the page carries no inline script.

import { Connection } from "./connection.js";
import { mountEditor } from "./editor.js";
import { h } from "./dom.js";

const root = document.getElementById("live-editor");
const { blueprint, role, csrf } = root.dataset;
const scheme = location.protocol === "https:" ? "wss" : "ws";
const clientId = crypto.randomUUID ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

// The REST API as this page's person; errors carry the server's message.
async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    let message = `the server answered ${response.status}`;
    try {
      message = (await response.json()).error.message || message;
    } catch {
      // Not our JSON: keep the status.
    }
    throw new Error(message);
  }
  return response.json();
}

const insights = (documentJson) => api("POST", `/api/blueprints/${blueprint}/insights`, { document: documentJson });

// Comment threads through the comments API; the live connection says when they changed.
const threads = `/api/blueprints/${blueprint}/comments`;
const comments = {
  list: () => api("GET", threads),
  start: ({ anchor, body }) => api("POST", threads, { anchor, body }),
  reply: ({ thread, body }) => api("POST", `${threads}/${thread}/replies`, { body }),
  resolve: ({ thread, resolved }) => api("PATCH", `${threads}/${thread}`, { resolved }),
};

const loading = h("p", { class: "live-loading", role: "status" }, "Opening the blueprint…");
root.replaceChildren(loading);
let editor = null;

const connection = new Connection({
  url: `${scheme}://${location.host}/api/blueprints/${blueprint}/live`,
  clientId,
  onReady(doc, welcome) {
    editor = mountEditor(root, {
      doc, role: welcome.role || role, send: (message) => connection.send(message), insights, comments,
      onSelection: (ids) => connection.select(ids), onCursor: (pointer, typing) => connection.cursor(pointer, typing),
      status: "All changes saved",
    });
    // For scripts and tests driving the page.
    const exposed = /** @type {any} */ (window);
    exposed.doc = doc;
    exposed.editor = editor;
    exposed.connection = connection;
    root.dataset.ready = "true";
  },
  onChange: () => editor?.changed(),
  onPresence: (people) => editor?.setPresence(people),
  onComments: () => editor?.loadComments(),
  onCursor: (message) => editor?.showCursor(message),
  onStatus: (text, kind) => {
    if (editor) editor.setStatus(text, kind);
    else loading.textContent = kind === "offline" ? text : "Opening the blueprint…";
  },
  onMessage: (text) => {
    if (editor) editor.flash(text);
    else loading.textContent = text;
  },
});
connection.start();

window.addEventListener("beforeunload", (event) => {
  if (connection.doc && connection.doc.pending.length) {
    event.preventDefault();
    event.returnValue = "";
  }
});
