// @ts-check
/**
 * What an element runs while in the page (store subscriptions, intervals, document or window listeners,
 * resize observers), started and stopped as one: gone after disconnectedCallback, back when put back.
 */

/** @typedef {() => void} Stop */

export class Running {
  /** @param {() => Stop[]} start starts everything and returns how to stop each part */
  constructor(start) {
    this.begin = start;
    /** @type {Stop[]|null} */
    this.stops = null;
    this.start();
  }

  start() {
    if (!this.stops) this.stops = this.begin();
  }

  stop() {
    for (const stop of this.stops ?? []) stop();
    this.stops = null;
  }
}

/** @param {number} ms @param {() => void} fn @returns {Stop} */
export function every(ms, fn) {
  const id = setInterval(fn, ms);
  return () => clearInterval(id);
}

/**
 * @param {EventTarget} target @param {string} type @param {(e: any) => void} fn
 * @param {AddEventListenerOptions} [options] @returns {Stop}
 */
export function listen(target, type, fn, options) {
  target.addEventListener(type, fn, options);
  return () => target.removeEventListener(type, fn, options);
}

/** @param {Element} target @param {() => void} fn @returns {Stop} */
export function observeSize(target, fn) {
  const observer = new ResizeObserver(fn);
  observer.observe(target);
  return () => observer.disconnect();
}
