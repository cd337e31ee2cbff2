// @ts-check
/** <chat-timeline>: the chat's posts in order, updated in place (keyed by id), announced politely. */
import { renderPending, renderPost, updatePost } from './post-view.js';

export class ChatTimelineElement extends HTMLElement {
  connectedCallback() {
    if (this.list) { this.follow?.observe(this); this.follow?.observe(this.list); return; }
    this.list = document.createElement('ol');
    this.list.className = 'timeline';
    // The scrolling container is the live log; the list inside keeps its list semantics.
    this.setAttribute('role', 'log');
    this.setAttribute('aria-live', 'polite');
    this.setAttribute('aria-label', 'Conversation');
    this.tabIndex = 0;
    this.append(this.list);
    /** @type {Map<number, {li: HTMLElement, status: string}>} */
    this.rendered = new Map();
    // While the visitor is at the bottom, stay there when the log's box shrinks (the rating form
    // replaces the composer, a draft grows) or its content grows (an image loads): otherwise the
    // newest bubble is left cut in half at the bottom edge.
    this.pinned = true;
    this.addEventListener('scroll', () => {
      this.pinned = this.scrollHeight - this.scrollTop - this.clientHeight < 24;
    }, { passive: true });
    this.follow = new ResizeObserver(() => { if (this.pinned) this.scrollTop = this.scrollHeight; });
    this.follow.observe(this);
    this.follow.observe(this.list);
  }

  // The chat screen is taken out and put back as the widget's screens change.
  disconnectedCallback() { this.follow?.disconnect(); }

  /**
   * @param {{stored: import('../../shared/protocol.js').Message[], pending: any[]}} timeline
   * @param {import('../state/api.js').MessengerApi} api
   */
  render(timeline, api) {
    const list = /** @type {HTMLOListElement} */ (this.list);
    const nearBottom = this.scrollHeight - this.scrollTop - this.clientHeight < 80;
    list.querySelectorAll('li.pending').forEach((li) => li.remove());
    const keep = new Set(timeline.stored.map((p) => p.id));
    for (const [id, entry] of /** @type {Map<number, any>} */ (this.rendered)) {
      if (!keep.has(id)) { entry.li.remove(); this.rendered?.delete(id); }
    }
    let previous = null;
    for (const post of timeline.stored) {
      const entry = this.rendered?.get(post.id);
      if (entry) {
        if (entry.status !== post.message_status) { updatePost(entry.li, post); entry.status = post.message_status; }
        previous = entry.li;
        continue;
      }
      const li = renderPost(post, api);
      if (previous) previous.after(li); else list.prepend(li);
      this.rendered?.set(post.id, { li, status: post.message_status });
      previous = li;
    }
    for (const item of timeline.pending) list.append(renderPending(item));
    if (nearBottom || timeline.pending.length) this.scrollTop = this.scrollHeight;
  }

  reset() {
    this.list?.replaceChildren();
    this.rendered?.clear();
  }
}

customElements.define('chat-timeline', ChatTimelineElement);
