// @ts-check
/**
 * The realtime socket shared by the widget and the agent UI: hello with the last processed seq (the
 * server replays what was missed, once, in order), acks matched by ref, heartbeats, and reconnects with
 * exponential backoff plus jitter. It knows nothing about chats: callers get events through `onEvent`.
 */
import { Command, Event, PROTOCOL_VERSION } from './protocol.js';

const PING_MS = 20000;
const SILENCE_MS = 60000;
const ACK_TIMEOUT_MS = 15000;

export class SocketError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

export class RealtimeSocket {
  /**
   * @param {{url: string, hello: () => Record<string, any>, lastSeq?: number|null,
   *   onEvent: (type: string, data: any, seq: number|null) => void,
   *   onStatus?: (status: 'connecting'|'online'|'offline', detail?: any) => void,
   *   onSeq?: (seq: number) => void, onResync?: (headSeq: number) => void}} options
   */
  constructor(options) {
    this.options = options;
    /** @type {number|null} */
    this.lastSeq = options.lastSeq ?? null;
    /** @type {WebSocket|null} */
    this.ws = null;
    this.status = 'offline';
    this.attempt = 0;
    this.nextId = 1;
    /** @type {Map<string, {resolve: Function, reject: Function, timer: any}>} */
    this.pending = new Map();
    this.stopped = false;
    this.lastHeard = 0;
    this.retryTimer = null;
    this.pingTimer = null;
    this.reconnectNow = () => { if (this.status === 'offline' && !this.stopped) this.connect(); };
    window.addEventListener('online', this.reconnectNow);
    document.addEventListener('visibilitychange', () => { if (!document.hidden) this.reconnectNow(); });
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.ws?.close();
  }

  /** @param {'connecting'|'online'|'offline'} status @param {any} [detail] */
  setStatus(status, detail) {
    this.status = status;
    this.options.onStatus?.(status, detail);
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.setStatus('connecting');
    const ws = new WebSocket(this.options.url);
    this.ws = ws;
    ws.onopen = () => {
      this.lastHeard = Date.now();
      const hello = { ...this.options.hello(), last_seq: this.lastSeq };
      this.request(Command.HELLO, hello, ws).then((ack) => {
        this.attempt = 0;
        if (this.lastSeq === null) this.advance(ack.head_seq);
        this.setStatus('online', ack);
      }).catch((err) => {
        this.setStatus('offline', err);
        ws.close();
      });
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.heartbeat(ws), PING_MS);
    };
    ws.onmessage = (msg) => this.receive(String(msg.data));
    ws.onclose = () => {
      if (this.ws !== ws) return;
      clearInterval(this.pingTimer);
      for (const [, p] of this.pending) p.reject(new SocketError('DISCONNECTED', 'Connection lost'));
      this.pending.clear();
      this.setStatus('offline');
      if (!this.stopped) this.scheduleRetry();
    };
  }

  scheduleRetry() {
    const base = Math.min(30000, 500 * 2 ** this.attempt);
    this.attempt += 1;
    const delay = base * (0.5 + Math.random());
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** @param {WebSocket} ws */
  heartbeat(ws) {
    if (Date.now() - this.lastHeard > SILENCE_MS) {
      ws.close();
      return;
    }
    if (this.status === 'online') this.send(Command.PING, {}).catch(() => {});
  }

  /** @param {number} seq */
  advance(seq) {
    if (this.lastSeq === null || seq > this.lastSeq) {
      this.lastSeq = seq;
      this.options.onSeq?.(seq);
    }
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
    if (frame.ref && this.pending.has(frame.ref)) {
      const p = this.pending.get(frame.ref);
      this.pending.delete(frame.ref);
      clearTimeout(p?.timer);
      if (frame.type === Event.ERROR) p?.reject(new SocketError(frame.data.code, frame.data.message));
      else p?.resolve(frame.data);
      return;
    }
    if (frame.type === Event.HEARTBEAT) return;
    if (frame.type === Event.RESYNC_REQUIRED) {
      this.lastSeq = null;
      this.advance(frame.data.head_seq);
      this.options.onResync?.(frame.data.head_seq);
      return;
    }
    if (frame.seq && this.lastSeq !== null && frame.seq <= this.lastSeq) return; // already processed
    this.options.onEvent(frame.type, frame.data, frame.seq ?? null);
    if (frame.seq) this.advance(frame.seq);
  }

  /**
   * Send a command once the socket is online; resolves with the ack data, rejects with SocketError.
   * @param {string} type @param {Record<string, any>} data
   */
  send(type, data) {
    if (this.status !== 'online' || !this.ws) {
      return Promise.reject(new SocketError('DISCONNECTED', 'Not connected'));
    }
    return this.request(type, data, this.ws);
  }

  /** @param {string} type @param {Record<string, any>} data @param {WebSocket} ws */
  request(type, data, ws) {
    const id = `c${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SocketError('TIMEOUT', 'The server did not answer'));
      }, ACK_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type, id, data }));
    });
  }
}
