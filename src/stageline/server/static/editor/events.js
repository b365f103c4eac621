// @ts-check
// A small event emitter: the store says "changed", the view state says
// "selection", "zoom" and "scroll". `on` returns a function that unsubscribes.

export class Emitter {
  constructor() {
    /** @type {Map<string, Set<(...args: any[]) => void>>} */
    this.handlers = new Map();
  }

  /**
   * @param {string} name
   * @param {(...args: any[]) => void} handler
   * @returns {() => void}
   */
  on(name, handler) {
    if (!this.handlers.has(name)) this.handlers.set(name, new Set());
    this.handlers.get(name).add(handler);
    return () => this.handlers.get(name)?.delete(handler);
  }

  /**
   * @param {string} name
   * @param {...any} args
   */
  emit(name, ...args) {
    for (const handler of this.handlers.get(name) || []) handler(...args);
  }
}
