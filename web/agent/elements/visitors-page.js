// @ts-check
/**
 * <visitors-page>: the live table of who is on the website — sortable, filterable, keyboard-navigable,
 * with a context menu per row (right-click, Shift+F10 or the ContextMenu key). The body is virtualised
 * (visitor-body.js) and redrawn at most once a frame, so thousands of rows updating every second stay smooth.
 */
import { COLUMNS, teamOf, visibleRows } from '../state/visitor-rows.js';
import { el, emit } from './dom.js';
import { icon } from '../../shared/icons.js';
import { VisitorBody } from './visitor-body.js';
import { refreshTimes } from './visitor-row.js';
import { Intent, Topic } from '../state/names.js';
import { Running, every, observeSize } from './running.js';

export class VisitorsPageElement extends HTMLElement {
  constructor() {
    super();
    /** @type {{text: string, state: 'all'|'chatting'|'waiting'|'browsing', team: string, sort: string, dir: 1|-1}} */
    this.opts = { text: '', state: 'all', team: '', sort: 'time', dir: -1 };
    /** The list must be filtered and sorted again (data or options changed), not just re-windowed. */
    this.stale = true;
    this.pending = 0;
  }

  /** @param {import('../state/app-store.js').AppStore} store @param {import('./context-menu.js').ContextMenuElement} menu */
  setup(store, menu) {
    this.store = store;
    this.menu = menu;
    this.count = el('span', { class: 'count', 'aria-live': 'polite' });
    const search = /** @type {HTMLInputElement} */ (el('input', { type: 'search', class: 'search', placeholder: 'Filter by name, page, location…',
      'aria-label': 'Filter visitors' }));
    search.addEventListener('input', () => { this.opts.text = search.value; this.schedule(true); });
    const state = /** @type {HTMLSelectElement} */ (el('select', { 'aria-label': 'Chat state' },
      ...[['all', 'Everyone'], ['browsing', 'Browsing'], ['waiting', 'Waiting for chat'], ['chatting', 'Chatting']]
        .map(([v, t]) => el('option', { value: v, text: t }))));
    state.addEventListener('change', () => { this.opts.state = /** @type {any} */ (state.value); this.schedule(true); });
    /** the departments of the chats on show: a filter appears once there is one */
    this.team = /** @type {HTMLSelectElement} */ (el('select', { 'aria-label': 'Department', hidden: true }));
    this.team.addEventListener('change', () => { this.opts.team = /** @type {HTMLSelectElement} */ (this.team).value; this.schedule(true); });
    this.head = el('tr', { 'aria-rowindex': '1' });
    this.body = /** @type {HTMLTableSectionElement} */ (el('tbody'));
    this.body.addEventListener('contextmenu', (e) => this.onContext(e));
    this.body.addEventListener('keydown', (e) => this.onKey(e));
    this.body.addEventListener('click', (e) => this.focusRow(/** @type {HTMLElement} */ (e.target).closest('tr')));
    this.empty = el('div', { class: 'empty-state', hidden: true },
      icon('globe', 40), el('h3', { text: 'No visitors on your website right now' }),
      el('p', { class: 'muted', text: 'Visitors appear here live as soon as they open a page with the chat widget.' }));
    const table = /** @type {HTMLTableElement} */ (el('table', { class: 'visitors', 'aria-label': 'Visitors on the website',
      'aria-describedby': 'visitors-hint' }, el('thead', null, this.head), this.body));
    const wrap = el('div', { class: 'table-wrap' }, table, this.empty);
    wrap.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.grid = new VisitorBody(table, this.body, wrap);
    // Administrators' screens, in one menu (four buttons crowded the header at 1024 px).
    this.manageButton = el('button', { type: 'button', class: 'ghost', hidden: true, 'aria-haspopup': 'menu',
      title: 'Agents, departments, skills, visitor rules and bans (administrators)', onclick: () => this.openManage() },
    icon('settings', 16), 'Manage');
    this.replaceChildren(
      el('header', { class: 'page-head' }, el('h1', { text: 'Visitors' }), this.count, el('div', { class: 'spacer' }), search, state, this.team,
        this.manageButton),
      wrap,
      el('p', { id: 'visitors-hint', class: 'sr-only', text: 'Use the arrow keys to move between visitors and Shift+F10 for actions.' }));
    this.renderHead();
    this.running = new Running(() => [
      store.subscribe((what) => {
        if (what.has(Topic.VISITORS) || what.has(Topic.PAGE) || what.has(Topic.INSTANCES)) this.schedule(true);
        if (what.has(Topic.PAGE) || what.has(Topic.INSTANCES)) this.showAdmin();
      }),
      every(1000, () => { if (!this.hidden) refreshTimes(this.grid?.rows ?? new Map(), Date.now()); }),
      observeSize(wrap, () => this.schedule()),
    ]);
    this.schedule(true);
  }

  connectedCallback() { this.running?.start(); this.showAdmin(); }

  /** The department filter lists the departments of the chats going on (kept while one is chosen).
   * @param {import('../../shared/protocol.js').Visitor[]} visitors */
  renderTeams(visitors) {
    const select = /** @type {HTMLSelectElement} */ (this.team);
    const titles = [...new Set(visitors.filter((v) => v.online).map(teamOf).filter(Boolean))];
    if (this.opts.team && !titles.includes(this.opts.team)) titles.push(this.opts.team);
    titles.sort((a, b) => a.localeCompare(b));
    const sig = titles.join('\u0001');
    select.hidden = !titles.length;
    if (select.dataset.sig === sig) return;
    select.dataset.sig = sig;
    select.replaceChildren(el('option', { value: '', text: 'All departments' }), ...titles.map((t) => el('option', { value: t, text: t })));
    select.value = this.opts.team;
  }

