// @ts-check
/** <toast-stack>: short confirmations and errors, announced politely, dismissed after a few seconds. */
import { el } from './dom.js';

export class ToastStackElement extends HTMLElement {
  connectedCallback() {
    this.setAttribute('role', 'status');
    this.setAttribute('aria-live', 'polite');
  }

  /** @param {string} text @param {'info'|'error'|'success'} [kind] */
  show(text, kind = 'info') {
    const toast = el('div', { class: `toast ${kind}` }, el('span', { text }),
      el('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', text: '×', onclick: () => toast.remove() }));
    this.append(toast);
    setTimeout(() => toast.remove(), kind === 'error' ? 8000 : 4000);
  }
}

customElements.define('toast-stack', ToastStackElement);
