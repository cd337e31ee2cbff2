// @ts-check
/**
 * <departments-dialog> (administrators): the departments chats are asked of — each with the department it is
 * part of, whether the widget offers it, and its agents (who also take the chats of the departments inside
 * it). Pick one to change it, or "New department"; Save and Delete say what the server answered. The list
 * follows colleagues' changes while open (teams.changed).
 */
import { el } from './dom.js';
import { ListEditorElement, agentChecks, checkedAgents } from './list-editor.js';

/** @typedef {import('../../shared/protocol.js').Team} Team */
/** @typedef {import('../../shared/protocol.js').Agent} Agent */

export class DepartmentsDialogElement extends ListEditorElement {
  constructor() {
    super();
    /** @type {Team[]} */
    this.teams = [];
    /** @type {Agent[]} */
    this.agents = [];
  }

  connectedCallback() {
    if (this.dialog) return;
    this.list = el('ul', { class: 'department-list', 'aria-label': 'Departments' });
    this.formTitle = el('h3', { id: 'dep-form-title' });
    this.nameInput = /** @type {HTMLInputElement} */ (el('input', { id: 'dep-title', type: 'text', maxlength: 100, required: true }));
    this.parent = /** @type {HTMLSelectElement} */ (el('select', { id: 'dep-parent' }));
    this.isPublic = /** @type {HTMLInputElement} */ (el('input', { id: 'dep-public', type: 'checkbox' }));
    this.wait = /** @type {HTMLInputElement} */ (el('input', { id: 'dep-wait', type: 'number', min: 0, max: 1440, step: 0.5,
      placeholder: 'the server’s setting', 'aria-describedby': 'dep-wait-hint' }));
    this.members = el('fieldset', { class: 'member-list' });
    this.error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    const form = /** @type {HTMLFormElement} */ (el('form', { class: 'department-form', 'aria-labelledby': 'dep-form-title' },
      this.formTitle,
      el('div', { class: 'field' }, el('label', { for: 'dep-title', text: 'Name' }), this.nameInput),
      el('div', { class: 'field' }, el('label', { for: 'dep-parent', text: 'Part of' }), this.parent),
      el('div', { class: 'check-field' }, this.isPublic, el('label', { for: 'dep-public', text: 'Offered in the chat widget' })),
      el('div', { class: 'field' }, el('label', { for: 'dep-wait', text: 'Offer an unanswered chat to a colleague after (minutes)' }), this.wait,
        el('small', { id: 'dep-wait-hint', class: 'muted', text: 'Empty: the server’s setting. 0: never.' })),
      this.members, this.error, this.formActions()));
    this.buildShell({ size: 'wide', headingId: 'dep-title-h', heading: 'Departments', newLabel: 'New department', list: this.list, form });
  }

  /**
   * @param {{load: () => Promise<[Team[], Agent[]]>, save: (id: number|null, body: Record<string, any>) => Promise<Team>,
   *   remove: (id: number) => Promise<any>}} opts
   */
  show(opts) {
    return this.openEditor(opts, this.nameInput);
  }

  /** @override @param {[Team[], Agent[]]} loaded */
  take([teams, agents]) {
    this.teams = teams;
    this.agents = agents;
  }

  /** @override */
  firstId() { return this.teams[0]?.id ?? null; }

  /** @override */
  renderList() {
    const teams = this.teams;
    const byId = new Map(teams.map((t) => [t.id, t]));
    /** @type {HTMLElement} */ (this.list).replaceChildren(...(teams.length ? teams.map((t) => el('li', null,
      el('button', { type: 'button', class: `department-item${t.id === this.current ? ' current' : ''}`, 'aria-current': t.id === this.current ? 'true' : null,
        onclick: () => this.edit(t.id) },
      el('span', { class: 'name', text: t.parent_id ? `${byId.get(t.parent_id)?.title ?? '…'} › ${t.title}` : t.title }),
      el('small', { class: 'muted', text: `${t.agents.length} agent${t.agents.length === 1 ? '' : 's'} · ${t.online_agents} online${t.is_public ? '' : ' · hidden'}` }))))
      : [el('li', { class: 'muted', text: 'No departments yet: every agent takes every chat.' })]));
  }

  /** Show one department in the form (null: a new one). @override @param {number|null} id */
  edit(id) {
    const team = this.teams.find((t) => t.id === id) ?? null;
    this.current = team ? team.id : null;
    /** @type {HTMLElement} */ (this.formTitle).textContent = team ? `Edit ${team.title}` : 'New department';
    /** @type {HTMLInputElement} */ (this.nameInput).value = team?.title ?? '';
    /** @type {HTMLInputElement} */ (this.isPublic).checked = team?.is_public ?? true;
    const seconds = team?.auto_transfer_seconds;
    /** @type {HTMLInputElement} */ (this.wait).value = seconds == null ? '' : String(seconds / 60);
    const parent = /** @type {HTMLSelectElement} */ (this.parent);
    parent.replaceChildren(el('option', { value: '0', text: '(none)' }),
      ...this.teams.filter((t) => t.id !== this.current).map((t) => el('option', { value: String(t.id), text: t.title })));
    parent.value = String(team?.parent_id ?? 0);
    agentChecks(/** @type {HTMLElement} */ (this.members), 'Agents', this.agents, team?.agents ?? []);
    /** @type {HTMLButtonElement} */ (this.remove_).hidden = !team;
    this.showError('');
    this.renderList();
    /** @type {HTMLInputElement} */ (this.nameInput).focus();
  }

  /** @override */
  submit() {
    const agentIds = checkedAgents(/** @type {HTMLElement} */ (this.members));
    const parentId = Number(/** @type {HTMLSelectElement} */ (this.parent).value);
    const minutes = /** @type {HTMLInputElement} */ (this.wait).value.trim();
    this.saveBody({ title: /** @type {HTMLInputElement} */ (this.nameInput).value.trim(), is_public: /** @type {HTMLInputElement} */ (this.isPublic).checked,
      agent_ids: agentIds, parent_id: this.current == null ? (parentId || null) : parentId,
      auto_transfer_seconds: minutes === '' ? null : Math.round(Number(minutes) * 60) });
  }
}

customElements.define('departments-dialog', DepartmentsDialogElement);
