// @ts-check
/**
 * <chat-timeline>: a conversation's posts, virtualised — only the rows in (and near) the viewport are in
 * the DOM, with spacers for the rest. Older pages are asked for as the agent nears the top, and the row
 * at the top of the viewport stays put while they (or freshly measured heights) arrive above it. New
 * visitor messages are announced through a separate live region (scrolling must not be read out).
 * A transcript can open at a given row (History: the first hit) with search words marked.
 */
import { VirtualWindow } from '../state/virtual-window.js';
import { el } from './dom.js';
import { markMatches } from './marks.js';
import { renderPending, renderPost, updateTicks } from './post-view.js';
import { Running, observeSize } from './running.js';

/**
 * @typedef {{timeline: import('../state/timeline.js').Timeline, meId: number|undefined,
 *   files: {fileUrl: (id: string) => string}, retry: (clientId: string) => void, cancel: (clientId: string) => void,
 *   loadOlder?: () => void, focusKey?: number|null, marks?: RegExp|null}} Source
 * `focusKey`: open at this row instead of the newest; `marks`: words to mark in every post body.
 */

export class ChatTimelineElement extends HTMLElement {
  constructor() {
    super();
    this.win = new VirtualWindow(72);
    /** @type {Map<string|number, {li: HTMLElement, sig: string}>} */
    this.nodes = new Map();
    /** @type {any[]} */
    this.rows = [];
    /** @type {{key: string|number, delta: number}|null} the row to keep at the viewport's top on the next draw */
    this.anchor = null;
    /** @type {{cursor: number|null, at: number}} the last older page asked for (ask again only after 3 s) */
    this.asked = { cursor: null, at: 0 };
    this.frame = 0;
  }

  connectedCallback() {
    if (this.list) { this.running?.start(); return; }
    this.setAttribute('role', 'log');
    this.setAttribute('aria-live', 'off');
    this.setAttribute('aria-label', 'Conversation');
    this.tabIndex = 0;
    this.more = el('div', { class: 'vt-more muted', hidden: true, text: 'Loading earlier messages…' });
    this.top = el('div', { class: 'vt-spacer', 'aria-hidden': 'true' });
    this.list = el('ol', { class: 'timeline' });
    this.bottom = el('div', { class: 'vt-spacer', 'aria-hidden': 'true' });
    this.announcer = el('div', { class: 'sr-only', 'aria-live': 'polite' });
    this.append(this.more, this.top, this.list, this.bottom, this.announcer);
    this.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.running = new Running(() => [observeSize(this, () => this.schedule())]);
  }

