// @ts-check
/**
 * The widget's state, free of DOM: the visitor, the current chat and its timeline, the unsent outbox,
 * who is typing, a pending invitation. Elements listen for 'change' and read from here.
 */
import { storage } from './storage.js';

/** @typedef {import('../../shared/protocol.js').Message} Post */
/** @typedef {import('../../shared/protocol.js').Chat} Chat */
/** @typedef {import('../../shared/protocol.js').Invitation} Invitation */

export class MessengerModel extends EventTarget {
  constructor() {
    super();
    /** @type {any} */ this.visitor = null;
    /** @type {Chat|null} */ this.chat = null;
    /** @type {Map<number, Post>} */ this.posts = new Map();
    this.outbox = storage.outbox;
    /** @type {{name: string, until: number}|null} */ this.typing = null;
    /** @type {Invitation|null} */ this.invitation = null;
    this.agentsAvailable = true;
    /** @type {import('../../shared/protocol.js').Department[]} the departments the site offers (public ones) */
    this.departments = [];
    /** @type {number|null} the department the visitor asks (chosen in the form; the only one when there is one) */
    this.departmentId = null;
    /** @type {number|null} the server's upload limit in bytes */
    this.maxUpload = null;
    this.emailTranscripts = false;  // the server sends e-mail: offer the transcript when a chat ends
    this.connection = 'connecting';
    this.open = storage.open;
    this.unread = 0;
    this.offlineSent = false;
    this.rated = false;
    /** @type {string|null} */ this.error = null;
    this.unavailable = false;  // the server will not chat with this visitor from where they are
  }

  changed() {
    this.dispatchEvent(new Event('change'));
  }

  /** The screen the open panel shows. */
  get screen() {
    if (this.unavailable) return 'unavailable';
    if (this.chat && !this.chat.is_offline_message) return 'chat';
    if (this.offlineSent) return 'offline-sent';
    const department = this.department;
    if (department) return department.available ? 'prechat' : 'offline';
    return this.agentsAvailable ? 'prechat' : 'offline';
  }

  /** The department chosen, if the site has departments. */
  get department() {
    return this.departments.find((d) => d.id === this.departmentId) ?? null;
  }

  /** The site's departments changed (a status read): keep the visitor's choice if it still exists, else take
   * the first one someone can answer in (or the first). @param {import('../../shared/protocol.js').Department[]} departments */
  setDepartments(departments) {
    this.departments = departments;
    if (!departments.some((d) => d.id === this.departmentId)) {
      this.departmentId = (departments.find((d) => d.available) ?? departments[0])?.id ?? null;
    }
  }

  /** @param {Chat|null} chat */
  setChat(chat) {
    if (chat && this.chat && chat.id !== this.chat.id) this.posts.clear();
    if (chat && this.chat?.id === chat.id && chat.queue_position == null && chat.status.type === 'NEW') {
      chat = { ...chat, queue_position: this.chat.queue_position ?? null };
    }
    this.chat = chat;
    this.changed();
  }

  /** @param {Post[]} posts */
  addPosts(posts) {
    let unread = 0;
    for (const post of posts) {
      if (!this.chat || post.conversation_id !== this.chat.id) continue;
      const isNew = !this.posts.has(post.id);
      this.posts.set(post.id, post);
      if (post.client_id) this.removePending(post.client_id);
      if (isNew && post.creator.kind === 'AGENT') {
        unread += 1;
        if (this.typing && post.creator.full_name === this.typing.name) this.typing = null;
      }
    }
    if (!this.open || document.hidden) this.unread += unread;
    this.changed();
  }

  /** Timeline in order: stored posts, then messages still on their way. */
  get timeline() {
    const stored = [...this.posts.values()].sort((a, b) => a.id - b.id);
    const pending = this.outbox.filter((p) => p.conversation_id === this.chat?.id);
    return { stored, pending };
  }

  /** @param {{client_id: string, conversation_id: number, contents: string, created_at: string}} item */
  queue(item) {
    this.outbox = [...this.outbox, item];
    storage.outbox = this.outbox;
    this.changed();
  }

  /** @param {string} clientId */
  removePending(clientId) {
    const before = this.outbox.length;
    this.outbox = this.outbox.filter((p) => p.client_id !== clientId);
    if (this.outbox.length !== before) storage.outbox = this.outbox;
  }

  /** @param {number[]} ids @param {string} status */
  markStatus(ids, status) {
    for (const id of ids) {
      const post = this.posts.get(id);
      if (post) this.posts.set(id, { ...post, message_status: /** @type {any} */ (status) });
    }
    this.changed();
  }

  /** @param {boolean} open */
  setOpen(open) {
    this.open = open;
    storage.open = open;
    if (open) this.unread = 0;
    this.changed();
  }

  /** The newest post from an agent (to mark delivered / seen). */
  get lastAgentPost() {
    const stored = this.timeline.stored.filter((p) => p.creator.kind === 'AGENT');
    return stored.at(-1) ?? null;
  }
}
