// @ts-check
/**
 * The chat server's realtime protocol on shared/socket.js: `hello` with the last processed seq (the server
 * replays what was missed, once, in order), a ping every 20 s, `resync_required` when it lost our place.
 */
import { Command, Event, PROTOCOL_VERSION } from '../../shared/protocol.js';
import { ResumableSocket } from '../../shared/socket.js';
import { NOT_AVAILABLE } from './api.js';

export { SocketError } from '../../shared/socket.js';

/**
 * @typedef {{url: string, hello: () => Record<string, any>, lastSeq?: number|null,
 *   onEvent: (type: string, data: any, seq: number|null) => void,
 *   onStatus?: (status: import('../../shared/socket.js').SocketStatus, detail?: any) => void,
 *   onSeq?: (seq: number) => void, onResync?: (headSeq: number) => void,
 *   onUnavailable?: () => void}} RealtimeOptions
 */

/** The server's close code for "chat is not available from here" (the visitor may not chat): no reconnecting. */
export const CLOSE_NOT_AVAILABLE = 4403;

export class RealtimeSocket extends ResumableSocket {
  /** @param {RealtimeOptions} options */
  constructor(options) {
    super({ retryBaseMs: 500, retryMaxMs: 30000, ackTimeoutMs: 15000, pingMs: 20000, silenceMs: 60000,
      lastSeq: options.lastSeq ?? null, onStatus: options.onStatus, onSeq: options.onSeq },
    { idPrefix: 'c', lost: 'Connection lost', offline: 'Not connected', timeout: 'The server did not answer' });
    this.realtime = options;
  }

  /** @override */
  url() { return this.realtime.url; }

  /** Greet with hello (and where to resume); its ack means online. @override @param {WebSocket} ws */
  opened(ws) {
    const hello = { ...this.realtime.hello(), last_seq: this.lastSeq };
    this.request({ v: PROTOCOL_VERSION, type: Command.HELLO, data: hello }, ws).then((ack) => {
      if (this.lastSeq === null) this.advance(ack.head_seq);
      this.online(ack);
    }).catch((err) => {
      this.setStatus('offline', err);
      if (err?.code === NOT_AVAILABLE) this.unavailable();
      ws.close();
    });
  }

  /** @override */
  ping() { this.send(Command.PING, {}).catch(() => {}); }

  /** @override @param {number} code */
  closedForGood(code) {
    if (code !== CLOSE_NOT_AVAILABLE) return false;
    this.unavailable();
    return true;
  }

  /** Chat is not available to this visitor from where they are: stop for good, once. */
  unavailable() {
    if (this.gone) return;
    this.gone = true;
    this.stop();
    this.realtime.onUnavailable?.();
  }

  /** @override @param {import('../../shared/socket.js').Frame} frame */
  control(frame) {
    if (frame.type === Event.HEARTBEAT) return true;
    // Said just before the server closes with 4403; a proxy between may lose the close code, not this.
    if (frame.type === Event.ERROR && frame.data?.code === NOT_AVAILABLE) { this.unavailable(); return true; }
    if (frame.type !== Event.RESYNC_REQUIRED) return false;
    this.resetTo(frame.data.head_seq);
    this.realtime.onResync?.(frame.data.head_seq);
    return true;
  }

  /** @override @param {import('../../shared/socket.js').Frame} frame */
  deliver(frame) { this.realtime.onEvent(frame.type, frame.data, frame.seq ?? null); }

  /**
   * Send a command once the socket is online; resolves with the ack data, rejects with SocketError.
   * @param {string} type @param {Record<string, any>} data
   */
  send(type, data) { return this.command({ v: PROTOCOL_VERSION, type, data }); }
}
