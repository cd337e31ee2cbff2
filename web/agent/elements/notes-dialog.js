// @ts-check
/**
 * <notes-dialog>: the notes agents keep on a visitor, newest first (author, time, the chat it was written
 * in), and a box to add one (Ctrl+Enter adds). Staff only: the visitor never sees them. The list follows
 * colleagues' notes live while open; its author or an administrator may delete a note.
 */
import { formatTime } from '../../shared/format.js';
import { el } from './dom.js';
import { ModalElement } from './modal.js';
import { Topic } from '../state/names.js';

export class NotesDialogElement extends ModalElement {
  connectedCallback() {
    if (this.dialog) return;
    this.heading = el('h2', { id: 'notes-title' });
    this.list = el('ol', { class: 'notes-list', 'aria-label': 'Notes, newest first', 'aria-live': 'polite' });
    this.text = /** @type {HTMLTextAreaElement} */ (el('textarea', { id: 'note-text', rows: 3, maxlength: 2000,
      placeholder: 'Order numbers, preferences, anything a colleague should know…' }));
    this.error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    this.add = /** @type {HTMLButtonElement} */ (el('button', { type: 'submit', class: 'primary', text: 'Add note' }));
    const form = /** @type {HTMLFormElement} */ (el('form', { class: 'dialog-body' },
      this.heading,
      el('p', { class: 'muted', text: 'Every agent sees these notes; the visitor never does.' }),
      this.list,
      el('div', { class: 'field' }, el('label', { for: 'note-text', text: 'New note' }), this.text),
      this.error,
      el('div', { class: 'dialog-actions' }, el('span', { class: 'muted hint', text: 'Ctrl+Enter adds' }),
        el('button', { type: 'button', class: 'ghost', text: 'Close', onclick: () => this.finish(null) }), this.add)));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    this.text.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.submit(); } });
    this.text.addEventListener('input', () => this.showError(''));
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog', 'aria-labelledby': 'notes-title' }, form));
    this.dialog.addEventListener('cancel', () => this.finish(null));
    this.dialog.addEventListener('close', () => { this.unsubscribe?.(); this.unsubscribe = null; });
    this.append(this.dialog);
  }

  /**
   * @param {{store: import('../state/app-store.js').AppStore, actions: import('../state/actions.js').Actions,
   *   instance: string, visitor: {id: number, name: string}, cid: number|null}} opts
   */
  show(opts) {
    this.opts = opts;
    /** @type {HTMLElement} */ (this.heading).textContent = `Notes on ${opts.visitor.name}`;
    /** @type {HTMLTextAreaElement} */ (this.text).value = '';
    this.showError('');
    this.unsubscribe?.();
    this.unsubscribe = opts.store.subscribe((what, id) => { if (what.has(Topic.NOTES) && id === opts.instance) this.renderList(); });
    this.renderList();
    if (!opts.store.get(opts.instance)?.notes.has(opts.visitor.id)) {
      opts.actions.notes(opts.instance, opts.visitor.id).catch((err) => this.showError(err instanceof Error ? err.message : String(err)));
    }
    return this.openModal(this.text);
  }

  renderList() {
    const opts = this.opts;
    const list = /** @type {HTMLElement} */ (this.list);
    if (!opts) return;
    const inst = opts.store.get(opts.instance);
    const notes = inst?.notes.get(opts.visitor.id);
    if (!notes) { list.replaceChildren(el('li', { class: 'muted', text: 'Loading…' })); return; }
    if (!notes.length) { list.replaceChildren(el('li', { class: 'muted', text: 'No notes yet.' })); return; }
    const me = inst?.me;
    list.replaceChildren(...notes.map((n) => el('li', { class: 'note' },
      el('p', { class: 'note-text', text: n.body_text }),
      el('div', { class: 'note-meta' },
        el('span', { text: n.creator.id === me?.id ? 'You' : n.creator.full_name }),
        el('time', { datetime: n.created_at, text: formatTime(n.created_at) }),
        n.conversation_id ? el('span', { text: `in chat #${n.conversation_id}` }) : null,
        n.creator.id === me?.id || me?.role?.type === 'ADMIN'
          ? el('button', { type: 'button', class: 'ghost small', text: 'Delete', 'aria-label': `Delete the note “${n.body_text.slice(0, 40)}”`,
            onclick: () => this.deleteNote(n.id) }) : null))));
  }

  async submit() {
    const opts = this.opts;
    const box = /** @type {HTMLTextAreaElement} */ (this.text);
    const text = box.value.trim();
    if (!opts) return;
    if (!text) { this.showError('Write the note first'); box.focus(); return; }
    const add = /** @type {HTMLButtonElement} */ (this.add);
    add.disabled = true;
    try {
      await opts.actions.addNote(opts.instance, opts.visitor.id, text, opts.cid);
      box.value = '';
    } catch (err) {
      this.showError(err instanceof Error ? err.message : String(err));
    } finally {
      add.disabled = false;
      box.focus();
    }
  }

  /** @param {number} noteId */
  async deleteNote(noteId) {
    const opts = this.opts;
    if (!opts) return;
    try {
      await opts.actions.deleteNote(opts.instance, opts.visitor.id, noteId);
    } catch (err) {
      this.showError(err instanceof Error ? err.message : String(err));
    }
  }
}

customElements.define('notes-dialog', NotesDialogElement);
