// @ts-check
/**
 * One conversation's posts in id order, plus messages still being sent (keyed by client_id), so a post
 * that arrives both as an ack and as an event is shown once. REST pages load newest first; `cursor` is
 * the oldest post they brought, and `complete` says nothing older is left to fetch.
 */

/** @typedef {import('../../shared/protocol.js').Post} Post */

export class Timeline {
  /** @param {number} conversationId */
  constructor(conversationId) {
    this.conversationId = conversationId;
    /** @type {Post[]} */
    this.posts = [];
    /** @type {Map<number, number>} post id → index */
    this.index = new Map();
    /** @type {Map<string, any>} client_id → {client_id, kind, contents, visibility, created_at, failed?, upload?} */
    this.pending = new Map();
    this.loaded = false;
    this.version = 0;
    /** @type {number|null} the oldest post id fetched by REST: older pages are fetched before it */
    this.cursor = null;
    this.complete = false;
  }

  /** Older posts may exist on the server that are not here yet (only for timelines paged by addPage). */
  get hasOlder() {
    return this.cursor !== null && !this.complete;
  }

  /**
   * A page fetched newest-first (`before_id`): merge it, move the cursor, and note when it was the last.
   * @param {Post[]} posts ascending @param {number} limit the page size asked for
   */
  addPage(posts, limit) {
    this.addMany(posts);
    if (posts.length) this.cursor = Math.min(this.cursor ?? Infinity, posts[0].id);
    if (posts.length < limit) this.complete = true;
  }

  /** @param {Post[]} posts from REST (may overlap what events already brought): one sort at most */
  addMany(posts) {
    /** @type {Post[]} */
    const fresh = [];
    for (const p of posts) {
      if (p.client_id) this.pending.delete(p.client_id);
      const at = this.index.get(p.id);
      if (at !== undefined) this.posts[at] = p; else fresh.push(p);
    }
    if (fresh.length) {
      const last = this.posts.length ? this.posts[this.posts.length - 1].id : -Infinity;
      const appendOnly = fresh[0].id > last && fresh.every((p, i) => i === 0 || fresh[i - 1].id < p.id);
      this.posts = this.posts.concat(fresh);
      if (!appendOnly) this.posts.sort((a, b) => a.id - b.id);
      this.index = new Map(this.posts.map((p, i) => [p.id, i]));
    }
    this.loaded = true;
    this.version += 1;
  }

  /** @param {Post} post @param {boolean} [bump] */
  add(post, bump = true) {
    if (post.client_id) this.pending.delete(post.client_id);
    const at = this.index.get(post.id);
    if (at !== undefined) {
      this.posts[at] = post;
    } else if (!this.posts.length || this.posts[this.posts.length - 1].id < post.id) {
      this.index.set(post.id, this.posts.length);
      this.posts.push(post);
    } else {
      this.posts.push(post);
      this.posts.sort((a, b) => a.id - b.id);
      this.index = new Map(this.posts.map((p, i) => [p.id, i]));
    }
    if (bump) this.version += 1;
  }

  /** @param {number[]} ids @param {'SENT'|'DELIVERED'|'SEEN'} status */
  mark(ids, status) {
    for (const id of ids) {
      const at = this.index.get(id);
      if (at !== undefined) this.posts[at] = { ...this.posts[at], post_status: status };
    }
    this.version += 1;
  }

  /** The item itself is kept (uploads update its progress in place). @param {{client_id: string, contents: string, visibility: string}} item */
  addPending(item) {
    this.pending.set(item.client_id, Object.assign(item, { created_at: new Date().toISOString() }));
    this.version += 1;
  }

  /** @param {string} clientId @param {string} reason */
  failPending(clientId, reason) {
    const item = this.pending.get(clientId);
    if (item) { item.failed = reason; this.version += 1; }
  }

  /** @param {string} clientId */
  dropPending(clientId) {
    this.pending.delete(clientId);
    this.version += 1;
  }

  /** The newest visitor post id (for marking seen). */
  lastVisitorPostId() {
    for (let i = this.posts.length - 1; i >= 0; i -= 1) {
      if (this.posts[i].creator.kind === 'VISITOR') return this.posts[i].id;
    }
    return null;
  }

  /** Rows to show: stored posts then pending sends. */
  rows() {
    return [...this.posts, ...[...this.pending.values()].map((p) => ({ pending: true, ...p }))];
  }
}
