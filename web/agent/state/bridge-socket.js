// @ts-check
/**
 * The bridge's protocol (`/api/events?last=<seq>`, app/kayako_desktop/bridge/README.md) on shared/socket.js: online at
 * `bridge.ready`, a snapshot refetch at `bridge.resync`, commands for one instance. No heartbeat: the bridge
 * is in the same app on loopback, and its socket closes when it goes.
 */
import { BridgeEvent } from '../../shared/protocol.js';
import { ResumableSocket } from '../../shared/socket.js';
import { socketProtocols } from './bridge-auth.js';

/** @typedef {import('../../shared/socket.js').Frame} BridgeFrame */
/** @typedef {import('../../shared/socket.js').SocketStatus} SocketStatus */

export class BridgeSocket extends ResumableSocket {
  /** @param {{onEvent: (frame: BridgeFrame) => void, onStatus: (status: SocketStatus) => void, onResync: () => void}} handlers */
  constructor(handlers) {
    super({ retryBaseMs: 400, retryMaxMs: 15000, ackTimeoutMs: 15000, onStatus: handlers.onStatus },
      { idPrefix: 'ui', lost: 'Connection to the bridge lost', offline: 'Not connected to the bridge', timeout: 'No answer from the server' });
    this.handlers = handlers;
  }

  /** @override @param {number|null} [seq] the snapshot's seq: the events after it come over the socket */
  start(seq = this.lastSeq) {
    this.lastSeq = seq;
    super.start();
  }

  /** @override */
  url() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    return `${scheme}://${location.host}/api/events${this.lastSeq === null ? '' : `?last=${this.lastSeq}`}`;
  }

  /** @override */
  protocols() { return socketProtocols(); }

  /** @override @param {BridgeFrame} frame */
  control(frame) {
    if (frame.type === BridgeEvent.READY) {
      if (typeof frame.seq === 'number' && this.lastSeq === null) this.advance(frame.seq);
      this.online();
      return true;
    }
    if (frame.type !== BridgeEvent.RESYNC) return false;
    // The bridge (our resume point is gone) or one upstream (its server lost our place) says the events
    // are incomplete: continue from here and refetch the snapshot.
    if (typeof frame.seq === 'number') this.advance(frame.seq);
    this.handlers.onResync();
    return true;
  }

  /** @override @param {BridgeFrame} frame */
  deliver(frame) { this.handlers.onEvent(frame); }

  /**
   * Send a command for one instance; resolves with the ack's data.
   * @param {string} instance @param {string} type @param {Record<string, any>} data
   * @returns {Promise<any>}
   */
  send(instance, type, data) { return this.command({ instance, type, data }); }
}