  disconnectedCallback() {
    this.running?.stop();
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /** @param {Source} source */
  show(source) {
    const t = source.timeline;
    const switched = this.source?.timeline !== t;
    const focus = switched ? source.focusKey ?? null : null;
    const atBottom = (switched && focus === null) || (!switched && this.scrollHeight - this.scrollTop - this.clientHeight < 60);
    const lastBefore = this.rows.length ? this.rows[this.rows.length - 1] : null;
    const win = this.win;
    if (!switched && !atBottom && win.keys.length) {
      const y = Math.max(0, this.scrollTop - this.origin());
      const i = win.indexAt(y);
      this.anchor = { key: win.keys[i], delta: y - win.offsets[i] };
    }
    this.source = source;
    if (switched) {
      this.nodes?.clear();
      this.list?.replaceChildren();
      this.win = new VirtualWindow(72);
      this.asked = { cursor: null, at: 0 };
    }
    this.rows = t.rows();
    this.win.layout(this.rows.map(keyOf));
    /** @type {HTMLElement} */ (this.more).hidden = !t.hasOlder;
    const last = this.rows[this.rows.length - 1];
    if (!switched && last && last !== lastBefore && !last.pending && last.creator?.kind === 'VISITOR') {
      /** @type {HTMLElement} */ (this.announcer).textContent = `${last.creator.full_name}: ${last.contents}`;
    }
    // Opening at a row: keep it near the top while the rows around it are measured (twice, as below).
    if (focus !== null) for (let k = 0; k < 3; k += 1) { this.anchor = { key: focus, delta: -16 }; this.draw(); }
    else this.draw();
    // Stuck to the newest message: rows measured on the way down can change the height, so settle twice.
    if (atBottom) for (let k = 0; k < 2; k += 1) { this.scrollTop = this.scrollHeight; this.draw(); }
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  /** Pixels from the top of the scrolled content to the first row (padding, "loading" line). */
  origin() {
    return /** @type {HTMLElement} */ (this.top).offsetTop;
  }

  /** Render the rows that intersect the viewport, then measure them and fix the spacers and the scroll. */
  draw() {
    const win = this.win;
    const source = this.source;
    if (!source) return;
    const origin = this.origin();
    let y = this.scrollTop - origin;
    if (this.anchor) {
      const at = win.keys.indexOf(this.anchor.key);
      if (at >= 0) y = win.offsets[at] + this.anchor.delta;
      this.anchor = null;
    }
    const view = this.clientHeight || 600;
    const { start, end } = win.range(Math.max(0, y), view);
    this.renderRows(start, end, source);
    // Heights measured above the top row must not move what the agent is reading.
    const topRow = win.indexAt(Math.max(0, y));
    const before = win.offsets[topRow];
    let changed = false;
    const nodes = this.nodes;
    for (const [key, entry] of nodes) changed = win.measure(key, entry.li.offsetHeight) || changed;
    if (changed) { win.layout(this.rows.map(keyOf)); if (y > 0) y += win.offsets[topRow] - before; }
    /** @type {HTMLElement} */ (this.top).style.height = `${win.offsets[start] ?? 0}px`;
    /** @type {HTMLElement} */ (this.bottom).style.height = `${Math.max(0, win.total - (win.offsets[end] ?? win.total))}px`;
    const want = Math.round(y + origin);
    if (Math.abs(this.scrollTop - want) >= 1) this.scrollTop = want;
    if (y < view * 3) this.askOlder(source);
  }

  /** @param {number} start @param {number} end @param {Source} source */
  renderRows(start, end, source) {
    const list = /** @type {HTMLElement} */ (this.list);
    const nodes = this.nodes;
    const wanted = new Set();
    for (let i = start; i < end; i += 1) wanted.add(keyOf(this.rows[i]));
    // Rows scrolled out go first: left in place, they would make every row after them move.
    for (const [key, entry] of nodes) if (!wanted.has(key)) { entry.li.remove(); nodes.delete(key); }
    /** @type {ChildNode|null} */
    let prev = null;
    for (let i = start; i < end; i += 1) {
      const row = this.rows[i];
      const key = keyOf(row);
      // A row shows its delivery status only as an agent's ticks: a visitor's message going SEEN (every
      // one does as the agent reads) must not rebuild it.
      const ticks = !row.pending && row.creator?.kind === 'AGENT' && row.visibility !== 'STAFF';
      const sig = row.pending ? `p${row.failed ?? ''}:${row.file_id ?? ''}` : ticks ? `${row.post_status}` : '';
      let entry = nodes.get(key);
      if (entry && entry.sig !== sig && !row.pending && !entry.sig.startsWith('p') && updateTicks(entry.li, row)) {
        entry.sig = sig; // only the ticks changed
      }
      if (!entry || entry.sig !== sig) {
        const li = row.pending
          ? renderPending(row, { retry: () => source.retry(row.client_id), cancel: () => source.cancel(row.client_id) })
          : renderPost(row, source.meId, source.files);
        li.dataset.key = String(key);
        if (source.marks && !row.pending) markMatches(li, source.marks);
        if (key === source.focusKey) li.classList.add('search-hit');
        entry?.li.replaceWith(li);
        entry = { li, sig };
        nodes.set(key, entry);
      } else if (row.pending) {
        /** @type {any} */ (entry.li).update?.(row);
      }
      /** @type {ChildNode|null} */
      const want = prev ? prev.nextSibling : list.firstChild;
      if (want !== entry.li) list.insertBefore(entry.li, want);
      prev = entry.li;
    }
  }

  /** Near the top of what is loaded: fetch the page before it (once per cursor, again after 3 s). @param {Source} source */
  askOlder(source) {
    const t = source.timeline;
    if (!t.hasOlder || !source.loadOlder) return;
    const now = Date.now();
    if (this.asked.cursor === t.cursor && now - this.asked.at < 3000) return;
    this.asked = { cursor: t.cursor, at: now };
    source.loadOlder();
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
