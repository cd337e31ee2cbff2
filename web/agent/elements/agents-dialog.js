// @ts-check
/**
 * <agents-dialog> (administrators): the team's accounts — each agent's name, role (Agent; Supervisor, who also
 * sees the dashboard and reports and may end or transfer any chat; Administrator, who also manages the team)
 * and chat limit, with their departments and skills for reference, and whether the account is enabled (a
 * disabled one cannot sign in; its chats go on without it). "New agent" creates an account with an e-mail
 * address and a first password the agent is given. Save says what the server answered (the only
 * administrator cannot stop being one). The list follows colleagues' changes while open.
 */
import { el } from './dom.js';
import { ListEditorElement } from './list-editor.js';

/** @typedef {import('../../shared/protocol.js').Agent} Agent */

const ROLE_CHOICES = /** @type {const} */ ([['AGENT', 'Agent'], ['SUPERVISOR', 'Supervisor — also the dashboard, reports and any chat'],
  ['ADMIN', 'Administrator — also manages the team']]);

/** The role an agent has, as the server takes it in a change. @param {Agent} a */
function roleName(a) {
  return a.role.type === 'ADMIN' ? 'ADMIN' : a.role.can_supervise ? 'SUPERVISOR' : 'AGENT';
}

export class AgentsDialogElement extends ListEditorElement {
  constructor() {
    super();
    /** @type {Agent[]} */
    this.agents = [];
  }

  connectedCallback() {
    if (this.dialog) return;
    this.list = el('ul', { class: 'department-list', 'aria-label': 'Agents' });
    this.formTitle = el('h3', { id: 'agent-form-title' });
    this.nameInput = /** @type {HTMLInputElement} */ (el('input', { id: 'agent-name', type: 'text', maxlength: 120, required: true, autocomplete: 'off' }));
    this.email = /** @type {HTMLInputElement} */ (el('input', { id: 'agent-email', type: 'email', maxlength: 254, autocomplete: 'off' }));
    this.password = /** @type {HTMLInputElement} */ (el('input', { id: 'agent-password', type: 'password', minlength: 8, maxlength: 256,
      autocomplete: 'new-password', 'aria-describedby': 'agent-password-hint' }));
    this.passwordField = el('div', { class: 'field' }, el('label', { for: 'agent-password', text: 'First password' }), this.password,
      el('small', { id: 'agent-password-hint', class: 'muted', text: 'At least 8 characters. Give it to them; they sign in with it.' }));
    this.roleSelect = /** @type {HTMLSelectElement} */ (el('select', { id: 'agent-role' }, ...ROLE_CHOICES.map(([v, t]) => el('option', { value: v, text: t }))));
    this.limit = /** @type {HTMLInputElement} */ (el('input', { id: 'agent-limit', type: 'number', min: 1, max: 50, step: 1, required: true }));
    this.enabled = /** @type {HTMLInputElement} */ (el('input', { id: 'agent-enabled', type: 'checkbox', 'aria-describedby': 'agent-enabled-hint' }));
    this.enabledField = el('div', { class: 'field' }, el('div', { class: 'check-field' }, this.enabled,
      el('label', { for: 'agent-enabled', text: 'Account enabled' })),
    el('small', { id: 'agent-enabled-hint', class: 'muted', text: 'Unticked: they are signed out everywhere and cannot sign in; the chats they are in go on without them. Their name stays on past chats.' }));
    this.groups = el('p', { class: 'muted' });
    this.error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    const form = /** @type {HTMLFormElement} */ (el('form', { class: 'department-form', 'aria-labelledby': 'agent-form-title' },
      this.formTitle,
      el('div', { class: 'field' }, el('label', { for: 'agent-name', text: 'Name' }), this.nameInput),
      el('div', { class: 'field' }, el('label', { for: 'agent-email', text: 'E-mail address' }), this.email),
      this.passwordField,
      el('div', { class: 'field' }, el('label', { for: 'agent-role', text: 'Role' }), this.roleSelect),
      el('div', { class: 'field' }, el('label', { for: 'agent-limit', text: 'Chats at once' }), this.limit),
      this.enabledField, this.groups, this.error, this.formActions()));
    this.buildShell({ size: 'wide', headingId: 'agents-title', heading: 'Agents', newLabel: 'New agent', list: this.list, form });
  }

