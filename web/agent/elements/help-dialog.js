// @ts-check
/** <help-dialog>: the keyboard shortcuts. */
import { el } from './dom.js';

export const SHORTCUTS = [
  ['Alt+A', 'Accept the ringing chat request, from anywhere'],
  ['Alt+D', 'Decline the ringing chat request, from anywhere'],
  ['Enter / Esc', 'Accept / decline the request card that has focus (and in the desktop pop-up)'],
  ['Alt+↓ / Alt+↑', 'Next / previous open chat'],
  ['Alt+E', 'End the current chat'],
  ['Alt+1 / 2 / 3 / 4 / 5', 'Visitors / Chats / History / Team / Dashboard (administrators)'],
  ['Shift+F10 or ☰ key', 'Context menu for the selected visitor'],
  ['/', 'In the reply box: search canned responses'],
  ['Enter / Shift+Enter', 'Send / new line'],
  ['?', 'This help'],
];

export class HelpDialogElement extends HTMLElement {
  connectedCallback() {
    if (this.dialog) return;
    const rows = SHORTCUTS.map(([keys, what]) => el('tr', null,
      el('th', { scope: 'row' }, ...keys.split(' / ').flatMap((k, i) => [i ? ' / ' : '', el('kbd', { text: k })])),
      el('td', { text: what })));
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog wide', 'aria-labelledby': 'help-title' },
      el('div', { class: 'dialog-body' },
        el('h2', { id: 'help-title', text: 'Keyboard shortcuts' }),
        el('table', { class: 'shortcuts' }, el('tbody', null, ...rows)),
        el('div', { class: 'dialog-actions' },
          el('button', { type: 'button', class: 'primary', text: 'Close', onclick: () => this.dialog?.close() })))));
    this.append(this.dialog);
  }

  open() {
    this.dialog?.showModal();
  }
}

customElements.define('help-dialog', HelpDialogElement);
