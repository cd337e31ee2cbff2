// @ts-check
/**
 * <push-file-dialog>: the article's "Push file" window — Browse (several files at once), the chosen files
 * with name and size (any too large is marked with the limit, and left out), OK sends.
 */
import { el } from './dom.js';
import { ModalElement } from './modal.js';
import { formatBytes } from '../../shared/format.js';
import { sizeProblem } from '../state/push.js';

/** @typedef {{file?: File, ref?: string, name: string, size: number, type?: string}} Source */

export class PushFileDialogElement extends ModalElement {
  constructor() {
    super();
    /** @type {Source[]} */
    this.files = [];
  }

  connectedCallback() {
    if (this.dialog) return;
    this.picker = /** @type {HTMLInputElement} */ (el('input', { type: 'file', multiple: true, hidden: true, tabindex: '-1' }));
    this.picker.addEventListener('change', () => {
      this.add([...(this.picker?.files ?? [])].map((f) => ({ file: f, name: f.name, size: f.size, type: f.type })));
      if (this.picker) this.picker.value = '';
    });
    this.browse = el('button', { type: 'button', class: 'ghost', text: 'Browse…', onclick: () => this.pick() });
    this.list = el('ul', { class: 'file-list', 'aria-label': 'Files to send' });
    this.ok = /** @type {HTMLButtonElement} */ (el('button', { type: 'submit', class: 'primary', text: 'OK' }));
    const form = el('form', { class: 'dialog-body' },
      el('h2', { id: 'push-file-title', text: 'Push file' }),
      el('p', { class: 'muted', text: 'The visitor can download the files from the chat.' }),
      el('div', { class: 'row' }, this.browse, this.picker), this.list,
      el('div', { class: 'dialog-actions' }, el('button', { type: 'button', class: 'ghost', text: 'Cancel', onclick: () => this.finish(null) }), this.ok));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.finish(this.sendable()); });
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog', 'aria-labelledby': 'push-file-title' }, form));
    this.dialog.addEventListener('cancel', () => this.finish(null));
    this.append(this.dialog);
  }

  /** @param {{limit: number|null, pickNative: (() => Promise<Source[]>)|null}} opts @returns {Promise<Source[]|null>} */
  ask(opts) {
    this.opts = opts;
    this.files = [];
    this.paint();
    return this.openModal(/** @type {HTMLElement} */ (this.browse));
  }

  async pick() {
    if (this.opts?.pickNative) this.add(await this.opts.pickNative());
    else this.picker?.click();
  }

  /** @param {Source[]} more */
  add(more) {
    this.files = [...this.files, ...more];
    this.paint();
  }

  sendable() {
    return this.files.filter((f) => !sizeProblem(f, this.opts?.limit ?? null));
  }

  paint() {
    const files = this.files;
    const limit = this.opts?.limit ?? null;
    /** @type {HTMLElement} */ (this.list).replaceChildren(...(files.length ? files.map((f, i) => {
      const problem = sizeProblem(f, limit);
      return el('li', { class: problem ? 'refused' : '' },
        el('span', { class: 'file-name', text: f.name }), el('span', { class: 'muted', text: formatBytes(f.size) }),
        problem ? el('span', { class: 'field-error', role: 'alert', text: problem }) : null,
        el('button', { type: 'button', class: 'link', text: 'Remove', 'aria-label': `Remove ${f.name}`,
          onclick: () => { this.files?.splice(i, 1); this.paint(); this.browse?.focus(); } }));
    }) : [el('li', { class: 'muted empty-line', text: 'No files chosen yet.' })]));
    const n = this.sendable().length;
    const ok = /** @type {HTMLButtonElement} */ (this.ok);
    ok.disabled = n === 0;
    ok.textContent = n > 1 ? `OK — send ${n} files` : 'OK';
  }

  /** Nothing to send counts as cancelled. @override @param {Source[]|null} value */
  finish(value) {
    super.finish(value && value.length ? value : null);
  }
}

customElements.define('push-file-dialog', PushFileDialogElement);
