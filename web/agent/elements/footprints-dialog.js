// @ts-check
/** <footprints-dialog>: the pages a visitor viewed, newest first, with time and referrer. */
import { safeHref, externalLink, formatTime } from '../../shared/format.js';
import { el } from './dom.js';

export class FootprintsDialogElement extends HTMLElement {
  connectedCallback() {
    if (this.dialog) return;
    this.heading = el('h2', { id: 'fp-title' });
    this.body = el('div', { class: 'footprints', 'aria-live': 'polite' });
    const close = el('button', { type: 'button', class: 'primary', text: 'Close', onclick: () => this.dialog?.close() });
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog wide', 'aria-labelledby': 'fp-title' },
      el('div', { class: 'dialog-body' }, this.heading, this.body, el('div', { class: 'dialog-actions' }, close))));
    this.append(this.dialog);
  }

  /** @param {string} name @param {Promise<import('../../shared/protocol.js').PageView[]>} loading */
  async show(name, loading) {
    /** @type {HTMLElement} */ (this.heading).textContent = `Footprints — ${name}`;
    this.body?.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
    this.dialog?.showModal();
    try {
      const views = await loading;
      if (!views.length) { this.body?.replaceChildren(el('p', { class: 'muted', text: 'No pages recorded yet.' })); return; }
      this.body?.replaceChildren(el('ol', { class: 'trail' }, ...views.map((v) => {
        const href = safeHref(v.url);
        const title = v.title || v.url;
        return el('li', null,
          el('time', { datetime: v.created_at, text: formatTime(v.created_at) }),
          el('div', { class: 'trail-page' },
            href ? externalLink(href, title) : el('span', { text: title }),
            el('small', { class: 'muted', text: v.url })));
      })));
    } catch (err) {
      this.body?.replaceChildren(el('p', { class: 'form-error', role: 'alert', text: err instanceof Error ? err.message : String(err) }));
    }
  }
}

customElements.define('footprints-dialog', FootprintsDialogElement);
