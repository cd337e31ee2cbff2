// @ts-check
/** <prompt-dialog>: ask for one line of text, or just confirm; resolves with the text or null. */
import { el } from './dom.js';

export class PromptDialogElement extends HTMLElement {
  connectedCallback() {
    if (this.dialog) return;
    this.heading = el('h2', { id: 'prompt-title' });
    this.hint = el('p', { class: 'muted' });
    this.input = /** @type {HTMLTextAreaElement} */ (el('textarea', { id: 'prompt-input', rows: '3', maxlength: '1000' }));
    this.label = el('label', { for: 'prompt-input' });
    this.error = el('p', { class: 'field-error', role: 'alert', hidden: true });
    this.fieldBox = el('div', { class: 'field' }, this.label, this.input, this.error);
    this.ok = el('button', { type: 'submit', class: 'primary' });
    const form = /** @type {HTMLFormElement} */ (el('form', { class: 'dialog-body' }, this.heading, this.hint, this.fieldBox,
      el('div', { class: 'dialog-actions' },
        el('button', { type: 'button', class: 'ghost', text: 'Cancel', onclick: () => this.finish(null) }), this.ok)));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const value = this.input?.value.trim() ?? '';
      let checked = value;
      try {
        checked = this.validate ? this.validate(value) : value;
      } catch (err) {
        const box = /** @type {HTMLElement} */ (this.error);
        box.hidden = false;
        box.textContent = err instanceof Error ? err.message : String(err);
        this.input?.focus();
        return;
      }
      this.finish(checked);
    });
    this.input.addEventListener('input', () => { /** @type {HTMLElement} */ (this.error).hidden = true; });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
    });
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog small', 'aria-labelledby': 'prompt-title' }, form));
    this.dialog.addEventListener('cancel', () => this.finish(null));
    this.append(this.dialog);
  }

  /**
   * @param {{title: string, hint?: string, label?: string, value?: string, confirm: string, danger?: boolean,
   *   validate?: (value: string) => string, placeholder?: string}} opts
   * label absent → a plain confirmation. `validate` returns the value to resolve with, or throws the message to show.
   * @returns {Promise<string|null>}
   */
  ask(opts) {
    const input = /** @type {HTMLTextAreaElement} */ (this.input);
    /** @type {HTMLElement} */ (this.heading).textContent = opts.title;
    /** @type {HTMLElement} */ (this.hint).textContent = opts.hint ?? '';
    /** @type {HTMLElement} */ (this.label).textContent = opts.label ?? '';
    /** @type {HTMLElement} */ (this.fieldBox).hidden = !opts.label;
    input.required = Boolean(opts.label);
    input.value = opts.value ?? '';
    input.placeholder = opts.placeholder ?? '';
    this.validate = opts.validate ?? null;
    /** @type {HTMLElement} */ (this.error).hidden = true;
    const ok = /** @type {HTMLElement} */ (this.ok);
    ok.textContent = opts.confirm;
    ok.className = opts.danger ? 'danger' : 'primary';
    this.returnFocus = /** @type {HTMLElement|null} */ (document.activeElement);
    this.dialog?.showModal();
    if (opts.label) { input.focus(); input.select(); } else ok.focus();
    return new Promise((resolve) => { this.resolve = resolve; });
  }

  /** @param {string|null} value */
  finish(value) {
    if (this.dialog?.open) this.dialog.close();
    this.resolve?.(value);
    this.resolve = null;
    this.returnFocus?.focus?.();
  }
}

customElements.define('prompt-dialog', PromptDialogElement);
