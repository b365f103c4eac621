// @ts-check
// The live connection to the server: hello and welcome, edits out, the
// server's order back in, presence, a heartbeat, and reconnecting by itself.
//
//   const connection = new Connection({ url, clientId, onReady, onChange, ... });
//   connection.start();
//   connection.send(doc.edit(op));      // or while offline: stays pending
//
// Edits made while the connection is down stay pending in the SharedDocument;
// after the next welcome the document is reset to the server's snapshot and
// every unsent edit is sent again. The server recognises message ids it has
// already stored, so nothing is lost and nothing applies twice.
//
// The room also says {"type": "comments"} when anyone starts, answers, resolves
// or reopens a comment thread on the blueprint: onComments() refetches them.

import { SharedDocument } from "./document.js";

// Refusals that reconnecting cannot fix: signed out, wrong origin, no access.
const FINAL = new Set([4401, 4403, 4404]);
const PING_EVERY = 15000;
const SILENCE_LIMIT = 40000;
const BACKOFF_FIRST = 500;
const BACKOFF_MAX = 30000;

export class Connection {
  /**
   * @param {{
   *   url: string, clientId: string,
   *   onReady?: (doc: SharedDocument, welcome: any) => void, onChange?: () => void, onPresence?: (people: any[]) => void,
   *   onStatus?: (text: string, kind: string) => void, onMessage?: (text: string) => void, onComments?: () => void,
   *   onCursor?: (message: any) => void, WebSocketImpl?: typeof WebSocket,
   * }} options
   */
  constructor({ url, clientId, onReady = () => {}, onChange = () => {}, onPresence = () => {}, onStatus = () => {},
    onMessage = () => {}, onComments = () => {}, onCursor = () => {}, WebSocketImpl = WebSocket }) {
    this.url = url;
    this.clientId = clientId;
    this.onReady = onReady;
    this.onChange = onChange;
    this.onPresence = onPresence;
    this.onStatus = onStatus;
    this.onMessage = onMessage;
    this.onComments = onComments;
    this.onCursor = onCursor;
    this.WebSocketImpl = WebSocketImpl;
    this.doc = null;
    this.socket = null;
    this.welcomed = false;
    this.attempts = 0;
    this.stopped = false;
    this.selection = [];
    this.timers = { retry: null, ping: null };
    this.lastHeard = 0;
  }

  start() {
    window.addEventListener("online", () => { if (!this.welcomed) this.reconnectNow(); });
    this.connect();
  }

  connect() {
    clearTimeout(this.timers.retry);
    if (this.stopped) return;
    this.status(this.doc ? "Reconnecting…" : "Connecting…", this.doc ? "offline" : "saving");
    const socket = new this.WebSocketImpl(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.lastHeard = Date.now();
      socket.send(JSON.stringify({
        type: "hello", client_id: this.clientId, seq: this.doc ? this.doc.seq : 0,
        pending: this.doc ? this.doc.pending.map((message) => message.id) : [],
      }));
      clearInterval(this.timers.ping);
      this.timers.ping = setInterval(() => this.heartbeat(socket), PING_EVERY);
    };
    socket.onmessage = (event) => {
      this.lastHeard = Date.now();
      // One message, or several in order when the server had a backlog for us.
      const data = JSON.parse(event.data);
      if (!Array.isArray(data)) return this.receive(data);
      // Redraw once for the lot.
      this.batching = true;
      try {
        for (const message of data) {
          if (socket !== this.socket) break; // a message in the batch made us reconnect
          this.receive(message);
        }
      } finally {
        this.batching = false;
        if (this.dirty) this.changed();
      }
      return undefined;
    };
    socket.onclose = (event) => this.closed(socket, event.code, event.reason);
  }

  heartbeat(socket) {
    if (socket !== this.socket) return;
    if (Date.now() - this.lastHeard > SILENCE_LIMIT) {
      // The server or the network is gone without a word: don't wait for TCP to notice.
      this.drop(socket);
      this.scheduleReconnect();
    } else if (socket.readyState === 1) {
      socket.send('{"type":"ping"}');
    }
  }

  drop(socket) {
    socket.onopen = socket.onmessage = socket.onclose = null;
    try { socket.close(); } catch { /* already closing */ }
    if (socket === this.socket) {
      this.socket = null;
      this.welcomed = false;
      clearInterval(this.timers.ping);
    }
  }

