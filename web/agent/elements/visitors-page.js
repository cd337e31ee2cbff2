// @ts-check
/**
 * <visitors-page>: the live table of who is on the website — sortable, filterable, keyboard-navigable,
 * with a context menu per row (right-click, Shift+F10 or the ContextMenu key).
 */
import { COLUMNS, visibleRows } from '../state/visitor-rows.js';
import { el, emit } from './dom.js';
import { icon } from './icons.js';
import { buildRow, refreshTimes, rowSignature } from './visitor-row.js';

export class VisitorsPageElement extends HTMLElement {
  /** @param {import('../state/app-store.js').AppStore} store @param {import('./context-menu.js').ContextMenuElement} menu */
  setup(store, menu) {
    this.store = store;
    this.menu = menu;
    /** @type {{text: string, state: 'all'|'chatting'|'waiting'|'browsing', sort: string, dir: 1|-1}} */
    this.opts = { text: '', state: 'all', sort: 'time', dir: -1 };
    /** @type {Map<number, {tr: HTMLTableRowElement, sig: string}>} */
    this.rows = new Map();
    /** @type {number|null} */
    this.focusId = null;
    this.count = el('span', { class: 'count', 'aria-live': 'polite' });
    const search = /** @type {HTMLInputElement} */ (el('input', { type: 'search', class: 'search', placeholder: 'Filter by name, page, location…',
      'aria-label': 'Filter visitors' }));
    search.addEventListener('input', () => { this.opts.text = search.value; this.schedule(); });
    const state = /** @type {HTMLSelectElement} */ (el('select', { 'aria-label': 'Chat state' },
      ...[['all', 'Everyone'], ['browsing', 'Browsing'], ['waiting', 'Waiting for chat'], ['chatting', 'Chatting']]
        .map(([v, t]) => el('option', { value: v, text: t }))));
    state.addEventListener('change', () => { this.opts.state = /** @type {any} */ (state.value); this.schedule(); });
    this.head = el('tr');
    this.body = /** @type {HTMLTableSectionElement} */ (el('tbody'));
    this.body.addEventListener('contextmenu', (e) => this.onContext(e));
    this.body.addEventListener('keydown', (e) => this.onKey(e));
    this.body.addEventListener('click', (e) => this.focusRow(/** @type {HTMLElement} */ (e.target).closest('tr')));
    this.empty = el('div', { class: 'empty-state', hidden: true },
      icon('globe', 40), el('h3', { text: 'No visitors on your website right now' }),
      el('p', { class: 'muted', text: 'Visitors appear here live as soon as they open a page with the chat widget.' }));
    this.replaceChildren(
      el('header', { class: 'page-head' }, el('h1', { text: 'Visitors' }), this.count, el('div', { class: 'spacer' }), search, state),
      el('div', { class: 'table-wrap' },
        el('table', { class: 'visitors', 'aria-label': 'Visitors on the website', 'aria-describedby': 'visitors-hint' },
          el('thead', null, this.head), this.body),
        this.empty),
      el('p', { id: 'visitors-hint', class: 'sr-only', text: 'Use the arrow keys to move between visitors and Shift+F10 for actions.' }));
    this.renderHead();
    store.subscribe((what) => { if (what.has('visitors') || what.has('page')) this.schedule(); });
    setInterval(() => { if (this.isConnected && !this.hidden) refreshTimes(this.rows, Date.now()); }, 1000);
    this.schedule();
  }

  renderHead() {
    this.head?.replaceChildren(...COLUMNS.map((c) => {
      const sorted = this.opts.sort === c.key;
      return el('th', { scope: 'col', 'aria-sort': sorted ? (this.opts.dir === 1 ? 'ascending' : 'descending') : 'none' },
        el('button', { type: 'button', class: 'sort', onclick: () => this.sortBy(c.key) }, c.label,
          el('span', { class: 'sort-mark', 'aria-hidden': 'true', text: sorted ? (this.opts.dir === 1 ? '▲' : '▼') : '' })));
    }));
  }

  /** @param {string} key */
  sortBy(key) {
    this.opts.dir = this.opts.sort === key ? /** @type {1|-1} */ (-this.opts.dir) : 1;
    this.opts.sort = key;
    this.renderHead();
    this.render();
  }

