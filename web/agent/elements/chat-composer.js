// @ts-check
/**
 * <chat-composer>: the reply box — Enter sends, Shift+Enter adds a line, typing start/stop, a whisper
 * (staff-only) toggle, and canned responses: type "/" and a word to search macros (a combobox).
 */
import { el, emit, growTextarea } from './dom.js';
import { icon } from '../../shared/icons.js';
import { matchMacros } from '../state/macros.js';
import { Intent } from '../state/names.js';

const TYPING_IDLE_MS = 3000;

export class ChatComposerElement extends HTMLElement {
  constructor() {
    super();
    this.staff = false;
    /** @type {import('../../shared/protocol.js').Macro[]} */
    this.macros = [];
    /** @type {import('../../shared/protocol.js').Macro[]} */
    this.found = [];
    this.active = 0;
    this.typing = false;
  }

  connectedCallback() {
    if (this.input) return;
    this.input = /** @type {HTMLTextAreaElement} */ (el('textarea', { rows: '1', class: 'reply', 'aria-label': 'Reply',
      placeholder: 'Type a reply — “/” for canned responses', 'aria-autocomplete': 'list', 'aria-controls': 'macro-list' }));
    this.picker = el('ul', { id: 'macro-list', class: 'macro-list', role: 'listbox', 'aria-label': 'Canned responses', hidden: true });
    this.whisper = el('button', { type: 'button', class: 'whisper', 'aria-pressed': 'false',
      title: 'Whisper: only staff will see this message', onclick: () => this.setWhisper(!this.staff) }, icon('lock', 15), 'Whisper');
    this.sendBtn = el('button', { type: 'button', class: 'send primary', 'aria-label': 'Send', onclick: () => this.send() }, icon('send', 16));
    this.append(this.picker, el('div', { class: 'composer-box' }, this.input,
      el('div', { class: 'composer-bar' }, this.whisper, el('span', { class: 'hint muted', text: 'Enter to send · Shift+Enter for a new line' }), this.sendBtn)));
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('input', () => this.onInput());
    // Closed a moment after blur, so a click on a canned response still lands.
    this.input.addEventListener('blur', () => { this.stopTyping(); this.closing = setTimeout(() => this.closePicker(), 150); });
  }

  disconnectedCallback() {
    clearTimeout(this.idle);
    clearTimeout(this.closing);
  }

  /** @param {import('../../shared/protocol.js').Macro[]} macros */
  setMacros(macros) { this.macros = macros; }

  /** @param {boolean} on */
  setWhisper(on) {
    this.staff = on;
    this.whisper?.setAttribute('aria-pressed', String(on));
    this.classList.toggle('whispering', on);
    this.input?.setAttribute('placeholder', on ? 'Internal note — only staff will see this' : 'Type a reply — “/” for canned responses');
  }

  /** Focus goes to the reply box. @override */
  focus() { this.input?.focus(); }

  clear() {
    if (this.input) this.input.value = '';
    this.setWhisper(false);
    this.closePicker();
    this.grow();
  }

  grow() {
    growTextarea(/** @type {HTMLTextAreaElement} */ (this.input), 160);
  }

  onInput() {
    this.grow();
    const value = this.input?.value ?? '';
    if (value.startsWith('/')) this.openPicker(value.slice(1)); else this.closePicker();
    if (value.trim() && !value.startsWith('/')) {
      if (!this.typing) { this.typing = true; emit(this, Intent.COMPOSE_TYPING, true); }
      clearTimeout(this.idle);
      this.idle = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
    } else this.stopTyping();
  }

  stopTyping() {
    clearTimeout(this.idle);
    if (this.typing) { this.typing = false; emit(this, Intent.COMPOSE_TYPING, false); }
  }

  send() {
    const input = /** @type {HTMLTextAreaElement} */ (this.input);
    const text = input.value.trim();
    if (!text) return;
    this.stopTyping();
    emit(this, Intent.COMPOSE_SEND, { text, staff: this.staff });
    input.value = '';
    this.grow();
    input.focus();
  }

  /** @param {KeyboardEvent} e */
  onKey(e) {
    const open = !this.picker?.hidden;
    if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : -1) + this.found.length) % this.found.length;
      this.paintPicker();
    } else if (open && (e.key === 'Enter' || e.key === 'Tab') && this.found.length) {
      e.preventDefault();
      this.pick(this.found[this.active]);
    } else if (open && e.key === 'Escape') {
      e.preventDefault();
      this.closePicker();
    } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.send();
    }
  }

  /** @param {string} q */
  openPicker(q) {
    this.found = matchMacros(this.macros, q);
    this.active = 0;
    this.paintPicker();
  }

  paintPicker() {
    const picker = /** @type {HTMLElement} */ (this.picker);
    const input = /** @type {HTMLTextAreaElement} */ (this.input);
    picker.hidden = false;
    if (!this.found.length) {
      picker.replaceChildren(el('li', { class: 'muted empty-line', role: 'presentation', text: this.macros.length ? 'No canned response matches.' : 'No canned responses yet.' }));
      input.removeAttribute('aria-activedescendant');
      return;
    }
    picker.replaceChildren(...this.found.map((m, i) => el('li', {
      id: `macro-${m.id}`, role: 'option', 'aria-selected': String(i === this.active), class: i === this.active ? 'active' : '',
      onmousedown: (/** @type {Event} */ e) => { e.preventDefault(); this.pick(m); },
    }, el('strong', { text: m.title }), el('span', { class: 'muted', text: m.contents }))));
    const current = this.found[this.active];
    input.setAttribute('aria-activedescendant', `macro-${current.id}`);
    picker.querySelector('.active')?.scrollIntoView({ block: 'nearest' });
  }

  /** @param {import('../../shared/protocol.js').Macro} m */
  pick(m) {
    const input = /** @type {HTMLTextAreaElement} */ (this.input);
    input.value = m.contents;
    this.closePicker();
    this.grow();
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }

  closePicker() {
    if (!this.picker || this.picker.hidden) return;
    this.picker.hidden = true;
    this.input?.removeAttribute('aria-activedescendant');
  }
}

customElements.define('chat-composer', ChatComposerElement);
