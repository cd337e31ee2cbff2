// @ts-check
/** <context-menu>: a floating menu (role=menu) opened at a point; arrow keys, Escape, click outside. */
import { el } from './dom.js';
import { Running, listen } from './running.js';

/** @typedef {{label: string, run?: () => void, disabled?: boolean, heading?: boolean, icon?: Node}} MenuItem */

export class ContextMenuElement extends HTMLElement {
  connectedCallback() {
    if (this.menu) { this.running?.start(); return; }
    this.menu = el('div', { class: 'menu context', role: 'menu', hidden: true });
    this.menu.addEventListener('keydown', (e) => this.onKey(e));
    this.append(this.menu);
    this.running = new Running(() => [
      listen(document, 'pointerdown', (e) => { if (!this.menu?.contains(/** @type {Node} */ (e.target))) this.close(false); }),
      listen(window, 'blur', () => this.close(false)),
      listen(window, 'resize', () => this.close(false)),
    ]);
  }

  disconnectedCallback() { this.running?.stop(); }

  /** @param {number} x @param {number} y @param {MenuItem[]} items @param {string} label @param {HTMLElement|null} returnFocus */
  open(x, y, items, label, returnFocus) {
    const menu = /** @type {HTMLElement} */ (this.menu);
    this.returnFocus = returnFocus;
    menu.setAttribute('aria-label', label);
    menu.replaceChildren(...items.map((item) => {
      if (item.heading) return el('div', { class: 'menu-heading', role: 'presentation', text: item.label });
      return el('button', {
        type: 'button', role: 'menuitem', tabindex: '-1', 'aria-disabled': item.disabled ? 'true' : null,
        onclick: () => { if (item.disabled) return; this.close(true); item.run?.(); },
      }, item.icon ?? null, el('span', { text: item.label }));
    }));
    menu.hidden = false;
    const { innerWidth: w, innerHeight: h } = window;
    const r = menu.getBoundingClientRect();
    menu.style.left = `${Math.max(4, Math.min(x, w - r.width - 4))}px`;
    menu.style.top = `${Math.max(4, Math.min(y, h - r.height - 4))}px`;
    (this.items().find((i) => i.getAttribute('aria-disabled') !== 'true') ?? this.items()[0])?.focus();
  }

  items() {
    return /** @type {HTMLElement[]} */ ([...(this.menu?.querySelectorAll('[role="menuitem"]') ?? [])]);
  }

  /** @param {boolean} restoreFocus */
  close(restoreFocus = true) {
    if (!this.menu || this.menu.hidden) return;
    this.menu.hidden = true;
    if (restoreFocus) this.returnFocus?.focus();
  }

  /** @param {KeyboardEvent} e */
  onKey(e) {
    const items = this.items();
    const at = items.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    const move = { ArrowDown: 1, ArrowUp: -1 }[e.key];
    if (move) {
      e.preventDefault();
      items[(at + move + items.length) % items.length]?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      items[e.key === 'Home' ? 0 : items.length - 1]?.focus();
    } else if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      this.close(true);
    }
  }
}

customElements.define('context-menu', ContextMenuElement);
