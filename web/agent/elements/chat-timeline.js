// @ts-check
/**
 * <chat-timeline>: a conversation's posts, virtualised — only the rows in (and near) the viewport are in
 * the DOM, with spacers for the rest, so a 10,000-post chat opens as fast as a short one. New visitor
 * messages are announced through a separate live region (scrolling must not be read out).
 */
import { VirtualWindow } from '../state/virtual-window.js';
import { el } from './dom.js';
import { renderPending, renderPost } from './post-view.js';

export class ChatTimelineElement extends HTMLElement {
  connectedCallback() {
    if (this.list) return;
    this.setAttribute('role', 'log');
    this.setAttribute('aria-live', 'off');
    this.setAttribute('aria-label', 'Conversation');
    this.tabIndex = 0;
    this.top = el('div', { class: 'vt-spacer', 'aria-hidden': 'true' });
    this.list = el('ol', { class: 'timeline' });
    this.bottom = el('div', { class: 'vt-spacer', 'aria-hidden': 'true' });
    this.announcer = el('div', { class: 'sr-only', 'aria-live': 'polite' });
    this.append(this.top, this.list, this.bottom, this.announcer);
    this.win = new VirtualWindow(72);
    /** @type {Map<string|number, {li: HTMLElement, sig: string}>} */
    this.nodes = new Map();
    /** @type {any[]} */
    this.rows = [];
    this.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(this);
  }

  /**
   * @param {{timeline: import('../state/timeline.js').Timeline, meId: number|undefined,
   *   files: {fileUrl: (id: string) => string}, retry: (clientId: string) => void}} source
   */
  show(source) {
    const t = source.timeline;
    const switched = this.source?.timeline !== t;
    const atBottom = switched || this.scrollHeight - this.scrollTop - this.clientHeight < 60;
    const lastBefore = this.rows.length ? this.rows[this.rows.length - 1] : null;
    this.source = source;
    if (switched) {
      this.nodes?.clear();
      this.list?.replaceChildren();
      this.win = new VirtualWindow(72);
    }
    this.rows = t.rows();
    this.win?.layout(this.rows.map(keyOf));
    const last = this.rows[this.rows.length - 1];
    if (!switched && last && last !== lastBefore && !last.pending && last.author?.kind === 'VISITOR') {
      /** @type {HTMLElement} */ (this.announcer).textContent = `${last.author.name}: ${last.contents}`;
    }
    this.draw();
    if (atBottom) { this.scrollTop = this.scrollHeight; this.draw(); }
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  /** Render the rows that intersect the viewport, then measure them and fix the spacers. */
  draw() {
    const win = /** @type {VirtualWindow} */ (this.win);
    const source = this.source;
    if (!source) return;
    const { start, end } = win.range(this.scrollTop, this.clientHeight || 600);
    const list = /** @type {HTMLElement} */ (this.list);
    const nodes = /** @type {Map<string|number, {li: HTMLElement, sig: string}>} */ (this.nodes);
    const wanted = new Set();
    let prev = null;
    for (let i = start; i < end; i += 1) {
      const row = this.rows[i];
      const key = keyOf(row);
      wanted.add(key);
      const sig = row.pending ? `p${row.failed ?? ''}` : `${row.status}`;
      let entry = nodes.get(key);
      if (!entry || entry.sig !== sig) {
        const li = row.pending
          ? renderPending(row, () => source.retry(row.client_id))
          : renderPost(row, source.meId, source.files);
        li.dataset.key = String(key);
        entry?.li.replaceWith(li);
        entry = { li, sig };
        nodes.set(key, entry);
      }
      const want = prev ? prev.nextSibling : list.firstChild;
      if (want !== entry.li) list.insertBefore(entry.li, want);
      prev = entry.li;
    }
    for (const [key, entry] of nodes) if (!wanted.has(key)) { entry.li.remove(); nodes.delete(key); }
    let changed = false;
    for (const [key, entry] of nodes) changed = win.measure(key, entry.li.offsetHeight) || changed;
    if (changed) win.layout(this.rows.map(keyOf));
    /** @type {HTMLElement} */ (this.top).style.height = `${win.offsets[start] ?? 0}px`;
    /** @type {HTMLElement} */ (this.bottom).style.height = `${Math.max(0, win.total - (win.offsets[end] ?? win.total))}px`;
  }

  /** How many rows are actually in the DOM (for tests and the benchmark). */
  get renderedCount() {
    return this.nodes?.size ?? 0;
  }
}

/** @param {any} row */
function keyOf(row) {
  return row.pending ? `c:${row.client_id}` : row.id;
}

customElements.define('chat-timeline', ChatTimelineElement);
