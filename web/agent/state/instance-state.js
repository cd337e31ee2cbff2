// @ts-check
/**
 * Everything the UI knows about one chat server (instance): me, agents, visitors, conversations, the
 * queue, ringing offers, macros, timelines and unread counts — updated by applying relayed events.
 */
import { Event } from '../../shared/protocol.js';
import { Timeline } from './timeline.js';
import { Topic } from './names.js';
import { TTL_MS } from './viewing.js';

/** @typedef {import('../../shared/protocol.js').Conversation} Conversation */
/** @typedef {import('../../shared/protocol.js').Visitor} Visitor */
/** @typedef {import('../../shared/protocol.js').Offer} Offer */
/** @typedef {import('../../shared/protocol.js').Agent} Agent */
/** @typedef {import('../../shared/protocol.js').Macro} Macro */

/** @param {any[]|undefined|null} list @returns {Map<number, any>} */
const byId = (list) => new Map((list ?? []).map((x) => [x.id, x]));

export class InstanceState {
  /** @param {any} instance the bridge's Instance record */
  constructor(instance) {
    this.info = instance;
    /** @type {Agent|null} */
    this.me = instance.agent ?? null;
    /** @type {Map<number, Agent>} */
    this.agents = new Map();
    /** @type {Map<number, Visitor>} */
    this.visitors = new Map();
    /** @type {Map<number, Conversation>} */
    this.cases = new Map();
    /** @type {Map<number, Offer>} */
    this.offers = new Map();
    /** @type {Macro[]} */
    this.macros = [];
    /** @type {Map<number, Timeline>} */
    this.timelines = new Map();
    /** @type {Map<number, number>} unread visitor posts per conversation */
    this.unread = new Map();
    /** @type {Map<number, {name: string, until: number}>} */
    this.typing = new Map();
    /** @type {Map<number, Map<number, {name: string, until: number}>>} colleagues with a chat on screen, by chat and agent */
    this.viewers = new Map();
    /** @type {Map<number, Map<number, {name: string, until: number}>>} colleagues typing in a chat, by chat and agent */
    this.staffTyping = new Map();
    /** @type {Map<number, import('../../shared/protocol.js').StaffThread>|null} staff chat: each colleague's thread summary (null until read) */
    this.staffThreads = null;
    /** whether the threads were read from the server ('loading' while asked) */
    this.staffLoaded = /** @type {boolean|'loading'} */ (false);
    /** @type {Map<number, import('../../shared/protocol.js').StaffMessage[]>} staff messages with a colleague, oldest first, once loaded */
    this.staffMessages = new Map();
    /** @type {number|null} the colleague whose thread is on screen (set by the Team page) */
    this.staffOpen = null;
    /** @type {Map<number, import('../../shared/protocol.js').VisitorNote[]>} notes on visitors, newest first, for visitors loaded so far */
    this.notes = new Map();
    /** @type {number|null} a chat a colleague has just opened: whoever has it open says so again (viewing.js) */
    this.viewerArrived = null;
  }

  /** Colleagues (never me) viewing or typing in a chat now. @param {number} cid */
  colleagues(cid) {
    const now = Date.now();
    const live = (/** @type {Map<number, {name: string, until: number}>|undefined} */ m) =>
      [...(m ?? new Map()).entries()].filter(([id, v]) => v.until > now && id !== this.me?.id).map(([, v]) => v.name);
    return { viewing: live(this.viewers.get(cid)), typing: live(this.staffTyping.get(cid)) };
  }

  /** @param {Map<number, Map<number, {name: string, until: number}>>} map @param {number} cid @param {number} agentId
   *  @param {string} name @param {boolean} on @param {number} ttl */
  static mark(map, cid, agentId, name, on, ttl) {
    const inner = map.get(cid) ?? new Map();
    if (on) inner.set(agentId, { name, until: Date.now() + ttl });
    else inner.delete(agentId);
    if (inner.size) map.set(cid, inner);
    else map.delete(cid);
  }

