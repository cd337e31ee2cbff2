// @ts-check
/**
 * <transfer-dialog>: hand the chat to an online colleague (it rings them), to a department or to a skill (their
 * agents ring one at a time: Classic's transfer type staff|department|skill); resolves with {agent_id},
 * {department_id} or {skill_id}, or null. Departments and skills nobody can answer in now are shown, but
 * cannot be picked.
 */
import { initials } from '../../shared/format.js';
import { el } from './dom.js';

/** @typedef {{agent_id: number}|{department_id: number}|{skill_id: number}} TransferTarget */
/** @typedef {import('../../shared/protocol.js').Team} Team */
/** @typedef {import('../../shared/protocol.js').Skill} Skill */

const TRANSFER_HINT = 'The chat rings the colleague you pick, or the agents of a department or with a skill one at a time. You stay in it until one accepts.';

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
      this.finish(kind === 'department' ? { department_id: Number(id) } : kind === 'skill' ? { skill_id: Number(id) } : { agent_id: Number(id) });
    });
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog small', 'aria-labelledby': 'tr-title' }, form));
    this.dialog.addEventListener('cancel', () => this.finish(null));
    this.append(this.dialog);
  }

  /**
   * @param {Promise<import('../../shared/protocol.js').Agent[]>} loading @param {number|undefined} meId
   * @param {{teams?: Promise<Team[]>, currentTeam?: number|null, skills?: Promise<Skill[]>, currentSkill?: number|null,
   *   words?: {title: string, hint: string, confirm: string}}} [more] departments and skills to offer (with the
   *   chat's own), or other words for another use of the same choice (asking for help)
   * @returns {Promise<TransferTarget|null>}
   */
  async pick(loading, meId, more = {}) {
    const words = more.words ?? { title: 'Transfer chat', hint: TRANSFER_HINT, confirm: 'Transfer' };
    /** @type {HTMLElement} */ (this.heading).textContent = words.title;
    /** @type {HTMLElement} */ (this.hint).textContent = words.hint;
    /** @type {HTMLButtonElement} */ (this.ok).textContent = words.confirm;
    this.list?.replaceChildren(el('p', { class: 'muted', text: 'Loading agents…' }));
    this.dialog?.showModal();
    const done = new Promise((resolve) => { this.resolve = resolve; });
    try {
      const [all, departments, skills] = await Promise.all([loading, more.teams ?? Promise.resolve([]), more.skills ?? Promise.resolve([])]);
      const agents = all.filter((a) => a.id !== meId && a.status === 'ONLINE');
      const ok = /** @type {HTMLButtonElement} */ (this.ok);
      const groups = /** @type {const} */ ([['department', 'Departments', departments, more.currentTeam ?? null, 'this chat’s department'],
        ['skill', 'Skills', skills, more.currentSkill ?? null, 'this chat’s skill']]);
      ok.disabled = !agents.length && !groups.some(([, , list, current]) => list.some((g) => g.online_agents > 0 && g.id !== current));
      const rows = [];
      if (departments.length || skills.length) rows.push(el('h3', { class: 'pick-heading', text: 'Colleagues' }));
      if (!agents.length) rows.push(el('p', { class: 'muted', text: 'No other agent is online right now.' }));
      rows.push(...agents.map((a) => el('label', { class: 'agent-option' },
        el('input', { type: 'radio', name: 'target', value: `agent:${a.id}` }),
        el('span', { class: 'avatar small', 'aria-hidden': 'true', text: initials(a.full_name) }),
        el('span', { class: 'agent-name', text: a.full_name }),
        el('small', { class: 'muted', text: `${a.active_chats}/${a.max_chats} chats` }))));
      for (const [kind, heading, list, current, own] of groups) {
        if (!list.length) continue;
        rows.push(el('h3', { class: 'pick-heading', text: heading }));
        rows.push(...list.map((g) => {
          const usable = g.online_agents > 0 && g.id !== current;
          return el('label', { class: `agent-option${usable ? '' : ' unavailable'}` },
            el('input', { type: 'radio', name: 'target', value: `${kind}:${g.id}`, disabled: !usable }),
            el('span', { class: 'agent-name', text: g.title }),
            el('small', { class: 'muted', text: g.id === current ? own : g.online_agents ? `${g.online_agents} online` : 'nobody online' }));
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
