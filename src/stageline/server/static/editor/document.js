// @ts-check
// A blueprint shared with the server and other editors.
//
// The server puts every operation in one order (its sequence numbers). This
// client keeps the `confirmed` document at the last sequence it has seen and
// the `pending` operations it has sent but not yet seen come back. What the
// person sees, `view`, is `confirmed` with `pending` replayed on top: their
// own edits show at once, and when someone else's edit arrives first it is
// slotted underneath and ours are replayed after it, which is exactly the
// order the server will use. Because ours come later, they win on the same
// property (last writer wins per property).
//
// A pending operation that no longer fits (its card was deleted meanwhile) is
// skipped in the view but kept until the server answers, since only the
// server knows whether it applied.

import { applyOp, OpError } from "./ops.js";

const copy = (value) => structuredClone(value);

export class SharedDocument {
  constructor({ snapshot, seq, clientId }) {
    this.clientId = clientId;
    this.counter = 0;
    this.confirmed = copy(snapshot);
    this.seq = seq;
    this.pending = []; // [{id, op}] in the order they were sent
    this.view = copy(snapshot);
    this.undoStack = [];
    this.redoStack = [];
    this.skipped = new Set(); // ids of pending operations that did not fit the view
  }

  // Take the client id the server issued: pending edits are renamed with it
  // (under the old id the server would refuse them as someone else's).
  adopt(clientId) {
    this.clientId = clientId;
    for (const message of this.pending) message.id = `${clientId}:${++this.counter}`;
  }

  // Make a local edit: it applies to the view at once and waits to be sent.
  // Throws OpError (nothing changes) when it does not fit.
  edit(op) {
    const { message, inverse } = this.#apply(op);
    this.undoStack.push(inverse);
    this.redoStack = [];
    return message;
  }

  // Undo the person's own last change (never someone else's). Returns the
  // message to send, or null when there is nothing left that still fits.
  undo() {
    return this.#replay(this.undoStack, this.redoStack);
  }

  redo() {
    return this.#replay(this.redoStack, this.undoStack);
  }

  #apply(op) {
    const message = { id: `${this.clientId}:${++this.counter}`, op: copy(op) };
    const inverse = applyOp(this.view, copy(op));
    this.pending.push(message);
    return { message, inverse };
  }

  #replay(from, to) {
    while (from.length) {
      try {
        const { message, inverse } = this.#apply(from.pop());
        to.push(inverse);
        return message;
      } catch (error) {
        if (!(error instanceof OpError)) throw error;
        // Someone else's change made this step impossible; try the one before.
      }
    }
    return null;
  }

  // An operation the server has ordered. Returns "resync" when this client has
  // missed something and must reload a snapshot.
  receive({ seq, op, client_op_id: ownId }) {
    if (seq <= this.seq) return "duplicate";
    if (seq !== this.seq + 1) return "resync";
    try {
      applyOp(this.confirmed, copy(op));
    } catch (error) {
      if (error instanceof OpError) return "resync";
      throw error;
    }
    this.seq = seq;
    if (!this.pending.length) {
      // Nothing of ours on top: the view takes the same step (no copy of a
      // large document for every edit someone else makes).
      try {
        applyOp(this.view, copy(op));
        return "applied";
      } catch (error) {
        if (!(error instanceof OpError)) throw error;
      }
    }
    if (ownId) this.pending = this.pending.filter((message) => message.id !== ownId);
    this.#refresh();
    return "applied";
  }

  // The server refused one of our operations: drop it and show the rest.
  reject(id) {
    this.pending = this.pending.filter((message) => message.id !== id);
    this.#refresh();
  }

  // A fresh snapshot after reconnecting or a gap, with the ids of our
  // operations the server had already applied. The rest stay pending and are
  // sent again.
  reset(snapshot, seq, applied = []) {
    const done = new Set(applied);
    this.pending = this.pending.filter((message) => !done.has(message.id));
    this.confirmed = copy(snapshot);
    this.seq = seq;
    this.#refresh();
  }

  unsent() {
    return this.pending.map(copy);
  }

  #refresh() {
    const view = copy(this.confirmed);
    this.skipped = new Set();
    for (const message of this.pending) {
      try {
        applyOp(view, copy(message.op));
      } catch (error) {
        if (!(error instanceof OpError)) throw error;
        this.skipped.add(message.id);
      }
    }
    this.view = view;
  }
}
