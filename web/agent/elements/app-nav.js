// @ts-check
/** <app-nav>: the left rail — Visitors, Chats (unread count), History — plus settings and help. */
import { el, emit, reconcile } from './dom.js';
import { icon } from '../../shared/icons.js';
import { Intent, Topic } from '../state/names.js';
import { Running } from './running.js';

const PAGES = /** @type {const} */ ([['visitors', 'Visitors', 'users', '1'], ['chats', 'Chats', 'chat', '2'], ['history', 'History', 'history', '3'],
  ['team', 'Team', 'staff', '4'], ['dashboard', 'Dashboard', 'bolt', '5']]);

export class AppNavElement extends HTMLElement {
  constructor() {
    super();
    /** @type {Map<string, {node: Element, sig: string}>} */
    this.buttons = new Map();
  }

  /** @param {import('../state/app-store.js').AppStore} store */
  setup(store) {
    this.store = store;
    this.nav = el('nav', { 'aria-label': 'Main' });
    const help = el('button', { type: 'button', class: 'rail-item help', 'aria-label': 'Keyboard shortcuts', title: 'Keyboard shortcuts (?)',
      onclick: () => emit(this, Intent.SHOW_HELP) }, icon('keyboard', 20));
    const settings = el('button', { type: 'button', class: 'rail-item help', 'aria-label': 'Settings', title: 'Settings',
      onclick: () => emit(this, Intent.SHOW_SETTINGS) }, icon('settings', 20));
    this.replaceChildren(this.nav, settings, help);
    this.running = new Running(() => [store.subscribe((what) => { if (what.has(Topic.PAGE) || what.has(Topic.BADGES) || what.has(Topic.CHATS) || what.has(Topic.VISITORS) || what.has(Topic.INSTANCES) || what.has(Topic.STAFF)) this.render(); })]);
    this.render();
  }

  connectedCallback() { this.running?.start(); }
  disconnectedCallback() { this.running?.stop(); }

  render() {
    const store = /** @type {import('../state/app-store.js').AppStore} */ (this.store);
    const inst = store.current;
    const counts = {
      visitors: inst ? [...inst.visitors.values()].filter((v) => v.online).length : 0,
      chats: inst ? inst.myChats().reduce((n, c) => n + (inst.unread.get(c.id) ?? 0), 0) : 0,
      history: 0,
      team: inst ? inst.staffUnread() : 0,
      dashboard: 0,
    };
    const admin = Boolean(inst?.me?.role?.can_supervise);  // the dashboard is for supervisors and administrators
    // Counts change with every message: only the button whose count or state changed is rebuilt.
    reconcile(/** @type {HTMLElement} */ (this.nav), this.buttons, PAGES.filter(([page]) => page !== 'dashboard' || admin),
      ([page]) => [page, `${store.page === page}:${counts[page]}`], ([page, label, ic, key]) => {
      const n = counts[page];
      const current = store.page === page;
      return el('button', { type: 'button', class: `rail-item${current ? ' current' : ''}`, 'aria-current': current ? 'page' : null,
        title: `${label} (Alt+${key})`, 'aria-label': `${label}${n ? ` (${n}${page === 'visitors' ? ' online' : ' unread'})` : ''}`,
        onclick: () => store.setPage(page) },
      icon(ic, 20), el('span', { class: 'rail-label', text: label }),
      n ? el('span', { class: `badge${page === 'visitors' ? ' quiet' : ''}`, 'aria-hidden': 'true', text: String(n) }) : null);
    });
  }
}

customElements.define('app-nav', AppNavElement);
