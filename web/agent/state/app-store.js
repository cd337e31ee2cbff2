// @ts-check
/**
 * The UI's single source of truth: instances in tab order with their state, which one is shown, the
 * current page and chat, and the bridge connection. Views subscribe to named changes.
 */
import { BridgeEvent } from '../../shared/protocol.js';
import { InstanceState } from './instance-state.js';
import { Topic } from './names.js';
import { BATCHED_EVENTS, VisitorBatch } from './visitor-batch.js';

/** @typedef {'visitors'|'chats'|'history'|'team'|'dashboard'} Page */
/** @typedef {import('./names.js').TopicName} TopicName */

export class AppStore extends EventTarget {
  #listeners = 0;

  /** @param {(run: () => void) => void} [schedule] when to apply buffered visitor events (default: a 0 ms timer) */
  constructor(schedule = (run) => { setTimeout(run, 0); }) {
    super();
    this.visitorBatch = new VisitorBatch(schedule);
    this.visitorBatch.onReady = () => this.flushVisitors();
    /** @type {InstanceState[]} */
    this.instances = [];
    /** @type {string|null} */
    this.currentId = null;
    /** @type {Page} */
    this.page = 'visitors';
    /** @type {Map<string, number|null>} the open chat per instance */
    this.activeChats = new Map();
    /** the department the chat list and the queue show ('' for all) */
    this.chatTeam = '';
    this.bridgeStatus = 'connecting';
    this.loaded = false;
    /** Whether the window is on screen (set by main.js; the store itself knows no DOM). */
    this.visible = true;
  }

  /** @param {TopicName[]} what @param {string|null} [instance] */
  emit(what, instance = null) {
    this.dispatchEvent(new CustomEvent('change', { detail: { what: new Set(what), instance } }));
  }

  /**
   * Call `fn` on every change; returns the unsubscribe (elements call it when they leave the page).
   * @param {(what: Set<TopicName>, instance: string|null) => void} fn @returns {() => void}
   */
  subscribe(fn) {
    const listener = (/** @type {Event} */ e) => fn(/** @type {CustomEvent} */ (e).detail.what, /** @type {CustomEvent} */ (e).detail.instance);
    this.addEventListener('change', listener);
    this.#listeners += 1;
    let on = true;
    return () => {
      if (!on) return;
      on = false;
      this.removeEventListener('change', listener);
      this.#listeners -= 1;
    };
  }

  /** How many subscriptions are active (read by tests: an element that left the page keeps none). */
  get listenerCount() { return this.#listeners; }

  get current() {
    return this.instances.find((i) => i.id === this.currentId) ?? this.instances[0] ?? null;
  }

  /** @param {string} id */
  get(id) {
    return this.instances.find((i) => i.id === id) ?? null;
  }

  /** A fresh snapshot from the bridge: rebuild every instance, keep what the user was looking at. @param {any} snap */
  loadSnapshot(snap) {
    const old = new Map(this.instances.map((i) => [i.id, i]));
    this.visitorBatch.drop(); // what was buffered is older than the snapshot (applied-then-replaced before)
    this.instances = (snap.instances ?? [])
      .slice().sort((/** @type {any} */ a, /** @type {any} */ b) => (a.order ?? 0) - (b.order ?? 0))
      .map((/** @type {any} */ rec) => {
        const inst = new InstanceState(rec);
        const before = old.get(rec.id);
        if (before) { inst.unread = before.unread; inst.timelines = before.timelines; }
        inst.load(rec.state);
        return inst;
      });
    if (!this.get(this.currentId ?? '')) this.currentId = this.instances[0]?.id ?? null;
    this.loaded = true;
    this.emit([Topic.INSTANCES, Topic.VISITORS, Topic.CHATS, Topic.QUEUE, Topic.OFFERS, Topic.AGENTS, Topic.MACROS, Topic.POSTS]);
  }

  /** @param {any} rec a bridge Instance */
  upsertInstance(rec) {
    const inst = this.get(rec.id);
    if (inst) {
      const wasOnline = inst.info.status === 'online';
      inst.info = { ...inst.info, ...rec };
      if (rec.agent) inst.me = rec.agent;
      this.emit([Topic.INSTANCES], rec.id);
      return !wasOnline && rec.status === 'online';
    }
    this.instances.push(new InstanceState(rec));
    if (!this.currentId) this.currentId = rec.id;
    this.emit([Topic.INSTANCES], rec.id);
    return rec.status === 'online';
  }

  /** @param {string} id */
  removeInstance(id) {
    this.visitorBatch.drop(id);
    this.instances = this.instances.filter((i) => i.id !== id);
    if (this.currentId === id) this.currentId = this.instances[0]?.id ?? null;
    this.emit([Topic.INSTANCES, Topic.VISITORS, Topic.CHATS, Topic.QUEUE, Topic.OFFERS]);
  }

  /**
   * One frame from the bridge socket. Returns true when the bridge asks for a snapshot refetch.
   * @param {import('../../shared/socket.js').Frame} frame
   */
  applyFrame(frame) {
    const { type, data } = frame;
    if (type === BridgeEvent.INSTANCE_ADDED || type === BridgeEvent.INSTANCE_UPDATED) {
      return this.upsertInstance(data.instance ?? data);
    }
    if (type === BridgeEvent.INSTANCE_REMOVED) {
      this.removeInstance(data.id ?? data.instance_id ?? frame.instance);
      return false;
    }
    const inst = frame.instance ? this.get(frame.instance) : null;
    if (!inst) return false;
    if (BATCHED_EVENTS.has(type)) { this.visitorBatch.push(inst.id, type, data); return false; }
    const what = inst.apply(type, data, { activeChat: this.activeChatFor(inst.id) });
    if (what.length) this.emit([...what, Topic.BADGES], inst.id);
    return false;
  }

  /** Apply the buffered visitor events: one 'visitors' change per instance, however many arrived. */
  flushVisitors() {
    for (const [id, changes] of this.visitorBatch.take()) {
      const inst = this.get(id);
      if (!inst) continue;
      for (const [vid, v] of changes) { if (v) inst.visitors.set(vid, v); else inst.visitors.delete(vid); }
      this.emit([Topic.VISITORS], id);
    }
  }

  /** @param {string} id */
  activeChatFor(id) {
    // A chat counts as "being read" only while its page is on screen and the window is visible.
    if (id !== this.currentId || this.page !== 'chats' || !this.visible) return null;
    return this.activeChats.get(id) ?? null;
  }

  /** @param {string} id */
  selectInstance(id) {
    this.currentId = id;
    this.emit([Topic.INSTANCES, Topic.VISITORS, Topic.CHATS, Topic.QUEUE, Topic.OFFERS, Topic.PAGE, Topic.POSTS, Topic.BADGES]);
  }

  /** Show only one department's chats in the chat list and the queue ('' for all). @param {string} title */
  setChatTeam(title) {
    this.chatTeam = title;
    this.emit([Topic.CHATS, Topic.QUEUE]);
  }

  /** @param {Page} page */
  setPage(page) {
    this.page = page;
    this.emit([Topic.PAGE]);
  }

  /** @param {string} id @param {number|null} cid */
  openChat(id, cid) {
    this.activeChats.set(id, cid);
    const inst = this.get(id);
    if (inst && cid !== null) inst.unread.delete(cid);
    this.page = 'chats';
    this.emit([Topic.PAGE, Topic.CHATS, Topic.POSTS, Topic.BADGES], id);
  }

  /** Sum of every tab's attention count (for the window title). */
  totalAttention() {
    return this.instances.reduce((n, i) => n + i.attention(), 0);
  }
}
