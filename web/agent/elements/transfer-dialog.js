// @ts-check
/** <transfer-dialog>: pick an online colleague to hand the chat to; resolves with their id or null. */
import { initials } from '../../shared/format.js';
import { el } from './dom.js';

export class TransferDialogElement extends HTMLElement {
  connectedCallback() {
    if (this.dialog) return;
    this.list = el('div', { class: 'agent-pick', role: 'radiogroup', 'aria-labelledby': 'tr-title' });
    this.ok = /** @type {HTMLButtonElement} */ (el('button', { type: 'submit', class: 'primary', text: 'Transfer' }));
    const form = el('form', { class: 'dialog-body' },
      el('h2', { id: 'tr-title', text: 'Transfer chat' }),
      el('p', { class: 'muted', text: 'The chat rings the colleague you pick. You stay in it until they accept.' }),
      this.list,
      el('div', { class: 'dialog-actions' },
        el('button', { type: 'button', class: 'ghost', text: 'Cancel', onclick: () => this.finish(null) }), this.ok));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const picked = /** @type {HTMLInputElement|null} */ (form.querySelector('input[name="agent"]:checked'));
      this.finish(picked ? Number(picked.value) : null);
    });
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog small', 'aria-labelledby': 'tr-title' }, form));
    this.dialog.addEventListener('cancel', () => this.finish(null));
    this.append(this.dialog);
  }

  /** @param {Promise<import('../../shared/protocol.js').Agent[]>} loading @param {number|undefined} meId @returns {Promise<number|null>} */
  async pick(loading, meId) {
    this.list?.replaceChildren(el('p', { class: 'muted', text: 'Loading agents…' }));
    this.dialog?.showModal();
    const done = new Promise((resolve) => { this.resolve = resolve; });
    try {
      const agents = (await loading).filter((a) => a.id !== meId && a.status === 'ONLINE');
      const ok = /** @type {HTMLButtonElement} */ (this.ok);
      ok.disabled = !agents.length;
      if (!agents.length) {
        this.list?.replaceChildren(el('p', { class: 'muted', text: 'No other agent is online right now.' }));
      } else {
        this.list?.replaceChildren(...agents.map((a, i) => el('label', { class: 'agent-option' },
          el('input', { type: 'radio', name: 'agent', value: String(a.id), checked: i === 0 }),
          el('span', { class: 'avatar small', 'aria-hidden': 'true', text: initials(a.full_name) }),
          el('span', { class: 'agent-name', text: a.full_name }),
          el('small', { class: 'muted', text: `${a.active_chats}/${a.max_chats} chats` }))));
        /** @type {HTMLElement|null|undefined} */ (this.list?.querySelector('input'))?.focus();
      }
    } catch (err) {
      this.list?.replaceChildren(el('p', { class: 'form-error', role: 'alert', text: err instanceof Error ? err.message : String(err) }));
    }
    return /** @type {Promise<number|null>} */ (done);
  }

  /** @param {number|null} value */
  finish(value) {
    if (this.dialog?.open) this.dialog.close();
    this.resolve?.(value);
    this.resolve = null;
  }
}

customElements.define('transfer-dialog', TransferDialogElement);
