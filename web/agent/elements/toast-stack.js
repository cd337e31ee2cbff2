// @ts-check
/**
 * <toast-stack>: short confirmations and errors, announced politely, shown at the top centre (over the top
 * bar's empty middle: never over the chat list or the reply box). Confirmations go after ~4 s, errors after
 * ~10 s or when closed; at most three show, a new one replacing the oldest. While the pointer or focus is
 * on the stack it spreads out (styles) and every toast waits, so they can be read and closed.
 */
import { el } from './dom.js';

const LIFETIME_MS = { success: 4000, info: 6000, error: 10000 };
const MAX_SHOWN = 3;
/** Time left after a pause, at least: the agent who just looked away gets a moment to look back. */
const AFTER_PAUSE_MS = 1500;

export class ToastStackElement extends HTMLElement {
  connectedCallback() {
    if (this.timers) { this.release('detached'); return; }
    this.setAttribute('role', 'status');
    this.setAttribute('aria-live', 'polite');
    /** @type {Map<Element, {left: number, since: number, timer: number}>} */
    this.timers = new Map();
    /** @type {Set<string>} why the toasts wait (pointer, focus) */
    this.holds = new Set();
    this.addEventListener('pointerenter', () => this.hold('pointer'));
    this.addEventListener('pointerleave', () => this.release('pointer'));
    this.addEventListener('focusin', () => this.hold('focus'));
    this.addEventListener('focusout', (e) => { if (!this.contains(/** @type {Node|null} */ (e.relatedTarget))) this.release('focus'); });
  }

  /** Out of the page, every toast waits (its timer stopped) until the stack is back. */
  disconnectedCallback() { this.hold('detached'); }

  /**
   * @param {string} text @param {'info'|'error'|'success'} [kind]
   * @param {{sticky?: boolean}} [opts] sticky: stays until closed (a problem the agent must act on)
   */
  show(text, kind = 'info', opts = {}) {
    const toast = el('div', { class: `toast ${kind}${opts.sticky ? ' sticky' : ''}` }, el('span', { text }),
      el('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', text: '×', onclick: () => this.dismiss(toast) }));
    this.append(toast);
    const passing = () => [...this.children].filter((t) => !t.classList.contains('sticky'));
    while (this.children.length > MAX_SHOWN && passing().length) this.dismiss(/** @type {Element} */ (passing()[0]));
    if (opts.sticky) return;
    const state = { left: LIFETIME_MS[kind] ?? LIFETIME_MS.info, since: Date.now(), timer: 0 };
    this.timers?.set(toast, state);
    if (!this.holds?.size) state.timer = window.setTimeout(() => this.dismiss(toast), state.left);
  }

  /** @param {Element} toast */
  dismiss(toast) {
    clearTimeout(this.timers?.get(toast)?.timer);
    this.timers?.delete(toast);
    const hadFocus = toast.contains(document.activeElement);
    toast.remove();
    // A removed element sends no focusout / pointerleave: let go of what it held.
    if (hadFocus) this.release('focus');
    if (!this.children.length) this.release('pointer');
  }

  /** @param {string} why */
  hold(why) {
    if (!this.holds?.size) {
      const now = Date.now();
      for (const state of this.timers?.values() ?? []) { clearTimeout(state.timer); state.left -= now - state.since; }
    }
    this.holds?.add(why);
  }

  /** @param {string} why */
  release(why) {
    if (!this.holds?.delete(why) || this.holds.size) return;
    const now = Date.now();
    for (const [toast, state] of this.timers ?? []) {
      state.since = now;
      state.left = Math.max(AFTER_PAUSE_MS, state.left);
      state.timer = window.setTimeout(() => this.dismiss(toast), state.left);
    }
  }
}

customElements.define('toast-stack', ToastStackElement);
