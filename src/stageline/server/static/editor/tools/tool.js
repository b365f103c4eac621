// @ts-check
// A tool is a small state machine: a state name, and for each state the events
// it answers and the state each leads to. The editor hands a tool the pointer
// or keyboard events of the board; while a tool is past "idle" it also gets
// the window's pointer moves and releases (a drag may leave the board).
//
//   class Pan extends Tool {
//     transitions = { idle: { down: (e) => "pending" }, pending: { move: ..., up: ... }, ... };
//   }

/**
 * @typedef {import("../editor.js").Editor} Editor
 * @typedef {(event: any) => (string|void)} Transition
 */

export class Tool {
  /** @param {Editor} editor @param {string} name */
  constructor(editor, name) {
    this.editor = editor;
    this.name = name;
    this.state = "idle";
    /** @type {Record<string, Record<string, Transition>>} */
    this.transitions = {};
    /** The window events that move and release while the tool is active. */
    this.captures = ["pointermove", "pointerup"];
    this.onMove = (/** @type {MouseEvent} */ event) => this.send("move", event);
    this.onUp = (/** @type {MouseEvent} */ event) => this.send("up", event);
  }

  /**
   * Hand the tool an event: the transition of its state for `type` runs and
   * names the next state (none: stay). False when the state does not answer it.
   * @param {string} type
   * @param {any} [event]
   */
  send(type, event) {
    const transition = this.transitions[this.state]?.[type];
    if (!transition) return false;
    const next = transition(event);
    if (next && next !== this.state) {
      const was = this.state;
      this.state = next;
      if (was === "idle") this.capture(true);
      if (next === "idle") this.capture(false);
    }
    return true;
  }

  /** While active, the window's moves and releases come to this tool. @param {boolean} on */
  capture(on) {
    const [move, up] = this.captures;
    if (on) {
      window.addEventListener(move, this.onMove);
      window.addEventListener(up, this.onUp);
    } else {
      window.removeEventListener(move, this.onMove);
      window.removeEventListener(up, this.onUp);
    }
  }

  /** @param {{clientX: number, clientY: number}} a @param {{x: number, y: number}} b */
  static far(a, b, distance = 5) {
    return Math.hypot(a.clientX - b.x, a.clientY - b.y) >= distance;
  }
}

/**
 * The element an event happened on, as an Element (text nodes and the window have no `closest`).
 * @param {Event} event
 * @returns {HTMLElement}
 */
export function targetOf(event) {
  const target = /** @type {any} */ (event.target);
  return target && target.closest ? target : document.body;
}

// While something is dragged near an edge of the board, scroll that way (faster nearer the edge).
/**
 * @param {HTMLElement} viewport
 * @param {() => ({x: number, y: number}|null)} where
 */
export function autoScroll(viewport, where) {
  /** @type {number|null} */
  let frame = null;
  const EDGE = 48;
  const tick = () => {
    const at = where();
    frame = null;
    if (!at) return;
    const box = viewport.getBoundingClientRect();
    const speed = (/** @type {number} */ distance) => (distance < EDGE ? Math.ceil((EDGE - distance) / 3) : 0);
    const dx = speed(box.right - at.x) - speed(at.x - box.left);
    const dy = speed(box.bottom - at.y) - speed(at.y - box.top);
    if (dx || dy) viewport.scrollBy(dx, dy);
    frame = requestAnimationFrame(tick);
  };
  return {
    start: () => { if (frame === null) frame = requestAnimationFrame(tick); },
    stop: () => { if (frame !== null) cancelAnimationFrame(frame); frame = null; },
  };
}
