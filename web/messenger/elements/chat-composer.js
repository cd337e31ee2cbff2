// @ts-check
/** <chat-composer>: Enter sends, Shift+Enter adds a line; the draft survives reloads. */
import { Intent } from '../state/names.js';
import { storage } from '../state/storage.js';

export class ChatComposerElement extends HTMLElement {
  connectedCallback() {
    if (this.area) return;
    const form = document.createElement('form');
    form.className = 'composer';
    const label = document.createElement('label');
    label.className = 'sr-only';
    label.htmlFor = 'composer-text';
    label.textContent = 'Type your message';
    this.area = document.createElement('textarea');
    this.area.id = 'composer-text';
    this.area.rows = 1;
    this.area.placeholder = 'Type your message…';
    this.area.maxLength = 10000;
    this.area.value = storage.draft;
    const send = document.createElement('button');
    send.type = 'submit';
    send.className = 'send';
    send.textContent = 'Send';
    form.append(label, this.area, send);
    this.append(form);
    form.addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    this.area.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.submit(); }
    });
    this.area.addEventListener('input', () => {
      storage.draft = this.area?.value ?? '';
      this.autosize();
      this.dispatchEvent(new CustomEvent(Intent.COMPOSER_TYPING, { bubbles: true }));
    });
    this.autosize();
  }

  autosize() {
    if (!this.area) return;
    this.area.style.height = 'auto';
    this.area.style.height = `${Math.min(this.area.scrollHeight, 120)}px`;
  }

  submit() {
    const text = this.area?.value ?? '';
    if (!text.trim() || !this.area) return;
    this.area.value = '';
    storage.draft = '';
    this.autosize();
    this.dispatchEvent(new CustomEvent(Intent.COMPOSER_SEND, { bubbles: true, detail: { text } }));
  }

  /** Focus goes to the message box. @override */
  focus() {
    this.area?.focus();
  }
}

customElements.define('chat-composer', ChatComposerElement);