  closed(socket, code, reason) {
    if (socket !== this.socket) return;
    this.drop(socket);
    if (FINAL.has(code) || this.stopped) {
      this.stopped = true;
      this.status(reason || "Disconnected", "offline");
      this.onMessage(reason || "The live connection was refused.");
      return;
    }
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    // Exponential backoff with jitter, so a restarted server is not hit by everyone at once.
    const ceiling = Math.min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** this.attempts);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.attempts += 1;
    const pending = this.doc ? this.doc.pending.length : 0;
    const kept = pending ? ` — ${pending} change${pending === 1 ? "" : "s"} kept` : "";
    this.status(`Offline, retrying in ${Math.max(1, Math.round(delay / 1000))} s${kept}`, "offline");
    clearTimeout(this.timers.retry);
    this.timers.retry = setTimeout(() => this.connect(), delay);
  }

  reconnectNow() {
    if (this.socket) this.drop(this.socket);
    this.attempts = 0;
    this.connect();
  }

  receive(message) {
    switch (message.type) {
      case "welcome": return this.welcome(message);
      case "op": {
        if (this.doc.receive(message) === "resync") return this.reconnectNow();
        this.changed();
        return this.saved();
      }
      case "snapshot":
        this.doc.reset(message.snapshot, message.seq, []);
        this.changed();
        return this.saved();
      case "reject":
        this.doc.reject(message.id);
        this.onMessage(`Not saved: ${message.message}`);
        this.changed();
        return this.saved();
      case "presence": return this.onPresence(this.others(message.people));
      case "role": // an owner changed this person's role while they were here
        this.role = message.role;
        return this.onMessage(`Your role on this blueprint is now ${message.role}.`);
      case "comments": return this.onComments(); // someone's comment: fetch the threads again
      case "cursor": return this.onCursor(message); // someone's pointer, or what they type in
      case "error": return this.onMessage(message.message);
      default: return undefined;
    }
  }

  /** People in presence other than this connection (presence never shows client ids). */
  others(people) {
    return people.filter((person) => person.client_id !== this.you?.presence_id);
  }

  welcome(message) {
    this.attempts = 0;
    this.welcomed = true;
    this.role = message.role;
    this.you = message.you;
    if (message.you.client_id !== this.clientId) this.adopt(message.you.client_id);
    if (!this.doc) {
      this.doc = new SharedDocument({ snapshot: message.snapshot, seq: message.seq, clientId: this.clientId });
      this.onReady(this.doc, message);
    } else {
      this.doc.reset(message.snapshot, message.seq, message.applied);
      for (const pending of this.doc.unsent()) this.transmit(pending);
      this.changed();
      this.onComments(); // comments made while we were away were not announced to us
    }
    if (this.selection.length) this.select(this.selection);
    this.onPresence(this.others(message.people));
    this.saved();
  }

  /** The server issued another client id (this one belongs to someone else): edits carry it from now on. */
  adopt(clientId) {
    this.clientId = clientId;
    if (this.doc) this.doc.adopt(clientId);
  }

  changed() {
    if (this.batching) {
      this.dirty = true;
    } else {
      this.dirty = false;
      this.onChange();
    }
  }

  // A message from doc.edit(), undo() or redo(). While offline it waits in the document.
  send(message) {
    if (this.welcomed) this.transmit(message);
    this.saved();
  }

  transmit({ id, op }) {
    if (this.socket && this.socket.readyState === 1) this.socket.send(JSON.stringify({ type: "op", id, op }));
  }

  select(ids) {
    this.selection = ids.slice(0, 500);
    if (this.welcomed && this.socket.readyState === 1) {
      this.socket.send(JSON.stringify({ type: "presence", selection: this.selection }));
    }
  }

  // Where this person's pointer is on the board, and what they type in (the editor throttles it).
  cursor(pointer, typing) {
    if (this.welcomed && this.socket && this.socket.readyState === 1) {
      this.socket.send(JSON.stringify({ type: "cursor", pointer, typing }));
    }
  }

  saved() {
    if (!this.welcomed) return;
    const pending = this.doc ? this.doc.pending.length : 0;
    if (pending) this.status("Saving…", "saving");
    else this.status("All changes saved", "online");
  }

  status(text, kind) {
    this.onStatus(text, kind);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timers.retry);
    if (this.socket) this.drop(this.socket);
  }
}
