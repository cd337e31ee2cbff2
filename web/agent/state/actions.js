// @ts-check
/**
 * What the agent can do, as calls on the bridge: REST for routing and lookups, socket commands for
 * messages and typing. Each returns a promise; failures carry a human message for a toast.
 */
import { Command } from '../../shared/protocol.js';
import { newClientId } from '../../shared/format.js';
import { InstanceApi, bridge, query } from './bridge-api.js';
import { PostPages } from './post-pages.js';
import { watchSignIn } from './sign-in.js';

export class Actions {
  /** @param {import('./app-store.js').AppStore} store @param {import('./bridge-socket.js').BridgeSocket} socket */
  constructor(store, socket) {
    this.store = store;
    this.socket = socket;
    /** @type {Map<string, InstanceApi>} */
    this.apis = new Map();
    /** @type {Map<string, number>} the last post id marked seen per chat (send each mark once) */
    this.seen = new Map();
    this.pages = new PostPages(store, (id) => this.api(id));
  }

  /** @param {string} id */
  api(id) {
    let a = this.apis.get(id);
    if (!a) { a = new InstanceApi(id); this.apis.set(id, a); }
    return a;
  }

  async refreshSnapshot() {
    const snap = await bridge.snapshot();
    this.store.loadSnapshot(snap);
    return typeof snap.seq === 'number' ? snap.seq : null;
  }

  /** @param {{url: string, email: string, password: string, name?: string}} input */
  async addInstance(input) {
    const rec = await bridge.addInstance(input);
    this.store.upsertInstance(rec);
    this.store.selectInstance(rec.id);
    return rec;
  }

  /** @param {string} id */
  async removeInstance(id) {
    await bridge.removeInstance(id);
    this.store.removeInstance(id);
  }

  /** @param {string} id @param {string} name */
  async renameInstance(id, name) {
    const body = await bridge.renameInstance(id, name);
    if (body?.instance) this.store.upsertInstance(body.instance);
  }

  /** A new password after "sign-in failed": resolves once signed in, throws the reason if it fails again. @param {string} id @param {string} password */
  async changePassword(id, password) {
    const outcome = watchSignIn(this.store, id);
    // The reply's status may predate the new attempt; the instance.updated events that follow are the truth.
    await bridge.updateInstance(id, { password }).catch((err) => { outcome.cancel(); throw err; });
    return outcome.promise;
  }

  /** @param {string} id @param {string} status */
  async setStatus(id, status) {
    const me = await this.api(id).put('me/status', { status });
    const inst = this.store.get(id);
    if (inst && me) { inst.me = me; this.store.emit(['agents', 'instances'], id); }
  }

  /** @param {string} id @param {number} cid */
  async accept(id, cid) {
    const c = await this.api(id).post(`cases/${cid}/accept`);
    this.store.get(id)?.cases.set(cid, c);
    this.dropOffersFor(id, cid);
    await this.loadPosts(id, cid);
    this.store.openChat(id, cid);
  }

  /** @param {string} id @param {number} cid */
  async decline(id, cid) {
    try {
      await this.api(id).post(`cases/${cid}/decline`);
    } finally {
      this.dropOffersFor(id, cid);
    }
  }

  /** @param {string} id @param {number} cid */
  dropOffersFor(id, cid) {
    const inst = this.store.get(id);
    if (!inst) return;
    for (const [oid, o] of inst.offers) if (o.conversation.id === cid) inst.offers.delete(oid);
    this.store.emit(['offers', 'chats', 'queue', 'badges'], id);
  }

  /** @param {string} id @param {number} cid @param {'PARTICIPANT'|'OBSERVER'} role */
  async join(id, cid, role) {
    const c = await this.api(id).post(`cases/${cid}/join`, { role });
    this.store.get(id)?.cases.set(cid, c);
    await this.loadPosts(id, cid);
    this.store.openChat(id, cid);
  }