  get id() { return this.info.id; }
  get status() { return this.info.status; }

  /** Replace everything from a snapshot's `state` (null while the instance is not connected). @param {any} state */
  load(state) {
    if (!state) return;
    this.me = state.me ?? this.me;
    this.agents = byId(state.agents);
    this.visitors = byId(state.visitors);
    this.cases = byId([...(state.cases ?? []), ...(state.queue ?? [])]);
    this.offers = byId((state.offers ?? []).filter((/** @type {Offer} */ o) => o.state === 'OFFERED'));
    this.macros = state.macros ?? [];
    for (const offer of this.offers.values()) this.cases.set(offer.conversation.id, offer.conversation);
  }

  /** @param {Conversation} c */
  myRole(c) {
    const mine = c.participants.find((p) => p.agent.id === this.me?.id);
    return mine ? mine.role : null;
  }

  /** My chats that are still going (owner, participant or observer), newest activity first. */
  myChats() {
    return [...this.cases.values()]
      .filter((c) => c.status.type !== 'COMPLETED' && this.myRole(c))
      .sort((a, b) => (b.last_replied_at ?? b.created_at).localeCompare(a.last_replied_at ?? a.created_at));
  }

  /** Chats waiting for an agent, in queue order. */
  queue() {
    return [...this.cases.values()]
      .filter((c) => c.status.type === 'NEW' && c.queue_position != null)
      .sort((a, b) => (a.queue_position ?? 0) - (b.queue_position ?? 0) || a.created_at.localeCompare(b.created_at));
  }

  /** Unread messages + ringing requests: the tab badge. */
  attention() {
    let n = this.offers.size + this.staffUnread();
    for (const c of this.myChats()) n += this.unread.get(c.id) ?? 0;
    return n;
  }

  /** Colleagues' staff messages not read yet. */
  staffUnread() {
    let n = 0;
    for (const t of this.staffThreads?.values() ?? []) n += t.unread;
    return n;
  }

  /** Drop requests whose ring ran out (the server's offer.ended may be lost while we are offline). @param {number} now */
  pruneOffers(now) {
    let dropped = false;
    for (const [id, o] of this.offers) {
      if (Date.parse(o.expires_at) + 3000 < now) { this.offers.delete(id); dropped = true; }
    }
    return dropped;
  }

  /** @param {number} cid */
  timeline(cid) {
    let t = this.timelines.get(cid);
    if (!t) { t = new Timeline(cid); this.timelines.set(cid, t); }
    return t;
  }

