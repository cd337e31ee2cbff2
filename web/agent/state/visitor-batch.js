// @ts-check
/**
 * Coalesces visitor.updated / visitor.left per instance: a busy website sends thousands a second, and the
 * UI only needs each visitor's latest state, applied once per frame (see AppStore.flushVisitors).
 */
import { Event } from '../../shared/protocol.js';

/** @typedef {import('../../shared/protocol.js').Visitor} Visitor */

/** @type {ReadonlySet<string>} */
export const BATCHED_EVENTS = new Set([Event.VISITOR_UPDATED, Event.VISITOR_LEFT]);

export class VisitorBatch {
  /** @param {(run: () => void) => void} schedule calls `run` soon (main.js: the next frame, or 250 ms when hidden) */
  constructor(schedule) {
    this.schedule = schedule;
    /** @type {Map<string, Map<number, Visitor|null>>} instance → visitor id → latest record (null: left) */
    this.pending = new Map();
    this.queued = false;
    /** @type {() => void} */
    this.onReady = () => {};
  }

  /** @param {string} instance @param {string} type @param {any} data */
  push(instance, type, data) {
    let changes = this.pending.get(instance);
    if (!changes) { changes = new Map(); this.pending.set(instance, changes); }
    if (type === Event.VISITOR_UPDATED) changes.set(data.visitor.id, data.visitor);
    else changes.set(data.visitor_id, null);
    if (this.queued) return;
    this.queued = true;
    this.schedule(() => { this.queued = false; this.onReady(); });
  }

  /** Everything buffered so far, emptied. */
  take() {
    const out = this.pending;
    this.pending = new Map();
    return out;
  }

  /** Forget what is buffered (a snapshot replaces it), for one instance or all. @param {string} [instance] */
  drop(instance) {
    if (instance === undefined) this.pending.clear(); else this.pending.delete(instance);
  }
}