  /** @param {string} id @param {number} cid */
  async leave(id, cid) {
    const c = await this.api(id).post(`cases/${cid}/leave`);
    this.store.get(id)?.cases.set(cid, c);
    this.store.openChat(id, null);
  }

  /** @param {string} id @param {number} cid */
  async end(id, cid) {
    const c = await this.api(id).post(`cases/${cid}/end`);
    this.store.get(id)?.cases.set(cid, c);
    this.store.emit(['chats', 'badges'], id);
  }

  /** @param {string} id @param {number} cid @param {number} agentId */
  async transfer(id, cid, agentId) {
    const c = await this.api(id).post(`cases/${cid}/transfer`, { agent_id: agentId });
    this.store.get(id)?.cases.set(cid, c);
    this.store.emit(['chats'], id);
  }

  /** @param {string} id @param {number} visitorId @param {string} message */
  invite(id, visitorId, message) {
    return this.api(id).post(`visitors/${visitorId}/invitations`, { message });
  }

  /** @param {string} id @param {number} visitorId */
  async footprints(id, visitorId) {
    return (await this.api(id).page(`visitors/${visitorId}/footprints${query({ limit: 100 })}`)).data;
  }

  /** A chat's newest page of posts (painted at once; see post-pages.js). @param {string} id @param {number} cid */
  loadPosts(id, cid) { return this.pages.newest(id, cid); }

  /** The next older page, when the agent scrolls up to it. @param {string} id @param {number} cid */
  loadOlder(id, cid) { return this.pages.older(id, cid); }

  /** @param {string} id */
  async agents(id) {
    return (await this.api(id).page(`agents${query({ limit: 200 })}`)).data;
  }

  /** @param {string} id */
  async macros(id) {
    const inst = this.store.get(id);
    const list = (await this.api(id).page(`cases/macros${query({ limit: 200 })}`)).data;
    if (inst) inst.macros = list;
    return list;
  }

  /** @param {string} id @param {Record<string, any>} params */
  search(id, params) {
    return this.api(id).page(`cases/search${query(params)}`);
  }

  /**
   * Send a text (or whisper) through the socket; shown as pending until the post arrives.
   * @param {string} id @param {number} cid @param {string} contents @param {boolean} staff
   */
  async send(id, cid, contents, staff) {
    const inst = this.store.get(id);
    if (!inst) return;
    const t = inst.timeline(cid);
    const item = { client_id: newClientId(), contents, visibility: staff ? 'STAFF' : 'PUBLIC' };
    t.addPending(item);
    this.store.emit(['posts'], id);
    await this.deliver(id, cid, item);
  }

  /** @param {string} id @param {number} cid @param {{client_id: string, contents: string, visibility: string}} item */
  async deliver(id, cid, item) {
    const t = this.store.get(id)?.timeline(cid);
    try {
      const { client_id: clientId, contents, visibility } = item; // only what the command takes
      const ack = await this.socket.send(id, Command.MESSAGE_SEND,
        { conversation_id: cid, kind: 'TEXT', client_id: clientId, contents, visibility });
      if (ack?.post) t?.add(ack.post);
    } catch (err) {
      t?.failPending(item.client_id, err instanceof Error ? err.message : String(err));
    }
    this.store.emit(['posts'], id);
  }

  /** @param {string} id @param {number} cid @param {boolean} on */
  typing(id, cid, on) {
    this.socket.send(id, on ? Command.TYPING_START : Command.TYPING_STOP, { conversation_id: cid }).catch(() => {});
  }

  /** @param {string} id @param {number} cid */
  markSeen(id, cid) {
    const upTo = this.store.get(id)?.timeline(cid).lastVisitorPostId();
    const key = `${id}:${cid}`;
    if (!upTo || (this.seen.get(key) ?? 0) >= upTo || this.socket.status !== 'online') return;
    this.seen.set(key, upTo);
    this.socket.send(id, Command.MESSAGES_MARK, { conversation_id: cid, up_to_post_id: upTo, status: 'SEEN' }).catch(() => {});
  }
}
