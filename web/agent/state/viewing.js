// @ts-check
/**
 * Who-is-viewing: tells each chat server which of its chats this agent has on screen (the chat page, the
 * window visible), so colleagues see "Bob is viewing" in the chat's header. Sent when that changes and
 * repeated every REPEAT_MS while it holds; colleagues forget a viewer they have not heard from in TTL_MS
 * (the server's VIEWING_REPEAT_SECONDS and VIEWING_TTL_SECONDS), so a closed laptop does not linger.
 */
import { Command } from '../../shared/protocol.js';

export const REPEAT_MS = 30_000;
export const TTL_MS = 75_000;

export class ViewingReporter {
  /**
   * @param {import('./app-store.js').AppStore} store
   * @param {{send: (instance: string, type: string, data: any) => Promise<any>, status: string}} socket
   */
  constructor(store, socket) {
    this.store = store;
    this.socket = socket;
    /** @type {Map<string, {cid: number, at: number}>} what each instance was last told, and when */
    this.told = new Map();
    store.subscribe(() => this.update());
    document.addEventListener('visibilitychange', () => this.update());
    setInterval(() => this.update(), 5_000);
  }

  update() {
    const now = Date.now();
    for (const inst of this.store.instances) {
      const cid = this.store.activeChatFor(inst.id);
      const before = this.told.get(inst.id);
      // A colleague just opened the chat I have open: they have not heard that I do (my last word may be 30 s old).
      const greet = inst.viewerArrived !== null && inst.viewerArrived === cid;
      inst.viewerArrived = null;
      if (before && before.cid !== cid) this.tell(inst.id, before.cid, false);
      if (cid === null) { this.told.delete(inst.id); continue; }
      if (!before || before.cid !== cid || now - before.at >= REPEAT_MS || greet) {
        this.told.set(inst.id, { cid, at: now });
        this.tell(inst.id, cid, true);
      }
    }
  }

  /** @param {string} id @param {number} cid @param {boolean} viewing */
  tell(id, cid, viewing) {
    if (this.socket.status !== 'online') { if (viewing) this.told.delete(id); return; } // told again once online
    this.socket.send(id, Command.CHAT_VIEWING, { conversation_id: cid, viewing }).catch(() => {});
  }
}
