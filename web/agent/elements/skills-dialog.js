// @ts-check
/**
 * <skills-dialog> (administrators): the skills a chat can ask for (Kayako Classic's chat skills) and the agents
 * who have each. A visitor rule routes a visitor's chat to a skill, and a transfer can hand a chat to one; the
 * agents with it ring first. Pick one to change it, or "New skill"; Save and Delete say what the server
 * answered. The list follows colleagues' changes while open (skills.changed).
 */
import { el } from './dom.js';
import { ListEditorElement, agentChecks, checkedAgents } from './list-editor.js';

/** @typedef {import('../../shared/protocol.js').Skill} Skill */
/** @typedef {import('../../shared/protocol.js').Agent} Agent */

export class SkillsDialogElement extends ListEditorElement {
  constructor() {
    super();
    /** @type {Skill[]} */
    this.skills = [];
    /** @type {Agent[]} */
    this.agents = [];
  }

  connectedCallback() {
    if (this.dialog) return;
    this.list = el('ul', { class: 'department-list', 'aria-label': 'Skills' });
    this.formTitle = el('h3', { id: 'skill-form-title' });
    this.nameInput = /** @type {HTMLInputElement} */ (el('input', { id: 'skill-title', type: 'text', maxlength: 100, required: true,
      placeholder: 'e.g. German, Billing, Enterprise' }));
    this.members = el('fieldset', { class: 'member-list' });
    this.error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    const form = /** @type {HTMLFormElement} */ (el('form', { class: 'department-form', 'aria-labelledby': 'skill-form-title' },
      this.formTitle,
      el('div', { class: 'field' }, el('label', { for: 'skill-title', text: 'Name' }), this.nameInput),
      this.members,
      el('small', { class: 'muted', text: 'A chat that asks for a skill rings the agents who have it first. If they are all busy it waits for them up to the server’s limit, then anyone may take it.' }),
      this.error, this.formActions()));
    this.buildShell({ size: 'wide', headingId: 'skill-title-h', heading: 'Skills', newLabel: 'New skill', list: this.list, form });
  }

  /**
   * @param {{load: () => Promise<[Skill[], Agent[]]>, save: (id: number|null, body: Record<string, any>) => Promise<Skill>,
   *   remove: (id: number) => Promise<any>}} opts
   */
  show(opts) {
    return this.openEditor(opts, this.nameInput);
  }

  /** @override @param {[Skill[], Agent[]]} loaded */
  take([skills, agents]) {
    this.skills = skills;
    this.agents = agents;
  }

  /** @override */
  firstId() { return this.skills[0]?.id ?? null; }

  /** @override */
  renderList() {
    /** @type {HTMLElement} */ (this.list).replaceChildren(...(this.skills.length ? this.skills.map((s) => el('li', null,
      el('button', { type: 'button', class: `department-item${s.id === this.current ? ' current' : ''}`, 'aria-current': s.id === this.current ? 'true' : null,
        onclick: () => this.edit(s.id) },
      el('span', { class: 'name', text: s.title }),
      el('small', { class: 'muted', text: `${s.agents.length} agent${s.agents.length === 1 ? '' : 's'} · ${s.online_agents} online` }))))
      : [el('li', { class: 'muted', text: 'No skills yet: chats go to any agent (of their department).' })]));
  }

  /** Show one skill in the form (null: a new one). @override @param {number|null} id */
  edit(id) {
    const skill = this.skills.find((s) => s.id === id) ?? null;
    this.current = skill ? skill.id : null;
    /** @type {HTMLElement} */ (this.formTitle).textContent = skill ? `Edit ${skill.title}` : 'New skill';
    /** @type {HTMLInputElement} */ (this.nameInput).value = skill?.title ?? '';
    agentChecks(/** @type {HTMLElement} */ (this.members), 'Agents with this skill', this.agents, skill?.agents ?? []);
    /** @type {HTMLButtonElement} */ (this.remove_).hidden = !skill;
    this.showError('');
    this.renderList();
    /** @type {HTMLInputElement} */ (this.nameInput).focus();
  }

  /** @override */
  submit() {
    this.saveBody({ title: /** @type {HTMLInputElement} */ (this.nameInput).value.trim(),
      agent_ids: checkedAgents(/** @type {HTMLElement} */ (this.members)) });
  }
}

customElements.define('skills-dialog', SkillsDialogElement);
