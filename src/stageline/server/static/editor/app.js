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

async function insights(documentJson) {
  const response = await fetch(`/api/blueprints/${blueprint}/insights`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify({ document: documentJson }),
  });
  if (!response.ok) throw new Error(`insights: ${response.status}`);
  return response.json();
}

const loading = h("p", { class: "live-loading", role: "status" }, "Opening the blueprint…");
root.replaceChildren(loading);
let editor = null;

const connection = new Connection({
  url: `${scheme}://${location.host}/api/blueprints/${blueprint}/live`,
  clientId,
  onReady(doc, welcome) {
    editor = mountEditor(root, {
      doc, role: welcome.role || role, send: (message) => connection.send(message), insights,
      onSelection: (ids) => connection.select(ids), status: "All changes saved",
    });
    window.doc = doc;
    window.editor = editor;
    window.connection = connection;
    root.dataset.ready = "true";
  },
  onChange: () => editor?.changed(),
  onPresence: (people) => editor?.setPresence(people),
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
