// @ts-check
/**
 * <transcript-dialog>: e-mail a chat's transcript (what the visitor saw) to the visitor and/or other
 * addresses. Stays open with the server's reason when sending fails (no e-mail set up, a mail server that
 * refused, a bad address); resolves with the answer once the mail server took it, or null if cancelled.
 */
import { el } from './dom.js';
import { ModalElement } from './modal.js';

const ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export class TranscriptDialogElement extends ModalElement {
  connectedCallback() {
    if (this.dialog) return;
    this.toVisitor = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', id: 'tx-visitor', name: 'to_visitor' }));
    this.visitorLabel = el('label', { for: 'tx-visitor' });
    this.others = /** @type {HTMLInputElement} */ (el('input', { type: 'text', id: 'tx-others', name: 'emails', autocomplete: 'email',
      placeholder: 'you@example.com, colleague@example.com' }));
    this.error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    this.ok = /** @type {HTMLButtonElement} */ (el('button', { type: 'submit', class: 'primary', text: 'Send transcript' }));
    const form = /** @type {HTMLFormElement} */ (el('form', { class: 'dialog-body' },
      el('h2', { id: 'tx-title', text: 'E-mail transcript' }),
      el('p', { class: 'muted', text: 'Everything the visitor saw in this chat, as an e-mail. Internal notes are never included.' }),
      el('div', { class: 'check-field' }, this.toVisitor, this.visitorLabel),
      el('div', { class: 'field' }, el('label', { for: 'tx-others', text: 'Also send to' }), this.others,
        el('small', { class: 'muted', text: 'E-mail addresses, separated by commas' })),
      this.error,
      el('div', { class: 'dialog-actions' },
        el('button', { type: 'button', class: 'ghost', text: 'Cancel', onclick: () => this.finish(null) }), this.ok)));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    this.others.addEventListener('input', () => this.showError(''));
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog small', 'aria-labelledby': 'tx-title' }, form));
    this.dialog.addEventListener('cancel', () => this.finish(null));
    this.append(this.dialog);
  }

  /**
   * @param {{visitorName: string, visitorEmail: string|null|undefined,
   *   send: (body: {to_visitor: boolean, emails: string[]}) => Promise<any>}} opts
   * @returns {Promise<any>} the server's answer (recipients), or null
   */
  open(opts) {
    this.send = opts.send;
    const toVisitor = /** @type {HTMLInputElement} */ (this.toVisitor);
    toVisitor.disabled = !opts.visitorEmail;
    toVisitor.checked = Boolean(opts.visitorEmail);
    /** @type {HTMLElement} */ (this.visitorLabel).textContent = opts.visitorEmail
      ? `Send to ${opts.visitorName} (${opts.visitorEmail})`
      : `${opts.visitorName} left no e-mail address`;
    /** @type {HTMLInputElement} */ (this.others).value = '';
    this.showError('');
    this.busy(false);
    return this.openModal(opts.visitorEmail ? this.ok : this.others);
  }

  /** @param {boolean} on */
  busy(on) {
    const ok = /** @type {HTMLButtonElement} */ (this.ok);
    ok.disabled = on;
    ok.textContent = on ? 'Sending…' : 'Send transcript';
  }

  async submit() {
    const emails = (/** @type {HTMLInputElement} */ (this.others).value).split(/[,;\s]+/).map((s) => s.trim()).filter(Boolean);
    const bad = emails.find((a) => !ADDRESS.test(a));
    if (bad) { this.showError(`“${bad}” is not an e-mail address`); this.others?.focus(); return; }
    const toVisitor = Boolean(this.toVisitor?.checked);
    if (!toVisitor && !emails.length) { this.showError('Choose the visitor or type an address to send to'); this.others?.focus(); return; }
    this.busy(true);
    try {
      const sent = await this.send?.({ to_visitor: toVisitor, emails });
      this.finish(sent);
    } catch (err) {
      this.busy(false);
      this.showError(err instanceof Error ? err.message : String(err));
    }
  }
}

customElements.define('transcript-dialog', TranscriptDialogElement);