  /** The Bans button is for administrators of the server on show. */
  showAdmin() {
    const admin = this.store?.current?.me?.role?.type === 'ADMIN';
    if (this.manageButton) this.manageButton.hidden = !admin;
  }

  disconnectedCallback() {
    this.running?.stop();
    if (this.pending) cancelAnimationFrame(this.pending);
    this.pending = 0;
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
    this.stale = true;
    this.render();
  }

  /** Coalesce bursts of updates (and scrolling) into one render per frame. @param {boolean} [stale] the list changed */
  schedule(stale = false) {
    if (stale) this.stale = true;
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => { this.pending = 0; this.render(); });
  }

  render() {
    const grid = /** @type {VisitorBody} */ (this.grid);
    const now = Date.now();
    if (this.stale) {
      this.stale = false;
      const inst = this.store?.current;
      this.renderTeams(inst ? [...inst.visitors.values()] : []);
      const list = inst ? visibleRows(inst.visitors.values(), this.opts, now) : [];
      grid.setList(list);
      let total = 0;
      if (inst) for (const v of inst.visitors.values()) if (v.online) total += 1;
      this.renderCount(list.length, total);
    }
    grid.draw(now);
  }

  /** @param {number} shown @param {number} total */
  renderCount(shown, total) {
    /** @type {HTMLElement} */ (this.count).textContent = `${shown}${shown !== total ? ` of ${total}` : ''} online`;
    const empty = /** @type {HTMLElement} */ (this.empty);
    empty.hidden = shown > 0;
    const [title, hint] = total
      ? ['No visitors match', 'Clear the filter or pick another chat state to see everyone.']
      : ['No visitors on your website right now', 'Visitors appear here live as soon as they open a page with the chat widget.'];
    if (empty.children[1]?.textContent !== title) { empty.children[1].textContent = title; empty.children[2].textContent = hint; }
  }

  /** @param {HTMLElement|null} tr */
  focusRow(tr) {
    const grid = /** @type {VisitorBody} */ (this.grid);
    const at = tr?.dataset.id ? grid.index.get(Number(tr.dataset.id)) : undefined;
    if (at !== undefined) grid.focusIndex(at, Date.now());
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
    const grid = /** @type {VisitorBody} */ (this.grid);
    const at = grid.index.get(Number(tr.dataset.id));
    if (at === undefined) return;
    const page = grid.pageSize();
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, PageDown: at + page, PageUp: at - page, Home: 0, End: grid.list.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    grid.focusIndex(to, Date.now());
  }

  /** @param {MouseEvent} e */
  onContext(e) {
    const tr = /** @type {HTMLElement} */ (e.target).closest('tr');
    if (!tr) return;
    e.preventDefault();
    this.focusRow(tr);
    this.openMenu(tr, e.clientX, e.clientY);
  }

  openManage() {
    const button = /** @type {HTMLElement} */ (this.manageButton);
    const r = button.getBoundingClientRect();
    const go = (/** @type {import('../state/names.js').IntentName} */ name) => () => emit(this, name, {});
    this.menu?.open(r.left, r.bottom + 4, [
      { label: 'Agents…', icon: icon('users', 16), run: go(Intent.SHOW_AGENTS) },
      { label: 'Departments…', icon: icon('users', 16), run: go(Intent.SHOW_DEPARTMENTS) },
      { label: 'Skills…', icon: icon('star', 16), run: go(Intent.SHOW_SKILLS) },
      { label: 'Visitor rules…', icon: icon('bolt', 16), run: go(Intent.SHOW_RULES) },
      { label: 'Bans…', icon: icon('ban', 16), run: go(Intent.SHOW_BANS) },
    ], 'Manage', button);
  }

  /** @param {HTMLElement} tr @param {number} x @param {number} y */
  openMenu(tr, x, y) {
    const inst = this.store?.current;
    const v = inst?.visitors.get(Number(tr.dataset.id));
    if (!inst || !v) return;
    const live = v.conversation_id != null && (v.chat_status === 'OPEN' || v.chat_status === 'NEW');
    const conv = v.conversation_id != null ? inst.cases.get(v.conversation_id) : null;
    const inIt = conv ? inst.myRole(conv) !== null : false;
    const go = (/** @type {import('../state/names.js').IntentName} */ name, /** @type {any} */ extra = {}) => () => emit(this, name, { visitor: v, ...extra });
    this.menu?.open(x, y, [
      { label: 'Invite to chat', icon: icon('chat', 16), disabled: live, run: go(Intent.VISITOR_INVITE) },
      { label: 'Join', heading: true },
      { label: inIt ? 'Open chat' : 'Join Chat', icon: icon('users', 16), disabled: !live, run: go(Intent.VISITOR_JOIN, { role: 'PARTICIPANT' }) },
      { label: 'Join Chat as Observer', icon: icon('eye', 16), disabled: !live || inIt, run: go(Intent.VISITOR_JOIN, { role: 'OBSERVER' }) },
      { label: '', heading: true },
      { label: 'Footprints', icon: icon('footprints', 16), run: go(Intent.VISITOR_FOOTPRINTS) },
      { label: 'Notes…', icon: icon('note', 16), run: go(Intent.VISITOR_NOTES) },
      { label: 'Ban…', icon: icon('ban', 16), run: go(Intent.VISITOR_BAN) },
    ], `Actions for ${v.name}`, tr);
  }
}

customElements.define('visitors-page', VisitorsPageElement);
