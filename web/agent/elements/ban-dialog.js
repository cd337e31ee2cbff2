// @ts-check
/**
 * <ban-dialog>: ban a visitor's address or the network around it, with a reason and how long it lasts.
 * Shows the exact network (CIDR) each choice bans; the visitor is told only that chat is not available.
 * Stays open with the server's reason when the ban is refused; resolves with the ban, or null if cancelled.
 */
import { el } from './dom.js';
import { ModalElement } from './modal.js';
import { BAN_LENGTHS, banScopes } from '../state/bans.js';

export class BanDialogElement extends ModalElement {
  connectedCallback() {
    if (this.dialog) return;
    this.heading = el('h2', { id: 'ban-title' });
    this.scopes = el('fieldset', { class: 'choice-list' });
    this.reason = /** @type {HTMLTextAreaElement} */ (el('textarea', { id: 'ban-reason', name: 'reason', rows: 2, maxlength: 500,
      placeholder: 'Abusive language, spam…' }));
    this.length = /** @type {HTMLSelectElement} */ (el('select', { id: 'ban-length', name: 'expires_in' },
      ...BAN_LENGTHS.map(([seconds, text]) => el('option', { value: seconds === null ? '' : String(seconds), text }))));
    this.error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    this.ok = /** @type {HTMLButtonElement} */ (el('button', { type: 'submit', class: 'danger', text: 'Ban' }));
    const form = /** @type {HTMLFormElement} */ (el('form', { class: 'dialog-body' },
      this.heading,
      el('p', { class: 'muted', text: 'Their chats end now. From there, the chat widget only says “Chat is not available right now.”' }),
      this.scopes,
      el('div', { class: 'field' }, el('label', { for: 'ban-reason', text: 'Reason (staff only)' }), this.reason),
      el('div', { class: 'field' }, el('label', { for: 'ban-length', text: 'Lasts' }), this.length),
      this.error,
      el('div', { class: 'dialog-actions' },
        el('button', { type: 'button', class: 'ghost', text: 'Cancel', onclick: () => this.finish(null) }), this.ok)));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog small', 'aria-labelledby': 'ban-title' }, form));
    this.dialog.addEventListener('cancel', () => this.finish(null));
    this.append(this.dialog);
  }

  /**
   * @param {{visitorId: number, visitorName: string, ip: string|null|undefined,
   *   send: (body: {visitor_id: number, prefix: number, reason: string, expires_in: number|null}) => Promise<any>}} opts
   * @returns {Promise<any>} the ban made, or null
   */
  open(opts) {
    this.opts = opts;
    /** @type {HTMLElement} */ (this.heading).textContent = `Ban ${opts.visitorName}`;
    const scopes = banScopes(opts.ip);
    const box = /** @type {HTMLElement} */ (this.scopes);
    box.replaceChildren(el('legend', { text: 'What to ban' }), ...(scopes.length ? scopes.map((s, i) => el('label', { class: 'choice' },
      el('input', { type: 'radio', name: 'ban-scope', value: String(s.prefix), checked: i === 0 }),
      el('span', { text: s.label }), el('code', { text: s.network }))) : [el('p', { class: 'muted', text: 'This visitor’s address is not known.' })]));
    /** @type {HTMLTextAreaElement} */ (this.reason).value = '';
    /** @type {HTMLSelectElement} */ (this.length).value = '86400';
    /** @type {HTMLButtonElement} */ (this.ok).disabled = !scopes.length;
    this.showError('');
    this.busy(false);
    return this.openModal(/** @type {HTMLElement|null} */ (box.querySelector('input:checked')) ?? this.ok);
  }

  /** @param {boolean} on */
  busy(on) {
    const ok = /** @type {HTMLButtonElement} */ (this.ok);
    ok.disabled = on;
    ok.textContent = on ? 'Banning…' : 'Ban';
  }

  async submit() {
    const opts = this.opts;
    const picked = /** @type {HTMLInputElement|null} */ (this.scopes?.querySelector('input:checked'));
    if (!opts || !picked) return;
    const seconds = /** @type {HTMLSelectElement} */ (this.length).value;
    this.busy(true);
    try {
      const ban = await opts.send({ visitor_id: opts.visitorId, prefix: Number(picked.value),
        reason: /** @type {HTMLTextAreaElement} */ (this.reason).value.trim(), expires_in: seconds ? Number(seconds) : null });
      this.finish(ban);
    } catch (err) {
      this.busy(false);
      this.showError(err instanceof Error ? err.message : String(err));
    }
  }
}

customElements.define('ban-dialog', BanDialogElement);
