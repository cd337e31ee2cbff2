// @ts-check
/** <password-dialog>: a new password for a server whose sign-in failed; stays open until it signs in (or says why not). */
import { el } from './dom.js';

export class PasswordDialogElement extends HTMLElement {
  connectedCallback() {
    if (this.dialog) return;
    this.heading = el('h2', { id: 'pw-title', text: 'Sign in again' });
    this.hint = el('p', { class: 'muted' });
    this.input = /** @type {HTMLInputElement} */ (el('input', { id: 'pw-input', name: 'password', type: 'password', required: true,
      autocomplete: 'current-password' }));
    this.error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    this.submit = /** @type {HTMLButtonElement} */ (el('button', { type: 'submit', class: 'primary', text: 'Sign in' }));
    const form = /** @type {HTMLFormElement} */ (el('form', { class: 'dialog-body' }, this.heading, this.hint,
      el('div', { class: 'field' }, el('label', { for: 'pw-input', text: 'New password' }), this.input),
      this.error,
      el('div', { class: 'dialog-actions' },
        el('button', { type: 'button', class: 'ghost', text: 'Cancel', onclick: () => this.close() }), this.submit)));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.save(); });
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog small', 'aria-labelledby': 'pw-title' }, form));
    this.dialog.addEventListener('close', () => this.returnFocus?.focus?.());
    this.append(this.dialog);
  }

  /**
   * @param {{name?: string, url: string, email: string}} info the bridge's Instance
   * @param {(password: string) => Promise<any>} onSave resolves once signed in
   */
  open(info, onSave) {
    this.onSave = onSave;
    const server = info.name || info.url;
    /** @type {HTMLElement} */ (this.heading).textContent = `Sign in to ${server} again`;
    /** @type {HTMLElement} */ (this.hint).textContent = `Enter the current password for ${info.email} on ${info.url}.`;
    const input = /** @type {HTMLInputElement} */ (this.input);
    input.value = '';
    /** @type {HTMLElement} */ (this.error).hidden = true;
    this.returnFocus = /** @type {HTMLElement|null} */ (document.activeElement);
    this.dialog?.showModal();
    input.focus();
  }

  close() {
    if (this.dialog?.open) this.dialog.close();
  }

  async save() {
    const submit = /** @type {HTMLButtonElement} */ (this.submit);
    const error = /** @type {HTMLElement} */ (this.error);
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    error.hidden = true;
    try {
      await this.onSave?.(/** @type {HTMLInputElement} */ (this.input).value);
      this.close();
    } catch (err) {
      error.textContent = err instanceof Error ? err.message : String(err);
      error.hidden = false;
      /** @type {HTMLInputElement} */ (this.input).select();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  }
}

customElements.define('password-dialog', PasswordDialogElement);
