// @ts-check
/** <instance-tabs>: one tab per chat server with a status dot and an attention count, plus "Add". */
import { el, emit, reconcile } from './dom.js';
import { icon } from '../../shared/icons.js';
import { Intent, Topic } from '../state/names.js';
import { Running } from './running.js';

/** @type {Record<string, string>} */
const STATUS_LABEL = { online: 'Connected', connecting: 'Connecting…', offline: 'Reconnecting…', auth_failed: 'Sign-in failed' };

export class InstanceTabsElement extends HTMLElement {
  constructor() {
    super();
    /** @type {Map<string, {node: Element, sig: string}>} */
    this.tabs = new Map();
  }

  /** @param {import('../state/app-store.js').AppStore} store */
  setup(store) {
    this.store = store;
    this.list = el('div', { class: 'tablist', role: 'tablist', 'aria-label': 'Chat servers' });
    this.list.addEventListener('keydown', (e) => this.onKey(e));
    this.list.addEventListener('contextmenu', (e) => this.onMenu(e, e.clientX, e.clientY));
    const add = el('button', { class: 'tab-add', type: 'button', title: 'Add a chat server', 'aria-label': 'Add a chat server',
      onclick: () => emit(this, Intent.ADD_INSTANCE) }, icon('plus', 16));
    this.replaceChildren(this.list, add);
    this.running = new Running(() => [store.subscribe((what) => { if (what.has(Topic.INSTANCES) || what.has(Topic.BADGES)) this.render(); })]);
    this.render();
  }

  connectedCallback() { this.running?.start(); }
  disconnectedCallback() { this.running?.stop(); }

  render() {
    const store = /** @type {import('../state/app-store.js').AppStore} */ (this.store);
    const current = store.current;
    const hadFocus = this.list?.contains(document.activeElement);
    reconcile(/** @type {HTMLElement} */ (this.list), this.tabs, store.instances, (inst) => [inst.id,
      JSON.stringify([inst.status, inst.attention(), inst === current, inst.info.name, inst.info.url, inst.info.error])], (inst) => {
      const status = inst.status ?? 'connecting';
      const count = inst.attention();
      const selected = inst === current;
      const label = `${inst.info.name || inst.info.url}: ${STATUS_LABEL[status] ?? status}${count ? `, ${count} waiting` : ''}`;
      return el('button', {
        class: `tab${selected ? ' selected' : ''}`, role: 'tab', type: 'button', 'aria-selected': String(selected),
        tabindex: selected ? '0' : '-1', 'aria-label': label, title: inst.info.error || inst.info.url,
        dataset: { id: inst.id }, onclick: () => store.selectInstance(inst.id),
      },
      el('span', { class: `dot ${status}`, 'aria-hidden': 'true' }),
      el('span', { class: 'tab-name', text: inst.info.name || hostOf(inst.info.url) }),
      count ? el('span', { class: 'badge', 'aria-hidden': 'true', text: count > 99 ? '99+' : String(count) }) : null);
    });
    // A tab rebuilt under the keyboard focus hands it to the selected tab.
    if (hadFocus && !this.list?.contains(document.activeElement)) /** @type {HTMLElement|null} */ (this.list?.querySelector('[aria-selected="true"]'))?.focus();
  }

  /** Right-click, Shift+F10 or the ContextMenu key on a tab: rename / remove. @param {Event} e @param {number} x @param {number} y */
  onMenu(e, x, y) {
    const tab = /** @type {HTMLElement} */ (e.target).closest('[role="tab"]');
    if (!(tab instanceof HTMLElement)) return;
    e.preventDefault();
    emit(this, Intent.TAB_MENU, { id: tab.dataset.id, x, y, tab });
  }

  /** Arrow keys move between tabs (the WAI-ARIA tabs pattern). @param {KeyboardEvent} e */
  onKey(e) {
    const tabs = /** @type {HTMLElement[]} */ ([...(this.list?.querySelectorAll('[role="tab"]') ?? [])]);
    const at = tabs.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    if (at < 0) return;
    if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      const r = tabs[at].getBoundingClientRect();
      this.onMenu(e, r.left, r.bottom + 4);
      return;
    }
    let next = -1;
    if (e.key === 'ArrowRight') next = (at + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (at - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    this.store?.selectInstance(tabs[next].dataset.id ?? '');
  }
}

/** @param {string} url */
function hostOf(url) {
  try { return new URL(url).host; } catch { return url; }
}

customElements.define('instance-tabs', InstanceTabsElement);
