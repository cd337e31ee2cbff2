// @ts-check
/**
 * <push-code-dialog>: the article's "Push code" window — paste the code, pick the Language (every Pygments
 * lexer, filtered as you type; "Auto-detect" names its guess), see it highlighted exactly as the visitor
 * will (the server renders the preview), OK sends. Resolves with {contents, language} or null.
 */
import { el } from './dom.js';
import { ModalElement } from './modal.js';
import { insertServerHighlightedCode } from '../../shared/format.js';

/** @typedef {{alias: string, name: string}} Language */
/** @typedef {{language: string, name: string, guessed: boolean, content_html: string}} Preview */

const AUTO = '';

export class PushCodeDialogElement extends ModalElement {
  connectedCallback() {
    if (this.dialog) return;
    this.code = /** @type {HTMLTextAreaElement} */ (el('textarea', { id: 'push-code-text', class: 'code-input', rows: '10', spellcheck: 'false',
      placeholder: 'Paste the source code here', maxlength: '50000' }));
    this.code.addEventListener('input', () => this.schedule());
    this.code.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.submit(); }
    });
    this.filter = /** @type {HTMLInputElement} */ (el('input', { type: 'search', id: 'push-code-filter', placeholder: 'Search languages', autocomplete: 'off',
      'aria-controls': 'push-code-language' }));
    this.filter.addEventListener('input', () => this.fillLanguages());
    this.filter.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown') { e.preventDefault(); this.select?.focus(); if (this.select && this.select.selectedIndex < 0) this.select.selectedIndex = 0; }
      if (e.key === 'Enter') { e.preventDefault(); this.select?.focus(); }
    });
    this.select = /** @type {HTMLSelectElement} */ (el('select', { id: 'push-code-language', size: '6', 'aria-label': 'Language' }));
    this.select.addEventListener('change', () => this.schedule(0));
    this.preview = el('div', { class: 'code-preview', 'aria-live': 'polite', 'aria-label': 'Preview' });
    this.error = el('p', { class: 'field-error', role: 'alert', hidden: true });
    this.ok = /** @type {HTMLButtonElement} */ (el('button', { type: 'submit', class: 'primary', text: 'OK' }));
    const form = el('form', { class: 'dialog-body' },
      el('h2', { id: 'push-code-title', text: 'Push code' }),
      el('div', { class: 'field' }, el('label', { for: 'push-code-text', text: 'Source code' }), this.code),
      el('div', { class: 'code-split' },
        el('div', { class: 'field language-field' }, el('label', { for: 'push-code-filter', text: 'Language' }), this.filter, this.select),
        el('div', { class: 'field' }, el('span', { class: 'label', text: 'Preview' }), this.preview)),
      this.error,
      el('div', { class: 'dialog-actions' }, el('span', { class: 'hint muted', text: 'Ctrl+Enter sends' }),
        el('button', { type: 'button', class: 'ghost', text: 'Cancel', onclick: () => this.finish(null) }), this.ok));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog wide', 'aria-labelledby': 'push-code-title' }, form));
    this.dialog.addEventListener('cancel', () => this.finish(null));
    this.append(this.dialog);
  }

  /**
   * @param {{languages: Promise<Language[]>, preview: (code: string, language: string|null) => Promise<Preview>}} opts
   * @returns {Promise<{contents: string, language: string}|null>}
   */
  ask(opts) {
    this.opts = opts;
    /** @type {Language[]} */
    this.languages = [];
    /** @type {Preview|null} */
    this.last = null;
    /** @type {HTMLTextAreaElement} */ (this.code).value = '';
    /** @type {HTMLInputElement} */ (this.filter).value = '';
    this.fillLanguages();
    this.showError('');
    /** @type {HTMLElement} */ (this.preview).replaceChildren(el('p', { class: 'muted', text: 'The highlighted code appears here.' }));
    opts.languages.then((list) => { this.languages = list; this.fillLanguages(); })
      .catch((err) => this.showError(`Languages could not be loaded (${err.message}); the language will be detected.`));
    return this.openModal(this.code);
  }

  chosen() {
    return this.select?.value || null;
  }

  fillLanguages() {
    const select = /** @type {HTMLSelectElement} */ (this.select);
    const keep = select.value;
    const q = (this.filter?.value ?? '').trim().toLowerCase();
    const all = this.languages ?? [];
    const hits = q ? all.filter((l) => l.name.toLowerCase().includes(q) || l.alias.toLowerCase().includes(q)) : all;
    // Names that start with the query first ("py" → Python before "Cython").
    if (q) hits.sort((a, b) => Number(!a.name.toLowerCase().startsWith(q)) - Number(!b.name.toLowerCase().startsWith(q)));
    const guess = this.last?.guessed ? ` (${this.last.name})` : '';
    select.replaceChildren(el('option', { value: AUTO, text: `Auto-detect${guess}` }),
      ...hits.slice(0, 400).map((l) => el('option', { value: l.alias, text: l.name })));
    select.value = hits.some((l) => l.alias === keep) ? keep : AUTO;
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
      if (result.guessed) {
        const auto = this.select?.options[0];
        if (auto) auto.textContent = `Auto-detect (${result.name})`;
      }
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

  /** @param {any} value */
  finish(value) {
    clearTimeout(this.timer);
    super.finish(value);
  }
}

customElements.define('push-code-dialog', PushCodeDialogElement);
