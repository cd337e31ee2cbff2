// @ts-check
/**
 * <push-code-dialog>: the article's "Push code" window — paste the code, pick the Language from a drop-down
 * (every Pygments lexer, filtered as you type; "Auto-detect" names its guess), see it highlighted exactly as
 * the visitor will (the server renders the preview), OK sends. Resolves with {contents, language} or null.
 */
import { el } from './dom.js';
import { ModalElement } from './modal.js';
import { insertServerHighlightedCode } from '../../shared/format.js';
import './language-combobox.js';
import { Intent } from '../state/names.js';

/** @typedef {import('../state/languages.js').Language} Language */
/** @typedef {{language: string, name: string, guessed: boolean, content_html: string}} Preview */

export class PushCodeDialogElement extends ModalElement {
  connectedCallback() {
    if (this.dialog) return;
    this.code = /** @type {HTMLTextAreaElement} */ (el('textarea', { id: 'push-code-text', class: 'code-input', rows: '10', spellcheck: 'false',
      placeholder: 'Paste the source code here', maxlength: '50000' }));
    this.code.addEventListener('input', () => this.schedule());
    this.code.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.submit(); }
    });
    this.language = /** @type {import('./language-combobox.js').LanguageComboboxElement} */ (el('language-combobox', { 'input-id': 'push-code-language' }));
    this.language.addEventListener(Intent.LANGUAGE_CHANGE, (e) => { e.stopPropagation(); this.schedule(0); });
    this.preview = el('div', { class: 'code-preview', 'aria-live': 'polite', 'aria-label': 'Preview' });
    this.error = el('p', { class: 'field-error', role: 'alert', hidden: true });
    this.ok = /** @type {HTMLButtonElement} */ (el('button', { type: 'submit', class: 'primary', text: 'OK' }));
    const form = el('form', { class: 'dialog-body' },
      el('h2', { id: 'push-code-title', text: 'Push code' }),
      el('div', { class: 'field' }, el('label', { for: 'push-code-text', text: 'Source code' }), this.code),
      el('div', { class: 'language-field' }, el('label', { for: 'push-code-language', text: 'Language' }), this.language),
      el('div', { class: 'field' }, el('span', { class: 'label', text: 'Preview' }), this.preview),
      this.error,
      el('div', { class: 'dialog-actions' }, el('span', { class: 'hint muted', text: 'Ctrl+Enter sends' }),
        el('button', { type: 'button', class: 'ghost', text: 'Cancel', onclick: () => this.finish(null) }), this.ok));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog wide', 'aria-labelledby': 'push-code-title' }, form));
    this.dialog.addEventListener('cancel', () => this.finish(null));
    this.append(this.dialog);
  }

  disconnectedCallback() { clearTimeout(this.timer); }

  /**
   * @param {{languages: Promise<Language[]>, preview: (code: string, language: string|null) => Promise<Preview>}} opts
   * @returns {Promise<{contents: string, language: string}|null>}
   */
  ask(opts) {
    this.opts = opts;
    /** @type {Preview|null} */
    this.last = null;
    /** @type {HTMLTextAreaElement} */ (this.code).value = '';
    const language = /** @type {import('./language-combobox.js').LanguageComboboxElement} */ (this.language);
    language.reset();
    this.showError('');
    /** @type {HTMLElement} */ (this.preview).replaceChildren(el('p', { class: 'muted', text: 'The highlighted code appears here.' }));
    opts.languages.then((list) => language.setLanguages(list))
      .catch((err) => this.showError(`Languages could not be loaded (${err.message}); the language will be detected.`));
    return this.openModal(this.code);
  }

  /** The language picked, or null for Auto-detect. */
  chosen() {
    return this.language?.value || null;
  }

  /** Re-render the preview shortly after typing stops. @param {number} [delay] */
  schedule(delay = 300) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), delay);
  }

  async refresh() {
    const code = this.code?.value ?? '';
    const preview = /** @type {HTMLElement} */ (this.preview);
    if (!code.trim() || !this.opts) { preview.replaceChildren(el('p', { class: 'muted', text: 'The highlighted code appears here.' })); return; }
    const asked = { code, language: this.chosen() };
    try {
      const result = await this.opts.preview(asked.code, asked.language);
      if (this.code?.value !== asked.code || this.chosen() !== asked.language) return; // a newer one is coming
      this.last = result;
      this.showError('');
      const box = el('figure', { class: 'code-card' }, el('figcaption', { class: 'code-bar' }, el('span', { class: 'language', text: result.language })), el('div', { class: 'code' }));
      insertServerHighlightedCode(/** @type {HTMLElement} */ (box.querySelector('.code')), result.content_html);
      preview.replaceChildren(box);
      if (result.guessed) this.language?.setGuess(result.name);
    } catch (err) {
      this.showError(err instanceof Error ? err.message : String(err));
    }
  }

  submit() {
    const contents = this.code?.value ?? '';
    if (!contents.trim()) { this.showError('Paste some code to send.'); this.code?.focus(); return; }
    // Auto-detect sends the language the preview showed, so the visitor sees exactly the preview.
    const language = this.chosen() ?? (this.last?.guessed ? this.last.language : null);
    this.finish({ contents, language });
  }

  /** @override @param {any} value */
  finish(value) {
    clearTimeout(this.timer);
    super.finish(value);
  }
}

customElements.define('push-code-dialog', PushCodeDialogElement);
