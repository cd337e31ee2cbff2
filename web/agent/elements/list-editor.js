// @ts-check
/**
 * What the administrators' list-and-form dialogs share (Departments, Visitor rules): a list of items on the
 * left, the picked one's form on the right, "New …" above, Save / Delete under the form, the server's reason
 * on one error line. Subclasses build the list's rows and the form's fields; this does the dialog, loading,
 * saving and deleting.
 */
import { el } from './dom.js';
import { ModalElement } from './modal.js';

/** @template T @typedef {{load: () => Promise<any>, save: (id: number|null, body: Record<string, any>) => Promise<{id: number}>, remove: ((id: number) => Promise<any>)|null}} EditorOptions */

/**
 * Fill a fieldset with one checkbox per agent (who is in a department, who has a skill), the chosen ones ticked.
 * @param {HTMLElement} fieldset @param {string} legend @param {{id: number, full_name: string}[]} agents
 * @param {{id: number}[]} chosen
 */
export function agentChecks(fieldset, legend, agents, chosen) {
  const ticked = new Set(chosen.map((a) => a.id));
  fieldset.replaceChildren(el('legend', { text: legend }), ...agents.map((a) => el('label', { class: 'member' },
    el('input', { type: 'checkbox', name: 'agent', value: String(a.id), checked: ticked.has(a.id) }),
    el('span', { text: a.full_name }))));
}

/** The ids of the agents ticked in such a fieldset. @param {HTMLElement} fieldset @returns {number[]} */
export function checkedAgents(fieldset) {
  return [...fieldset.querySelectorAll('input[name="agent"]:checked')].map((i) => Number(/** @type {HTMLInputElement} */ (i).value));
}

export class ListEditorElement extends ModalElement {
  constructor() {
    super();
    /** @type {number|null} the item in the form (null: a new one) */
    this.current = null;
    /** @type {EditorOptions<any>|undefined} */
    this.opts = undefined;
  }

  /** Save and Delete, for the end of the form (Delete only while an existing item is shown). */
  formActions() {
    this.save = /** @type {HTMLButtonElement} */ (el('button', { type: 'submit', class: 'primary', text: 'Save' }));
    this.remove_ = /** @type {HTMLButtonElement} */ (el('button', { type: 'button', class: 'danger', text: 'Delete', onclick: () => this.deleteCurrent() }));
    return el('div', { class: 'dialog-actions' }, this.remove_, this.save);
  }

  /**
   * The dialog around the list and the form.
   * @param {{size: string, headingId: string, heading: string, newLabel: string, list: HTMLElement, form: HTMLFormElement}} parts
   */
  buildShell({ size, headingId, heading, newLabel, list, form }) {
    form.addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    // Disabled while the items load: what someone types meanwhile would be wiped when the first item shows.
    this.fields = /** @type {HTMLFieldSetElement} */ (el('fieldset', { class: 'plain' }, ...form.childNodes));
    form.append(this.fields);
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: `dialog ${size}`, 'aria-labelledby': headingId },
      el('div', { class: 'dialog-body' },
        el('div', { class: 'dialog-head' }, el('h2', { id: headingId, text: heading }),
          el('button', { type: 'button', class: 'ghost', text: newLabel, onclick: () => this.edit(null) })),
        el('div', { class: 'departments' }, list, form),
        el('div', { class: 'dialog-actions' }, el('button', { type: 'button', class: 'ghost', text: 'Close', onclick: () => this.finish(null) })))));
    this.dialog.addEventListener('cancel', () => this.finish(null));
    this.append(this.dialog);
  }

  /** Open, read the items, show the first. @param {EditorOptions<any>} opts @param {HTMLElement|undefined} focus */
  async openEditor(opts, focus) {
    this.opts = opts;
    this.current = null;
    const fields = /** @type {HTMLFieldSetElement} */ (this.fields);
    fields.disabled = true;
    const opened = this.openModal(focus);
    await this.reload();
    fields.disabled = false;
    this.edit(this.firstId());
    return opened;
  }

  get isOpen() { return Boolean(this.dialog?.open); }

  async reload() {
    if (!this.opts) return;
    try {
      this.take(await this.opts.load());
      this.renderList();
    } catch (err) {
      this.showError(err instanceof Error ? err.message : String(err));
    }
  }

  /** Save the form's body (new or changed), then show what the server kept. @param {Record<string, any>} body */
  async saveBody(body) {
    const save = /** @type {HTMLButtonElement} */ (this.save);
    if (!this.opts) return;
    save.disabled = true;
    try {
      const saved = await this.opts.save(this.current, body);
      await this.reload();
      this.edit(saved.id);
    } catch (err) {
      this.showError(err instanceof Error ? err.message : String(err));
    } finally {
      save.disabled = false;
    }
  }

  async deleteCurrent() {
    if (!this.opts?.remove || this.current == null) return;
    try {
      await this.opts.remove(this.current);
      await this.reload();
      this.edit(this.firstId());
    } catch (err) {
      this.showError(err instanceof Error ? err.message : String(err));
    }
  }

  // ---- for the subclass ------------------------------------------------------------------------------
  /** Keep what `load` answered. @param {any} _loaded */
  take(_loaded) {}

  /** The first item's id (null when there is none). @returns {number|null} */
  firstId() { return null; }

  renderList() {}

  /** Show one item in the form (null: a new one). @param {number|null} _id */
  edit(_id) {}

  submit() {}
}
