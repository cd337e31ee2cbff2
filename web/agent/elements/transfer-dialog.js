// @ts-check
/**
 * <transfer-dialog>: hand the chat to an online colleague (it rings them) or to a department (its agents ring
 * one at a time); resolves with {agent_id} or {department_id}, or null. Departments nobody can answer in now
 * are shown, but cannot be picked.
 */
import { initials } from '../../shared/format.js';
import { el } from './dom.js';

/** @typedef {{agent_id: number}|{department_id: number}} TransferTarget */

const TRANSFER_HINT = 'The chat rings the colleague you pick, or the agents of a department one at a time. You stay in it until one accepts.';

export class TransferDialogElement extends HTMLElement {
  connectedCallback() {
    if (this.dialog) return;
    this.list = el('div', { class: 'agent-pick', role: 'radiogroup', 'aria-labelledby': 'tr-title' });
    this.ok = /** @type {HTMLButtonElement} */ (el('button', { type: 'submit', class: 'primary', text: 'Transfer' }));
    this.heading = el('h2', { id: 'tr-title', text: 'Transfer chat' });
    this.hint = el('p', { class: 'muted', text: TRANSFER_HINT });
    const form = el('form', { class: 'dialog-body' },
      this.heading,
      this.hint,
      this.list,
      el('div', { class: 'dialog-actions' },
        el('button', { type: 'button', class: 'ghost', text: 'Cancel', onclick: () => this.finish(null) }), this.ok));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const picked = /** @type {HTMLInputElement|null} */ (form.querySelector('input[name="target"]:checked'));
      if (!picked) { this.finish(null); return; }
      const [kind, id] = picked.value.split(':');
      this.finish(kind === 'department' ? { department_id: Number(id) } : { agent_id: Number(id) });
    });
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog small', 'aria-labelledby': 'tr-title' }, form));
    this.dialog.addEventListener('cancel', () => this.finish(null));
    this.append(this.dialog);
  }

  /**
   * @param {Promise<import('../../shared/protocol.js').Agent[]>} loading @param {number|undefined} meId
   * @param {Promise<import('../../shared/protocol.js').Team[]>} [teams] @param {number|null} [currentTeam] the chat's department
   * @param {{title: string, hint: string, confirm: string}} [words] another use of the same choice (asking for help)
   * @returns {Promise<TransferTarget|null>}
   */
  async pick(loading, meId, teams, currentTeam = null, words = { title: 'Transfer chat', hint: TRANSFER_HINT, confirm: 'Transfer' }) {
    /** @type {HTMLElement} */ (this.heading).textContent = words.title;
    /** @type {HTMLElement} */ (this.hint).textContent = words.hint;
    /** @type {HTMLButtonElement} */ (this.ok).textContent = words.confirm;
    this.list?.replaceChildren(el('p', { class: 'muted', text: 'Loading agents…' }));
    this.dialog?.showModal();
    const done = new Promise((resolve) => { this.resolve = resolve; });
    try {
      const [all, departments] = await Promise.all([loading, teams ?? Promise.resolve([])]);
      const agents = all.filter((a) => a.id !== meId && a.status === 'ONLINE');
      const ok = /** @type {HTMLButtonElement} */ (this.ok);
      const open = departments.filter((d) => d.online_agents > 0 && d.id !== currentTeam);
      ok.disabled = !agents.length && !open.length;
      const rows = [];
      if (departments.length) rows.push(el('h3', { class: 'pick-heading', text: 'Colleagues' }));
      if (!agents.length) rows.push(el('p', { class: 'muted', text: 'No other agent is online right now.' }));
      rows.push(...agents.map((a) => el('label', { class: 'agent-option' },
        el('input', { type: 'radio', name: 'target', value: `agent:${a.id}` }),
        el('span', { class: 'avatar small', 'aria-hidden': 'true', text: initials(a.full_name) }),
        el('span', { class: 'agent-name', text: a.full_name }),
        el('small', { class: 'muted', text: `${a.active_chats}/${a.max_chats} chats` }))));
      if (departments.length) {
        rows.push(el('h3', { class: 'pick-heading', text: 'Departments' }));
        rows.push(...departments.map((d) => {
          const usable = d.online_agents > 0 && d.id !== currentTeam;
          return el('label', { class: `agent-option${usable ? '' : ' unavailable'}` },
            el('input', { type: 'radio', name: 'target', value: `department:${d.id}`, disabled: !usable }),
            el('span', { class: 'agent-name', text: d.title }),
            el('small', { class: 'muted', text: d.id === currentTeam ? 'this chat’s department'
              : d.online_agents ? `${d.online_agents} online` : 'nobody online' }));
        }));
      }
      this.list?.replaceChildren(...rows);
      const first = /** @type {HTMLInputElement|null|undefined} */ (this.list?.querySelector('input:not(:disabled)'));
      if (first) { first.checked = true; first.focus(); }
    } catch (err) {
      this.list?.replaceChildren(el('p', { class: 'form-error', role: 'alert', text: err instanceof Error ? err.message : String(err) }));
    }
    return /** @type {Promise<TransferTarget|null>} */ (done);
  }

  /** @param {TransferTarget|null} value */
  finish(value) {
    if (this.dialog?.open) this.dialog.close();
    this.resolve?.(value);
    this.resolve = null;
  }
}

customElements.define('transfer-dialog', TransferDialogElement);
