// @ts-check
/**
 * The reconnecting websocket both UIs build on: backoff with jitter, optional heartbeats that notice silence,
 * answers matched by `ref`, events resumed from the last `seq` and never applied twice. Protocol adapters
 * (messenger/state/realtime-socket.js, agent/state/bridge-socket.js) say where to connect and how to greet.
 */
import { Event } from './protocol.js';

/** @typedef {'connecting'|'online'|'offline'} SocketStatus */
/** @typedef {{type: string, seq?: number, ref?: string|null, instance?: string, data?: any}} Frame */

/**
 * @typedef {Object} SocketOptions
 * @property {number} retryBaseMs the first reconnect delay, doubled after each failed try (± 50 % jitter)
 * @property {number} retryMaxMs the longest delay between tries
 * @property {number} ackTimeoutMs a request with no answer by then fails with TIMEOUT
 * @property {number} [pingMs] heartbeat period (the adapter's `ping`); none: the server closes dead sockets
 * @property {number} [silenceMs] nothing heard for this long: the connection is dead, reconnect
 * @property {number|null} [lastSeq] where to resume
 * @property {((status: SocketStatus, detail?: any) => void)|undefined} [onStatus]
 * @property {((seq: number) => void)|undefined} [onSeq] the resume point moved (to keep it across reloads)
 */
/** @typedef {{idPrefix: string, lost: string, offline: string, timeout: string}} SocketWords request ids and error texts */

export class SocketError extends Error {
  /** @param {string} code DISCONNECTED, TIMEOUT or the server's error code @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

export class ResumableSocket {
  /** @param {SocketOptions} options @param {SocketWords} words */
  constructor(options, words) {
    this.options = options;
    this.words = words;
    /** @type {number|null} */
    this.lastSeq = options.lastSeq ?? null;
    /** @type {WebSocket|null} */
    this.ws = null;
    /** @type {SocketStatus} */
    this.status = 'offline';
    this.attempt = 0;
    this.nextId = 1;
    /** @type {Map<string, {resolve: (data: any) => void, reject: (err: SocketError) => void, timer: ReturnType<typeof setTimeout>}>} */
    this.pending = new Map();
    this.stopped = true;
    this.lastHeard = 0;
    /** @type {ReturnType<typeof setTimeout>|undefined} */ this.retryTimer = undefined;
    /** @type {ReturnType<typeof setInterval>|undefined} */ this.pingTimer = undefined;
    this.reconnectNow = () => { if (this.status === 'offline' && !this.stopped) this.connect(); };
    this.onVisible = () => { if (!document.hidden) this.reconnectNow(); };
  }

  // What an adapter provides: url(), and opened(), control(), deliver(), ping() where it needs them.

  /** @returns {string} the websocket URL (asked on every connect: it may carry the resume point) */
  url() { throw new Error('ResumableSocket needs an adapter'); }

  /** The socket is open: greet, then call `online()` (or wait for a frame that says so). @param {WebSocket} _ws */
  opened(_ws) {}

  /** A protocol frame that is not an answer or an event (true: handled here). @param {Frame} _frame @returns {boolean} */
  control(_frame) { return false; }

  /** A new event, in seq order, never twice. @param {Frame} _frame */
  deliver(_frame) {}

  /** Send a heartbeat (called every `pingMs` while online). */
  ping() {}

  /** The server closed with this code: true means for good (do not reconnect). @param {number} _code @returns {boolean} */
  closedForGood(_code) { return false; }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.reconnectNow);
    document.addEventListener('visibilitychange', this.onVisible);
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.reconnectNow);
    document.removeEventListener('visibilitychange', this.onVisible);
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.ws?.close();
  }

  /** @param {SocketStatus} status @param {any} [detail] */
  setStatus(status, detail) {
    this.status = status;
    this.options.onStatus?.(status, detail);
  }

  /** The greeting succeeded: requests may go, and the next lost connection retries quickly again. @param {any} [detail] */
  online(detail) {
    this.attempt = 0;
    this.setStatus('online', detail);
  }

  /** Subprotocols to offer (the agent's bridge socket authenticates with one). @returns {string[]} */
  protocols() { return []; }

  connect() {
    clearTimeout(this.retryTimer);
    this.setStatus('connecting');
    const ws = new WebSocket(this.url(), this.protocols());
    this.ws = ws;
    ws.onopen = () => {
      this.lastHeard = Date.now();
      clearInterval(this.pingTimer);
      if (this.options.pingMs) this.pingTimer = setInterval(() => this.heartbeat(ws), this.options.pingMs);
      this.opened(ws);
    };
    ws.onmessage = (msg) => this.receive(String(msg.data));
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      clearInterval(this.pingTimer);
      for (const [, p] of this.pending) { clearTimeout(p.timer); p.reject(new SocketError('DISCONNECTED', this.words.lost)); }
      this.pending.clear();
      this.setStatus('offline');
      if (this.closedForGood(ev.code)) this.stop();
      else if (!this.stopped) this.scheduleRetry();
    };
  }

  scheduleRetry() {
    const base = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.connect(), base * (0.5 + Math.random()));
  }

  /** @param {WebSocket} ws */
  heartbeat(ws) {
    // A half-open connection (sleep, a dropped network) sends nothing and never closes by itself.
    if (Date.now() - this.lastHeard > (this.options.silenceMs ?? Infinity)) { ws.close(); return; }
    if (this.status === 'online') this.ping();
  }

  /** Move the resume point forward (never back). @param {number} seq */
  advance(seq) {
    if (this.lastSeq !== null && seq <= this.lastSeq) return;
    this.lastSeq = seq;
    this.options.onSeq?.(seq);
  }

  /** Resume from here, even if it is behind (the server's head after it lost our place). @param {number} seq */
  resetTo(seq) {
    this.lastSeq = null;
    this.advance(seq);
  }

  /** @param {string} raw */
  receive(raw) {
    this.lastHeard = Date.now();
    let frame;
    try {
      frame = JSON.parse(raw);
    } catch {
      return;
    }
    if (!frame || typeof frame.type !== 'string') return;
    if ((frame.type === Event.ACK || frame.type === Event.ERROR) && frame.ref) { this.settle(frame); return; }
    if (this.control(frame)) return;
    if (typeof frame.seq === 'number') {
      if (this.lastSeq !== null && frame.seq <= this.lastSeq) return; // already applied (a replay overlapped)
      this.advance(frame.seq);
    }
    this.deliver(frame);
  }

  /** An answer to one of our requests (an answer to one that timed out is dropped). @param {Frame} frame */
  settle(frame) {
    const p = this.pending.get(frame.ref ?? '');
    if (!p) return;
    this.pending.delete(frame.ref ?? '');
    clearTimeout(p.timer);
    if (frame.type === Event.ERROR) p.reject(new SocketError(frame.data?.code ?? 'ERROR', frame.data?.message ?? 'Failed'));
    else p.resolve(frame.data);
  }

  /** Send a command once online; resolves with the answer's data, rejects with a SocketError. @param {Record<string, any>} frame */
  command(frame) {
    if (this.status !== 'online' || !this.ws) return Promise.reject(new SocketError('DISCONNECTED', this.words.offline));
    return this.request(frame, this.ws);
  }

  /** Send now (also before `online`, for the greeting). @param {Record<string, any>} frame @param {WebSocket} ws @returns {Promise<any>} */
  request(frame, ws) {
    const id = `${this.words.idPrefix}${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SocketError('TIMEOUT', this.words.timeout));
      }, this.options.ackTimeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ ...frame, id }));
    });
  }
}
