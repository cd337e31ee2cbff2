// @ts-check
/** <status-menu>: my availability on the current server (Online / Away / Busy / Invisible). */
import { el, emit } from './dom.js';
import { Intent, Topic } from '../state/names.js';
import { Running } from './running.js';

const STATUSES = [
  ['ONLINE', 'Online', 'Receive chat requests'],
  ['AWAY', 'Away', 'No new requests'],
  ['BUSY', 'Busy', 'No new requests'],
  ['INVISIBLE', 'Invisible', 'Hidden from visitors and colleagues'],
];

export class StatusMenuElement extends HTMLElement {
  /** @param {import('../state/app-store.js').AppStore} store */
  setup(store) {
    this.store = store;
    this.button = el('button', { class: 'status-button', type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false',
      onclick: () => this.toggle() });
    this.menu = el('div', { class: 'menu status-list', role: 'menu', 'aria-label': 'My status', hidden: true });
    this.menu.addEventListener('keydown', (e) => this.onKey(e));
    this.addEventListener('focusout', (e) => { if (!this.contains(/** @type {Node} */ (e.relatedTarget))) this.close(); });
    this.replaceChildren(this.button, this.menu);
    this.running = new Running(() => [store.subscribe((what) => { if (what.has(Topic.AGENTS) || what.has(Topic.INSTANCES)) this.render(); })]);
    this.render();
  }

  connectedCallback() { this.running?.start(); }
  disconnectedCallback() { this.running?.stop(); }

  render() {
    const inst = this.store?.current;
    const me = inst?.me;
    const status = me?.status ?? 'OFFLINE';
    this.hidden = !inst || !me;
    const name = me?.full_name ?? '';
    // Agents' events come with every chat change: draw again only when my name or status changed.
    if (this.drawn === `${name}:${status}`) return;
    this.drawn = `${name}:${status}`;
    this.button?.replaceChildren(
      el('span', { class: 'avatar small', 'aria-hidden': 'true', text: name ? name[0].toUpperCase() : '?' }),
      el('span', { class: `presence ${status.toLowerCase()}`, 'aria-hidden': 'true' }),
      el('span', { class: 'status-text' }, el('span', { class: 'me-name', text: name }),
        el('span', { class: 'me-status', text: label(status) })));
    this.button?.setAttribute('aria-label', `My status: ${label(status)}. Change status`);
    this.menu?.replaceChildren(...STATUSES.map(([value, text, hint]) => el('button', {
      type: 'button', role: 'menuitemradio', 'aria-checked': String(value === status), tabindex: '-1',
      onclick: () => { this.close(); emit(this, Intent.SET_STATUS, value); },
    }, el('span', { class: `presence ${value.toLowerCase()}`, 'aria-hidden': 'true' }),
    el('span', { class: 'item-text' }, el('span', { text }), el('small', { text: hint })))));
  }

  toggle() {
    if (this.menu?.hidden) this.open(); else this.close();
  }

  open() {
    if (!this.menu) return;
    this.menu.hidden = false;
    this.button?.setAttribute('aria-expanded', 'true');
    const items = /** @type {HTMLElement[]} */ ([...this.menu.querySelectorAll('[role^="menuitem"]')]);
    (items.find((i) => i.getAttribute('aria-checked') === 'true') ?? items[0])?.focus();
  }

  close() {
    if (!this.menu || this.menu.hidden) return;
    const inside = this.menu.contains(document.activeElement);
    this.menu.hidden = true;
    this.button?.setAttribute('aria-expanded', 'false');
    if (inside) this.button?.focus();
  }

  /** @param {KeyboardEvent} e */
  onKey(e) {
    const items = /** @type {HTMLElement[]} */ ([...(this.menu?.querySelectorAll('[role^="menuitem"]') ?? [])]);
    const at = items.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    if (e.key === 'Escape') { e.preventDefault(); this.close(); return; }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(at + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length]?.focus();
    }
  }
}

/** @param {string} status */
function label(status) {
  return status[0] + status.slice(1).toLowerCase();
}

customElements.define('status-menu', StatusMenuElement);
