// @ts-check
/**
 * Garbage collection when the app goes quiet, in the desktop app. QtWebEngine does not run the idle-time
 * garbage collection Chrome runs, so the nodes and listeners every screen update leaves behind stayed
 * until the app quit (bench/desktop_soak.py: 1,254 MB after 1,800 messages, 381 MB once collected). The
 * shell starts the engine with --js-flags=--expose-gc (app/kayako_desktop/desktop/launch.py); in a browser tab there is
 * no `gc` and this does nothing, as the browser collects by itself.
 */

export class QuietCollector {
  /**
   * @param {{gc?: (() => void)|null, quietMs?: number, busyMs?: number, now?: () => number}} [opts]
   * `quietMs`: collect this long after the last change; `busyMs`: while changes never stop, at most this long apart.
   */
  constructor(opts = {}) {
    const exposed = /** @type {{gc?: unknown}} */ (globalThis).gc;
    /** @type {(() => void)|null} */
    this.gc = opts.gc === undefined ? (typeof exposed === 'function' ? /** @type {() => void} */ (exposed) : null) : opts.gc;
    this.quietMs = opts.quietMs ?? 4000;
    this.busyMs = opts.busyMs ?? 30000;
    this.now = opts.now ?? (() => Date.now());
    /** @type {number|null} when the first change since the last collection happened */
    this.dirtySince = null;
    /** @type {ReturnType<typeof setTimeout>|undefined} */
    this.timer = undefined;
    this.collections = 0;
  }

  get enabled() {
    return this.gc !== null;
  }

  /** The screen changed (an event was applied): collect once things go quiet. */
  touch() {
    if (!this.gc) return;
    const now = this.now();
    this.dirtySince ??= now;
    if (now - this.dirtySince >= this.busyMs) { this.collect(); return; }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.collect(), this.quietMs);
  }

  collect() {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.gc || this.dirtySince === null) return;
    this.dirtySince = null;
    this.gc();
    this.collections += 1;
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
