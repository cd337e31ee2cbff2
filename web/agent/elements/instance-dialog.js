// @ts-check
/** <instance-dialog>: connect to a chat server (URL, email, password; optional tab name). */
import { el } from './dom.js';

export class InstanceDialogElement extends HTMLElement {
  connectedCallback() {
    if (this.dialog) return;
    const field = (/** @type {string} */ name, /** @type {string} */ label, /** @type {Record<string, any>} */ attrs) => {
      const id = `inst-${name}`;
      return el('div', { class: 'field' }, el('label', { for: id, text: label }), el('input', { id, name, ...attrs }));
    };
    this.error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    this.submit = el('button', { type: 'submit', class: 'primary', text: 'Connect' });
    this.form = /** @type {HTMLFormElement} */ (el('form', { method: 'dialog', class: 'dialog-body' },
      el('h2', { id: 'inst-title', text: 'Add a chat server' }),
      el('p', { class: 'muted', text: 'Sign in to a Kayako Desktop chat server. Each server opens in its own tab.' }),
      field('url', 'Server address', { type: 'url', required: true, placeholder: 'https://chat.example.com', autocomplete: 'url' }),
      field('email', 'Email', { type: 'email', required: true, autocomplete: 'username' }),
      field('password', 'Password', { type: 'password', required: true, autocomplete: 'current-password' }),
      field('name', 'Tab name (optional)', { type: 'text', maxlength: '40', placeholder: 'e.g. Acme support' }),
      this.error,
      el('div', { class: 'dialog-actions' },
        el('button', { type: 'button', class: 'ghost', text: 'Cancel', onclick: () => this.dialog?.close() }), this.submit)));
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.save(); });
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { 'aria-labelledby': 'inst-title', class: 'dialog' }, this.form));
    this.append(this.dialog);
  }

  /** @param {(input: {url: string, email: string, password: string, name?: string}) => Promise<any>} onSave */
  open(onSave) {
    this.onSave = onSave;
    this.form?.reset();
    if (this.error) this.error.hidden = true;
    this.dialog?.showModal();
    /** @type {HTMLInputElement|null|undefined} */ (this.form?.querySelector('#inst-url'))?.focus();
  }

  async save() {
    const data = new FormData(/** @type {HTMLFormElement} */ (this.form));
    const input = {
      url: String(data.get('url') ?? '').trim(),
      email: String(data.get('email') ?? '').trim(),
      password: String(data.get('password') ?? ''),
    };
    const name = String(data.get('name') ?? '').trim();
    const submit = /** @type {HTMLButtonElement} */ (this.submit);
    submit.disabled = true;
    submit.textContent = 'Connecting…';
    try {
      await this.onSave?.(name ? { ...input, name } : input);
      this.dialog?.close();
    } catch (err) {
      if (this.error) {
        this.error.textContent = err instanceof Error ? err.message : String(err);
        this.error.hidden = false;
      }
    } finally {
      submit.disabled = false;
      submit.textContent = 'Connect';
    }
  }
}

customElements.define('instance-dialog', InstanceDialogElement);
