// @ts-check
/**
 * What the agent can do, as calls on the bridge: REST for routing and lookups, socket commands for
 * messages and typing. Each returns a promise; failures carry a human message for a toast.
 */
import { authHeaders } from './bridge-auth.js';
import { Command } from '../../shared/protocol.js';
import { newClientId } from '../../shared/format.js';
import { InstanceApi, bridge, query } from './bridge-api.js';
import { PostPages } from './post-pages.js';
import { isImageFile, sizeProblem, uploadError, uploadWithProgress } from './push.js';
import { watchSignIn } from './sign-in.js';
import { Topic } from './names.js';

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
    /** @type {Map<string, () => void>} running uploads by client_id → abort */
    this.uploads = new Map();
    /** @type {Map<string, Promise<any>>} per instance: limits, languages */
    this.cache = new Map();
    this.progressTimer = 0;
  }

  /** Fetched once per instance and kept (a failure is not kept). @param {string} key @param {() => Promise<any>} load */
  cached(key, load) {
    let p = this.cache.get(key);
    if (!p) {
      p = load().catch((err) => { this.cache.delete(key); throw err; });
      this.cache.set(key, p);
    }
    return p;
  }

  /** The server's upload and length limits. @param {string} id */
  limits(id) { return this.cached(`limits:${id}`, () => this.api(id).get('meta/limits')); }

  /** Pygments lexers for the Push code window. @param {string} id */
  languages(id) { return this.cached(`languages:${id}`, async () => (await this.api(id).page('code/languages')).data); }

  /** The snippet highlighted exactly as the post will be (and the guessed language). @param {string} id @param {string} contents @param {string|null} language */
  codePreview(id, contents, language) {
    return this.api(id).post('code/preview', language ? { contents, language } : { contents });
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
    if (inst && me) { inst.me = me; this.store.emit([Topic.AGENTS, Topic.INSTANCES], id); }
  }

  /** The name visitors and colleagues see for me on this server. @param {string} id @param {string} fullName */
  async rename(id, fullName) {
    const me = await this.api(id).put('me', { full_name: fullName });
    const inst = this.store.get(id);
    if (inst && me) { inst.me = me; this.store.emit([Topic.AGENTS, Topic.INSTANCES], id); }
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
    this.store.emit([Topic.OFFERS, Topic.CHATS, Topic.QUEUE, Topic.BADGES], id);
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
    this.store.emit([Topic.CHATS, Topic.BADGES], id);
  }

  /** A chat's transcript as a document (what the visitor saw). @param {string} id @param {number} cid @param {'html'|'text'} format */
  transcript(id, cid, format) {
    return this.api(id).text(`cases/${cid}/transcript?format=${format}`);
  }

  /** E-mail a chat's transcript. @param {string} id @param {number} cid @param {{to_visitor: boolean, emails: string[]}} body */
  emailTranscript(id, cid, body) {
    return this.api(id).post(`cases/${cid}/transcript`, body);
  }

  /** To a colleague or a department. @param {string} id @param {number} cid @param {{agent_id: number}|{department_id: number}} target */
  async transfer(id, cid, target) {
    const c = await this.api(id).post(`cases/${cid}/transfer`, target);
    this.store.get(id)?.cases.set(cid, c);
    this.store.emit([Topic.CHATS], id);
  }

  /** Staff chat: colleagues with their newest message and unread counts. @param {string} id */
  async staffThreads(id) {
    const inst = this.store.get(id);
    if (inst) inst.staffLoaded = 'loading';
    let list;
    try {
      list = /** @type {import('../../shared/protocol.js').StaffThread[]} */ ((await this.api(id).page('staff/threads')).data);
    } catch (err) {
      if (inst) inst.staffLoaded = false;
      throw err;
    }
    if (inst) {
      // A message that arrived while the list was on its way is newer than what the list says: keep it.
      const live = inst.staffThreads ?? new Map();
      inst.staffThreads = new Map(list.map((t) => {
        const seen = live.get(t.agent.id);
        return [t.agent.id, seen && (seen.last_message?.id ?? 0) > (t.last_message?.id ?? 0) ? seen : t];
      }));
      for (const [agentId, t] of live) if (!inst.staffThreads.has(agentId)) inst.staffThreads.set(agentId, t);
      inst.staffLoaded = true;
    }
    this.store.emit([Topic.STAFF, Topic.BADGES], id);
    return list;
  }

  /** The newest 200 messages with a colleague (kept oldest first). @param {string} id @param {number} agentId */
  async staffMessages(id, agentId) {
    const inst = this.store.get(id);
    // The thread exists from now on, so a message sent or received while the page is on its way is kept
    // (the event appends to it) and merged with the page by id, not overwritten by an older read.
    inst?.staffMessages.set(agentId, []);
    let page;
    try {
      page = (await this.api(id).page(`staff/messages${query({ with_agent_id: agentId, limit: 200 })}`)).data;
    } catch (err) {
      inst?.staffMessages.delete(agentId);
      throw err;
    }
    if (inst) {
      const byId = new Map([...page, ...(inst.staffMessages.get(agentId) ?? [])].map((m) => [m.id, m]));
      inst.staffMessages.set(agentId, [...byId.values()].sort((a, b) => a.id - b.id));
    }
    this.store.emit([Topic.STAFF], id);
  }

  /** @param {string} id @param {number} agentId @param {string} text */
  sendStaff(id, agentId, text) {
    return this.api(id).post('staff/messages', { to_agent_id: agentId, contents: text, client_id: newClientId() });
  }

  /** I have read a colleague's messages up to their newest. @param {string} id @param {number} agentId */
  async readStaff(id, agentId) {
    const inst = this.store.get(id);
    const theirs = (inst?.staffMessages.get(agentId) ?? []).filter((m) => m.sender.id === agentId);
    const newest = theirs.at(-1);
    if (!inst || !newest || newest.read_at) return;
    await this.api(id).put('staff/messages/read', { with_agent_id: agentId, up_to_id: newest.id });
  }

  /** Ask a colleague to help in a chat (they join as a whisper-only helper). @param {string} id @param {number} cid @param {number} agentId */
  askForHelp(id, cid, agentId) {
    return this.api(id).post(`cases/${cid}/help_requests`, { agent_id: agentId, client_id: newClientId() });
  }

  /** Visitor rules (administrators change them). @param {string} id @returns {Promise<import('../../shared/protocol.js').VisitorRule[]>} */
  async rules(id) {
    return (await this.api(id).page('visitors/rules')).data;
  }

  /** Create (no `ruleId`) or replace a visitor rule. @param {string} id @param {number|null} ruleId @param {Record<string, any>} body */
  saveRule(id, ruleId, body) {
    return ruleId == null ? this.api(id).post('visitors/rules', body) : this.api(id).put(`visitors/rules/${ruleId}`, body);
  }

  /** @param {string} id @param {number} ruleId */
  deleteRule(id, ruleId) {
    return this.api(id).del(`visitors/rules/${ruleId}`);
  }

  /** Departments, by title, with their agents and how many are online. @param {string} id @returns {Promise<import('../../shared/protocol.js').Team[]>} */
  async teams(id) {
    return (await this.api(id).page('teams')).data;
  }

  /** Create (no `teamId`) or change a department (administrators). @param {string} id @param {number|null} teamId @param {Record<string, any>} body */
  saveTeam(id, teamId, body) {
    return teamId == null ? this.api(id).post('teams', body) : this.api(id).put(`teams/${teamId}`, body);
  }

  /** @param {string} id @param {number} teamId */
  deleteTeam(id, teamId) {
    return this.api(id).del(`teams/${teamId}`);
  }

  /** Create (no `agentId`: with email and password) or change an agent (administrators). @param {string} id @param {number|null} agentId @param {Record<string, any>} body */
  saveAgent(id, agentId, body) {
    return agentId == null ? this.api(id).post('agents', body) : this.api(id).put(`agents/${agentId}`, body);
  }

  /** Skills, by title, with who has them and how many of those are online. @param {string} id @returns {Promise<import('../../shared/protocol.js').Skill[]>} */
  async skills(id) {
    return (await this.api(id).page('skills')).data;
  }

  /** Create (no `skillId`) or change a skill (administrators). @param {string} id @param {number|null} skillId @param {Record<string, any>} body */
  saveSkill(id, skillId, body) {
    return skillId == null ? this.api(id).post('skills', body) : this.api(id).put(`skills/${skillId}`, body);
  }

  /** @param {string} id @param {number} skillId */
  deleteSkill(id, skillId) {
    return this.api(id).del(`skills/${skillId}`);
  }

  /** Notes on a visitor, newest first (kept in the instance's state, then updated by events). @param {string} id @param {number} visitorId */
  async notes(id, visitorId) {
    const page = (await this.api(id).page(`visitors/${visitorId}/notes${query({ limit: 200 })}`)).data;
    const inst = this.store.get(id);
    // A note an event brought while the read was on its way is kept, not replaced by the older read.
    const byId = new Map([...page, ...(inst?.notes.get(visitorId) ?? [])].map((n) => [n.id, n]));
    const list = [...byId.values()].sort((a, b) => b.id - a.id);
    inst?.notes.set(visitorId, list);
    this.store.emit([Topic.NOTES], id);
    return list;
  }

  /** @param {string} id @param {number} visitorId @param {string} text @param {number|null} cid the chat it is written in */
  async addNote(id, visitorId, text, cid) {
    const note = await this.api(id).post(`visitors/${visitorId}/notes`, { body_text: text, conversation_id: cid });
    const inst = this.store.get(id);
    const list = inst?.notes.get(visitorId);
    if (inst && list && !list.some((n) => n.id === note.id)) inst.notes.set(visitorId, [note, ...list]);
    this.store.emit([Topic.NOTES], id);
    return note;
  }

  /** @param {string} id @param {number} visitorId @param {number} noteId */
  async deleteNote(id, visitorId, noteId) {
    await this.api(id).del(`visitors/notes/${noteId}`);
    const inst = this.store.get(id);
    const list = inst?.notes.get(visitorId);
    if (inst && list) inst.notes.set(visitorId, list.filter((n) => n.id !== noteId));
    this.store.emit([Topic.NOTES], id);
  }

  /** One visitor as the Visitors screen knows them (with their address). @param {string} id @param {number} visitorId @returns {Promise<import('../../shared/protocol.js').Visitor>} */
  visitor(id, visitorId) {
    return this.api(id).get(`visitors/${visitorId}`);
  }

  /** Ban a visitor's address or its network. @param {string} id @param {{visitor_id: number, prefix: number, reason: string, expires_in: number|null}} body */
  ban(id, body) {
    return this.api(id).post('bans', body);
  }

  /** Bans to review (administrators). @param {string} id @param {string} state ACTIVE, ENDED or ALL @returns {Promise<import('../../shared/protocol.js').Ban[]>} */
  async bans(id, state) {
    return (await this.api(id).page(`bans${query({ state, limit: 200 })}`)).data;
  }

  /** @param {string} id @param {number} banId */
  liftBan(id, banId) {
    return this.api(id).del(`bans/${banId}`);
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
  send(id, cid, contents, staff) {
    return this.post(id, cid, { kind: 'TEXT', contents, visibility: staff ? 'STAFF' : 'PUBLIC' });
  }

  /**
   * Any post (text, code, link, online image), pending until it is stored; retried with the same client_id.
   * @param {string} id @param {number} cid @param {{kind: string, contents?: string, visibility?: string, url?: string, language?: string|null}} fields
   */
  async post(id, cid, fields) {
    const inst = this.store.get(id);
    if (!inst) return;
    const item = { client_id: newClientId(), contents: '', visibility: 'PUBLIC', ...fields };
    inst.timeline(cid).addPending(item);
    this.store.emit([Topic.POSTS], id);
    await this.deliver(id, cid, item);
  }

  /**
   * Push files: each is checked against the server's limit, shown at once with a progress bar, uploaded,
   * then posted. Images (PNG, JPEG, GIF, WebP) go as images when `asImages`, everything else as files.
   * Returns the reasons for files refused before uploading (the caller shows them).
   * @param {string} id @param {number} cid @param {Array<{file?: File, ref?: string, name: string, size: number, type?: string}>} sources @param {boolean} asImages
   */
  async pushFiles(id, cid, sources, asImages) {
    const inst = this.store.get(id);
    if (!inst) return [];
    const limit = await this.limits(id).then((l) => l.max_upload_bytes).catch(() => null);
    /** @type {string[]} */
    const refused = [];
    const t = inst.timeline(cid);
    /** @type {any[]} */
    const items = [];
    for (const src of sources) {
      const problem = sizeProblem(src, limit);
      if (problem) { refused.push(problem); continue; }
      const image = asImages && isImageFile(src);
      const item = {
        client_id: newClientId(), kind: image ? 'IMAGE' : 'FILE', contents: '', visibility: 'PUBLIC',
        upload: { name: src.name, size: src.size, type: src.type ?? '', loaded: 0, source: src,
          preview: image && src.file ? URL.createObjectURL(src.file) : null },
      };
      t.addPending(item);
      items.push(item);
    }
    this.store.emit([Topic.POSTS], id);
    await Promise.all(items.map((item) => this.deliver(id, cid, item)));
    return refused;
  }

  /** Stop an upload (or forget a failed post) and take it off the timeline. @param {string} id @param {number} cid @param {string} clientId */
  cancelPending(id, cid, clientId) {
    this.uploads.get(clientId)?.();
    const t = this.store.get(id)?.timeline(cid);
    const item = /** @type {any} */ (t?.pending.get(clientId));
    if (item?.upload?.preview) URL.revokeObjectURL(item.upload.preview);
    t?.dropPending(clientId);
    this.store.emit([Topic.POSTS], id);
  }

  /** Upload a pending item's file (once: a retry after the upload succeeded only posts). @param {string} id @param {any} item */
  async uploadFor(id, item) {
    const up = item.upload;
    const src = up.source;
    if (src.ref) {
      up.loaded = 0;
      const res = await fetch(`${this.api(id).base}/files/from-path`, {
        method: 'POST', headers: { ...authHeaders(), 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ ref: src.ref }),
      }).catch(() => null);
      if (!res) throw { code: 'NETWORK', message: 'The desktop bridge is not answering', retryable: true };
      let body = null;
      try { body = await res.json(); } catch { body = null; }
      if (!res.ok || !body?.data?.id) throw uploadError(res.status, body);
      up.loaded = up.size;
      return body.data;
    }
    const { promise, abort } = uploadWithProgress(`${this.api(id).base}/files`, src.file, (loaded) => {
      up.loaded = loaded;
      this.progress(id);
    });
    this.uploads.set(item.client_id, abort);
    try {
      return await promise;
    } finally {
      this.uploads.delete(item.client_id);
    }
  }

  /** Progress repaints, at most ten a second. @param {string} id */
  progress(id) {
    if (this.progressTimer) return;
    this.progressTimer = setTimeout(() => { this.progressTimer = 0; this.store.emit([Topic.POSTS], id); }, 100);
  }

  /** @param {string} id @param {number} cid @param {any} item */
  async deliver(id, cid, item) {
    const t = this.store.get(id)?.timeline(cid);
    try {
      if (item.upload && !item.file_id) {
        delete item.failed;
        const info = await this.uploadFor(id, item);
        item.file_id = info.id;
      }
      const { client_id: clientId, kind = 'TEXT', contents, visibility, url, language, file_id: fileId } = item;
      /** @type {Record<string, any>} only what the command takes */
      const data = { conversation_id: cid, kind, client_id: clientId, contents, visibility };
      if (url) data.url = url;
      if (language) data.language = language;
      if (fileId) data.file_id = fileId;
      const ack = await this.socket.send(id, Command.MESSAGE_SEND, data);
      if (ack?.post) t?.add(ack.post);
      if (item.upload?.preview) setTimeout(() => URL.revokeObjectURL(item.upload.preview), 30_000);
    } catch (/** @type {any} */ err) {
      if (err?.code === 'CANCELLED') return;
      const message = err instanceof Error ? err.message : err?.message ?? String(err);
      // Refusals (too large, wrong type) will not succeed on a retry; lost connections will.
      item.retryable = err?.retryable ?? !(err?.code && /INVALID|NOT_ALLOWED|TOO_LARGE|REQUIRED|DENIED/.test(err.code));
      t?.failPending(item.client_id, message);
    }
    this.store.emit([Topic.POSTS], id);
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