  /** Coalesce bursts of updates into one render per frame. */
  schedule() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => { this.pending = 0; this.render(); });
  }

  render() {
    const inst = this.store?.current;
    const body = /** @type {HTMLTableSectionElement} */ (this.body);
    const now = Date.now();
    const list = inst ? visibleRows(inst.visitors.values(), this.opts, now) : [];
    const seen = new Set();
    let prev = null;
    for (const v of list) {
      seen.add(v.id);
      const sig = rowSignature(v);
      let entry = this.rows.get(v.id);
      if (!entry || entry.sig !== sig) {
        const tr = buildRow(v, now, v.id === this.focusId);
        entry?.tr.replaceWith(tr);
        entry = { tr, sig };
        this.rows.set(v.id, entry);
      }
      const want = prev ? prev.nextSibling : body.firstChild;
      if (want !== entry.tr) body.insertBefore(entry.tr, want);
      prev = entry.tr;
    }
    for (const [id, entry] of this.rows) if (!seen.has(id)) { entry.tr.remove(); this.rows.delete(id); }
    if (this.focusId === null || !seen.has(this.focusId)) this.focusId = list[0]?.id ?? null;
    for (const [id, entry] of this.rows) entry.tr.tabIndex = id === this.focusId ? 0 : -1;
    const total = inst ? [...inst.visitors.values()].filter((v) => v.online).length : 0;
    /** @type {HTMLElement} */ (this.count).textContent = `${list.length}${list.length !== total ? ` of ${total}` : ''} online`;
    const empty = /** @type {HTMLElement} */ (this.empty);
    empty.hidden = list.length > 0;
    const [title, hint] = total
      ? ['No visitors match', 'Clear the filter or pick another chat state to see everyone.']
      : ['No visitors on your website right now', 'Visitors appear here live as soon as they open a page with the chat widget.'];
    if (empty.children[1]?.textContent !== title) { empty.children[1].textContent = title; empty.children[2].textContent = hint; }
  }

  /** @param {HTMLElement|null} tr */
  focusRow(tr) {
    if (!tr?.dataset.id) return;
    this.focusId = Number(tr.dataset.id);
    for (const [id, entry] of this.rows) entry.tr.tabIndex = id === this.focusId ? 0 : -1;
    tr.focus();
  }

  /** @param {KeyboardEvent} e */
  onKey(e) {
    const tr = /** @type {HTMLElement} */ (e.target).closest('tr');
    if (!tr) return;
    if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey) || e.key === 'Enter') {
      e.preventDefault();
      const r = tr.getBoundingClientRect();
      this.openMenu(tr, r.left + 24, r.bottom - 4);
      return;
    }
    const step = { ArrowDown: 'nextElementSibling', ArrowUp: 'previousElementSibling' }[e.key];
    if (step) { e.preventDefault(); this.focusRow(/** @type {any} */ (tr)[step]); }
    if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      this.focusRow(/** @type {HTMLElement|null} */ (e.key === 'Home' ? this.body?.firstElementChild : this.body?.lastElementChild));
    }
  }

  /** @param {MouseEvent} e */
  onContext(e) {
    const tr = /** @type {HTMLElement} */ (e.target).closest('tr');
    if (!tr) return;
    e.preventDefault();
    this.focusRow(tr);
    this.openMenu(tr, e.clientX, e.clientY);
  }

  /** @param {HTMLElement} tr @param {number} x @param {number} y */
  openMenu(tr, x, y) {
    const inst = this.store?.current;
    const v = inst?.visitors.get(Number(tr.dataset.id));
    if (!inst || !v) return;
    const live = v.conversation_id != null && (v.chat_status === 'OPEN' || v.chat_status === 'NEW');
    const conv = v.conversation_id != null ? inst.cases.get(v.conversation_id) : null;
    const inIt = conv ? inst.myRole(conv) !== null : false;
    const go = (/** @type {string} */ name, /** @type {any} */ extra = {}) => () => emit(this, name, { visitor: v, ...extra });
    this.menu?.open(x, y, [
      { label: 'Invite to chat', icon: icon('chat', 16), disabled: live, run: go('visitor-invite') },
      { label: 'Join', heading: true },
      { label: inIt ? 'Open chat' : 'Join Chat', icon: icon('users', 16), disabled: !live, run: go('visitor-join', { role: 'PARTICIPANT' }) },
      { label: 'Join Chat as Observer', icon: icon('eye', 16), disabled: !live || inIt, run: go('visitor-join', { role: 'OBSERVER' }) },
      { label: '', heading: true },
      { label: 'Footprints', icon: icon('footprints', 16), run: go('visitor-footprints') },
    ], `Actions for ${v.name}`, tr);
  }
}

customElements.define('visitors-page', VisitorsPageElement);