  /**
   * Apply one relayed event. Returns the kinds of things that changed (for selective re-rendering).
   * @param {string} type @param {any} data @param {{activeChat: number|null}} view
   * @returns {import('./names.js').TopicName[]}
   */
  apply(type, data, view) {
    switch (type) {
      case Event.VISITOR_UPDATED:
        this.visitors.set(data.visitor.id, data.visitor);
        return [Topic.VISITORS];
      case Event.VISITOR_LEFT:
        this.visitors.delete(data.visitor_id);
        return [Topic.VISITORS];
      case Event.CONVERSATION_CREATED:
      case Event.CONVERSATION_UPDATED:
        this.cases.set(data.conversation.id, data.conversation);
        if (data.conversation.status.type === 'COMPLETED') this.typing.delete(data.conversation.id);
        return [Topic.CHATS, Topic.QUEUE];
      case Event.MESSAGE_CREATED: {
        const post = data.post;
        this.timeline(post.conversation_id).add(post);
        this.typing.delete(post.conversation_id);
        const fromVisitor = post.creator.kind === 'VISITOR';
        if (fromVisitor && view.activeChat !== post.conversation_id) {
          this.unread.set(post.conversation_id, (this.unread.get(post.conversation_id) ?? 0) + 1);
        }
        const c = this.cases.get(post.conversation_id);
        // The chat list sorts by the last reply (system lines aside); the other last_post_* fields are the server's.
        if (c) this.cases.set(c.id, { ...c, post_count: c.post_count + 1, ...(post.kind === 'SYSTEM' ? {} : { last_replied_at: post.created_at }) });
        return [Topic.POSTS, Topic.CHATS];
      }
      case Event.MESSAGES_STATUS_CHANGED:
        this.timeline(data.conversation_id).mark(data.post_ids, data.status);
        return [Topic.POSTS];
      case Event.VIEWERS_CHANGED:
        if (data.viewing && data.agent.id !== this.me?.id && !this.viewers.get(data.conversation_id)?.has(data.agent.id)) {
          this.viewerArrived = data.conversation_id;
        }
        InstanceState.mark(this.viewers, data.conversation_id, data.agent.id, data.agent.full_name, data.viewing, TTL_MS);
        return [Topic.TYPING];
      case Event.TYPING_CHANGED:
        if (data.author.kind === 'AGENT' && data.author.id != null) {
          InstanceState.mark(this.staffTyping, data.conversation_id, data.author.id, data.author.full_name, data.typing, 15000);
          return [Topic.TYPING];
        }
        if (data.author.kind !== 'VISITOR') return [];
        if (data.typing) this.typing.set(data.conversation_id, { name: data.author.full_name, until: Date.now() + 15000 });
        else this.typing.delete(data.conversation_id);
        return [Topic.TYPING];
      case Event.OFFER_CREATED:
        this.offers.set(data.offer.id, data.offer);
        this.cases.set(data.offer.conversation.id, data.offer.conversation);
        return [Topic.OFFERS, Topic.QUEUE];
      case Event.OFFER_ENDED:
        this.offers.delete(data.offer_id);
        return [Topic.OFFERS];
      case Event.AGENT_STATUS_CHANGED:
        this.agents.set(data.agent.id, data.agent);
        if (this.me && data.agent.id === this.me.id) this.me = data.agent;
        return [Topic.AGENTS];
      case Event.MACROS_CHANGED:
        return [Topic.MACROS];
      case Event.STAFF_MESSAGE_CREATED: {
        const m = data.message;
        const mine = m.sender.id === this.me?.id;
        const other = mine ? m.recipient : m.sender;
        const list = this.staffMessages.get(other.id);
        if (list && !list.some((x) => x.id === m.id)) list.push(m);
        this.staffThreads ??= new Map();  // the list is read later; the newest messages already count
        const t = this.staffThreads.get(other.id) ?? { agent: other, last_message: null, unread: 0 };
        const fresh = (t.last_message?.id ?? 0) < m.id;  // ids only grow: a replayed event is not counted twice
        if (fresh) this.staffThreads.set(other.id, { ...t, last_message: m, unread: t.unread + (mine ? 0 : 1) });
        return [Topic.STAFF, Topic.BADGES];
      }
      case Event.STAFF_MESSAGES_READ: {
        const other = data.reader_id === this.me?.id ? data.sender_id : data.reader_id;
        if (data.reader_id === this.me?.id && this.staffThreads?.has(other)) {
          this.staffThreads.set(other, { .../** @type {any} */ (this.staffThreads.get(other)), unread: 0 });
        }
        for (const m of this.staffMessages.get(other) ?? []) {
          if (m.sender.id === data.sender_id && m.id <= data.up_to_id && !m.read_at) m.read_at = data.read_at;
        }
        return [Topic.STAFF, Topic.BADGES];
      }
      case Event.NOTE_CREATED: {
        const list = this.notes.get(data.note.visitor_id);
        if (!list || list.some((n) => n.id === data.note.id)) return [];
        this.notes.set(data.note.visitor_id, [data.note, ...list]);
        return [Topic.NOTES];
      }
      case Event.NOTE_DELETED: {
        const list = this.notes.get(data.visitor_id);
        if (!list) return [];
        this.notes.set(data.visitor_id, list.filter((n) => n.id !== data.note_id));
        return [Topic.NOTES];
      }
      default:
        return [];
    }
  }
}
