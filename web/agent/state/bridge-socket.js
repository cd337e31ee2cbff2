// @ts-check
/**
 * The UI's one websocket to the bridge: events from every instance, commands out with acks by ref, and
 * reconnects with backoff + jitter that resume from the last seq (or ask for a resync).
 */
import { BridgeEvent, Event } from '../../shared/protocol.js';

const ACK_TIMEOUT_MS = 15000;

export class BridgeSocket {
  /**
   * @param {{onEvent: (frame: {seq?: number, instance?: string, type: string, data: any}) => void,
   *   onStatus: (status: 'connecting'|'online'|'offline') => void, onResync: () => void}} handlers
   */
  constructor(handlers) {
    this.handlers = handlers;
    /** @type {number|null} */
    this.lastSeq = null;
    /** @type {WebSocket|null} */
    this.ws = null;
    this.status = 'offline';
    this.attempt = 0;
    this.nextId = 1;
    /** @type {Map<string, {resolve: Function, reject: Function, timer: any}>} */
    this.pending = new Map();
    /** @type {any} */
    this.retryTimer = null;
    this.stopped = false;
    window.addEventListener('online', () => { if (this.status === 'offline') this.connect(); });
  }

  /** @param {number|null} seq */
  start(seq) {
    this.lastSeq = seq;
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.ws?.close();
  }

  /** @param {'connecting'|'online'|'offline'} status */
  setStatus(status) {
    this.status = status;
    this.handlers.onStatus(status);
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.setStatus('connecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const last = this.lastSeq === null ? '' : `?last=${this.lastSeq}`;
    const ws = new WebSocket(`${scheme}://${location.host}/api/events${last}`);
    this.ws = ws;
    ws.onmessage = (msg) => this.receive(String(msg.data));
    ws.onclose = () => {
      if (this.ws !== ws) return;
      for (const [, p] of this.pending) { clearTimeout(p.timer); p.reject(new Error('Connection to the bridge lost')); }
      this.pending.clear();
      this.setStatus('offline');
      if (!this.stopped) this.scheduleRetry();
    };
  }

  scheduleRetry() {
    const base = Math.min(15000, 400 * 2 ** this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.connect(), base * (0.5 + Math.random()));
  }

  /** @param {string} raw */
  receive(raw) {
    let frame;
    try {
      frame = JSON.parse(raw);
    } catch {
      return;
    }
    if (!frame || typeof frame.type !== 'string') return;
    if ((frame.type === Event.ACK || frame.type === Event.ERROR) && frame.ref) {
      const p = this.pending.get(frame.ref);
      if (!p) return;
      this.pending.delete(frame.ref);
      clearTimeout(p.timer);
      if (frame.type === Event.ERROR) p.reject(Object.assign(new Error(frame.data?.message ?? 'Failed'), { code: frame.data?.code }));
      else p.resolve(frame.data);
      return;
    }
    if (frame.type === BridgeEvent.READY) {
      this.attempt = 0;
      if (typeof frame.seq === 'number' && this.lastSeq === null) this.lastSeq = frame.seq;
      this.setStatus('online');
      return;
    }
    if (frame.type === BridgeEvent.RESYNC) {
      // The bridge (our resume point is gone) or one upstream (its server lost our place) says the
      // events are incomplete: continue from here and refetch the snapshot.
      if (typeof frame.seq === 'number') this.lastSeq = Math.max(this.lastSeq ?? 0, frame.seq);
      this.handlers.onResync();
      return;
    }
    if (typeof frame.seq === 'number') {
      if (this.lastSeq !== null && frame.seq <= this.lastSeq) return; // already applied
      this.lastSeq = frame.seq;
    }
    this.handlers.onEvent(frame);
  }

  /**
   * Send a command for one instance; resolves with the ack's data.
   * @param {string} instance @param {string} type @param {Record<string, any>} data
   * @returns {Promise<any>}
   */
  send(instance, type, data) {
    const ws = this.ws;
    if (this.status !== 'online' || !ws) return Promise.reject(new Error('Not connected to the bridge'));
    const id = `ui${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('No answer from the server'));
      }, ACK_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ id, instance, type, data }));
    });
  }
}
