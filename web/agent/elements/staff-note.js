// @ts-check
/**
 * <staff-note>: the observer's one way to speak — a compact "Note to staff" box. What it sends is a
 * STAFF post (the server refuses anything else from an observer), so it never reaches the visitor.
 * Enter sends, Shift+Enter adds a line; no typing signal (an observer's typing is nobody's business).
 */
import { el, emit, growTextarea } from './dom.js';
import { icon } from '../../shared/icons.js';
import { Intent } from '../state/names.js';

export class StaffNoteElement extends HTMLElement {
  connectedCallback() {
    if (this.input) return;
    this.input = /** @type {HTMLTextAreaElement} */ (el('textarea', { id: 'staff-note-input', class: 'staff-note-input', rows: '1',
      maxlength: '10000', placeholder: 'Only staff see this — never the visitor', 'aria-describedby': 'staff-note-hint' }));
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.send(); }
    });
    this.input.addEventListener('input', () => this.grow());
    this.append(el('div', { class: 'staff-note-box' },
      el('label', { class: 'staff-note-label', for: 'staff-note-input' }, icon('lock', 14), 'Note to staff'),
      this.input,
      el('button', { type: 'button', class: 'primary small', text: 'Add note', onclick: () => this.send() })),
    el('p', { id: 'staff-note-hint', class: 'sr-only', text: 'Observers can only leave internal notes; the visitor never sees them.' }));
  }

  send() {
    const input = /** @type {HTMLTextAreaElement} */ (this.input);
    const text = input.value.trim();
    if (!text) { input.focus(); return; }
    emit(this, Intent.COMPOSE_SEND, { text, staff: true });
    input.value = '';
    this.grow();
    input.focus();
  }

  /** Grows with its text up to a few lines (it starts as one line to keep the chat in view). */
  grow() {
    growTextarea(/** @type {HTMLTextAreaElement} */ (this.input), 96);
  }

  clear() {
    if (this.input) this.input.value = '';
    this.grow();
  }
}

customElements.define('staff-note', StaffNoteElement);
