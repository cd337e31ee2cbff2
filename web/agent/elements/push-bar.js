// @ts-check
/**
 * <push-bar>: above the reply box — Send an image, Send a file, Send example source code, and the Push URL
 * box with Send (the article's wording). Asks for the dialogs by event; the URL is checked here first so a
 * bad link is refused with a message before anything is sent.
 */
import { el, emit } from './dom.js';
import { icon } from '../../shared/icons.js';
import { normaliseUrl } from '../state/push.js';
import { Intent } from '../state/names.js';

export class PushBarElement extends HTMLElement {
  connectedCallback() {
    if (this.url) return;
    this.setAttribute('role', 'toolbar');
    this.setAttribute('aria-label', 'Push to the visitor');
    const open = (/** @type {string} */ kind) => () => emit(this, Intent.PUSH_OPEN, { kind });
    this.url = /** @type {HTMLInputElement} */ (el('input', { type: 'text', inputmode: 'url', autocomplete: 'off',
      spellcheck: 'false', placeholder: 'Push URL — e.g. example.com/help', 'aria-label': 'Push URL', 'aria-describedby': 'push-url-error' }));
    this.error = el('p', { id: 'push-url-error', class: 'field-error', role: 'alert', hidden: true });
    this.url.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); this.sendUrl(); } });
    this.url.addEventListener('input', () => this.showError(''));
    this.append(
      el('div', { class: 'push-buttons' },
        el('button', { type: 'button', class: 'ghost small', title: 'Send an image', onclick: open('image') }, icon('image', 16), el('span', { text: 'Send an image' })),
        el('button', { type: 'button', class: 'ghost small', title: 'Send a file', onclick: open('file') }, icon('file', 16), el('span', { text: 'Send a file' })),
        el('button', { type: 'button', class: 'ghost small', title: 'Send example source code', onclick: open('code') }, icon('code', 16), el('span', { text: 'Send example source code' }))),
      el('div', { class: 'push-url-box' }, icon('link', 16), this.url,
        el('button', { type: 'button', class: 'ghost small', text: 'Send', 'aria-label': 'Send URL', onclick: () => this.sendUrl() })),
      this.error);
  }

  sendUrl() {
    const input = /** @type {HTMLInputElement} */ (this.url);
    try {
      const url = normaliseUrl(input.value);
      emit(this, Intent.PUSH_URL, { url });
      input.value = '';
      this.showError('');
    } catch (err) {
      this.showError(err instanceof Error ? err.message : String(err));
      input.focus();
    }
  }

  /** @param {string} message */
  showError(message) {
    const box = /** @type {HTMLElement} */ (this.error);
    box.hidden = !message;
    box.textContent = message;
    this.url?.setAttribute('aria-invalid', String(Boolean(message)));
  }

  clear() {
    if (this.url) this.url.value = '';
    this.showError('');
  }
}

customElements.define('push-bar', PushBarElement);
