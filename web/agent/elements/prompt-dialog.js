// @ts-check
/** <prompt-dialog>: ask for a line (or, with `rows`, a few lines) of text, or just confirm; resolves with the text or null. */
import { el } from './dom.js';
import { ModalElement } from './modal.js';

export class PromptDialogElement extends ModalElement {
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
        this.showError(err instanceof Error ? err.message : String(err));
        this.input?.focus();
        return;
      }
      this.finish(checked);
    });
    this.input.addEventListener('input', () => this.showError(''));
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
    });
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog small', 'aria-labelledby': 'prompt-title' }, form));
    this.dialog.addEventListener('cancel', () => this.finish(null));
    this.append(this.dialog);
  }

  /**
   * @param {{title: string, hint?: string, label?: string, value?: string, confirm: string, danger?: boolean,
   *   validate?: (value: string) => string, placeholder?: string, rows?: number}} opts
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
    input.rows = opts.rows ?? 1;  // a name is one line; an invitation's message a few
    input.value = opts.value ?? '';
    input.placeholder = opts.placeholder ?? '';
    this.validate = opts.validate ?? null;
    this.showError('');
    const ok = /** @type {HTMLElement} */ (this.ok);
    ok.textContent = opts.confirm;
    ok.className = opts.danger ? 'danger' : 'primary';
    const answer = this.openModal(opts.label ? input : ok);
    if (opts.label) input.select();
    return answer;
  }
}

customElements.define('prompt-dialog', PromptDialogElement);