  /**
   * @param {{load: () => Promise<Agent[]>, save: (id: number|null, body: Record<string, any>) => Promise<Agent>,
   *   remove: null}} opts
   */
  show(opts) {
    return this.openEditor(opts, this.nameInput);
  }

  /** @override @param {Agent[]} agents */
  take(agents) { this.agents = agents; }

  /** @override */
  firstId() { return this.agents[0]?.id ?? null; }

  /** @override */
  renderList() {
    /** @type {HTMLElement} */ (this.list).replaceChildren(...this.agents.map((a) => el('li', null,
      el('button', { type: 'button', class: `department-item${a.id === this.current ? ' current' : ''}`, 'aria-current': a.id === this.current ? 'true' : null,
        onclick: () => this.edit(a.id) },
      el('span', { class: 'name', text: a.full_name }),
      el('small', { class: 'muted', text: a.is_enabled === false ? `${a.role.title} · disabled`
        : `${a.role.title} · ${a.status.toLowerCase()} · ${a.active_chats}/${a.max_chats} chats` })))));
  }

  /** @override @param {number|null} id */
  edit(id) {
    const agent = this.agents.find((a) => a.id === id) ?? null;
    this.current = agent ? agent.id : null;
    /** @type {HTMLElement} */ (this.formTitle).textContent = agent ? `Edit ${agent.full_name}` : 'New agent';
    /** @type {HTMLInputElement} */ (this.nameInput).value = agent?.full_name ?? '';
    const email = /** @type {HTMLInputElement} */ (this.email);
    email.value = agent?.email ?? '';
    email.readOnly = Boolean(agent);  // an account's address is its login: it does not change here
    email.required = !agent;
    /** @type {HTMLElement} */ (this.passwordField).hidden = Boolean(agent);
    /** @type {HTMLInputElement} */ (this.password).value = '';
    /** @type {HTMLInputElement} */ (this.password).required = !agent;
    /** @type {HTMLSelectElement} */ (this.roleSelect).value = agent ? roleName(agent) : 'AGENT';
    /** @type {HTMLInputElement} */ (this.limit).value = String(agent?.max_chats ?? 4);
    /** @type {HTMLElement} */ (this.enabledField).hidden = !agent;
    /** @type {HTMLInputElement} */ (this.enabled).checked = agent?.is_enabled !== false;
    /** @type {HTMLElement} */ (this.groups).textContent = agent
      ? `Departments: ${(agent.teams ?? []).map((t) => t.title).join(', ') || 'none'} · Skills: ${(agent.skills ?? []).map((s) => s.title).join(', ') || 'none'}`
      : 'Put them in departments and give them skills from Manage → Departments and Skills.';
    /** @type {HTMLButtonElement} */ (this.remove_).hidden = true;  // accounts are kept: their chats name them
    this.showError('');
    this.renderList();
    /** @type {HTMLInputElement} */ (this.nameInput).focus();
  }

  /** @override */
  submit() {
    const body = { full_name: /** @type {HTMLInputElement} */ (this.nameInput).value.trim(), role: /** @type {HTMLSelectElement} */ (this.roleSelect).value,
      max_chats: Number(/** @type {HTMLInputElement} */ (this.limit).value) };
    if (this.current != null) Object.assign(body, { is_enabled: /** @type {HTMLInputElement} */ (this.enabled).checked });
    if (this.current == null) {
      Object.assign(body, { email: /** @type {HTMLInputElement} */ (this.email).value.trim(), password: /** @type {HTMLInputElement} */ (this.password).value });
    }
    this.saveBody(body);
  }
}

customElements.define('agents-dialog', AgentsDialogElement);
