// @ts-check
/**
 * <setup-status>: the desktop app's first run, on the Welcome screen — what it is doing (creating your
 * account, waiting for the system keyring to be unlocked) and what you can do about it. While it shows,
 * "Add a chat server" is hidden: the app is adding one for you.
 */
import { el } from './dom.js';

/** @typedef {import('../state/native.js').SetupStatus} SetupStatus */

export class SetupStatusElement extends HTMLElement {
  /** @param {{keepInFile: () => Promise<void>, retry: () => Promise<void>, addButton: HTMLElement, intro: HTMLElement}} opts */
  setup(opts) {
    this.opts = opts;
    this.introText = opts.intro.textContent;
    this.setAttribute('role', 'status');
    this.setAttribute('aria-live', 'polite');
    this.spinner = el('span', { class: 'spinner', 'aria-hidden': 'true' });
    this.text = el('p', { class: 'setup-message' });
    this.error = el('p', { class: 'field-error', hidden: true });
    this.fileButton = el('button', { type: 'button', class: 'ghost', text: 'Keep the password in a file instead',
      onclick: () => this.run(() => opts.keepInFile()) });
    this.retryButton = el('button', { type: 'button', class: 'ghost', text: 'Ask the keyring again', onclick: () => this.run(() => opts.retry()) });
    this.replaceChildren(el('div', { class: 'setup-line' }, this.spinner, this.text), this.error,
      el('div', { class: 'setup-actions' }, this.fileButton, this.retryButton));
    this.show(null);
  }

  /** @param {SetupStatus|null} status */
  show(status) {
    this.hidden = !status;
    if (this.opts) {
      this.opts.addButton.hidden = Boolean(status);
      this.opts.intro.textContent = status ? 'Kayako Desktop is setting up a chat server on this computer for you, so you can answer chats from its demo website right away.' : this.introText ?? '';
    }
    if (!status) return;
    this.classList.toggle('failed', status.phase === 'failed');
    /** @type {HTMLElement} */ (this.spinner).hidden = status.phase === 'failed';
    /** @type {HTMLElement} */ (this.text).textContent = status.message;
    /** @type {HTMLElement} */ (this.fileButton).hidden = status.action !== 'file';
    // A failure can always be tried again (a keyring prompt the user cancelled asks again).
    /** @type {HTMLElement} */ (this.retryButton).hidden = status.phase !== 'failed';
    /** @type {HTMLElement} */ (this.fileButton).className = status.phase === 'failed' ? 'primary' : 'ghost';
    /** @type {HTMLElement} */ (this.error).hidden = true;
  }

  /** @param {() => Promise<void>} fn */
  async run(fn) {
    try {
      await fn();
    } catch (err) {
      const box = /** @type {HTMLElement} */ (this.error);
      box.textContent = err instanceof Error ? err.message : String(err);
      box.hidden = false;
    }
  }
}

customElements.define('setup-status', SetupStatusElement);
