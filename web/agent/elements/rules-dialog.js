// @ts-check
/**
 * <rules-dialog> (administrators): visitor rules — conditions on what a visitor does (current page, page
 * title, referrer, country, visits, time on site, pages viewed) and what a match does (colour the row, alert
 * the agents online, invite the visitor to chat, route the chat they start to a skill). Pick one to change it, or "New rule"; the server's reason
 * shows when a rule cannot work.
 */
import { el } from './dom.js';
import { ListEditorElement } from './list-editor.js';

/** @typedef {import('../../shared/protocol.js').VisitorRule} VisitorRule */
/** @typedef {import('../../shared/protocol.js').Skill} Skill */

const FIELDS = /** @type {const} */ ([['current_url', 'Current page address'], ['page_title', 'Page title'],
  ['referrer', 'Came from (referrer)'], ['country', 'Country'], ['visits', 'Visits'],
  ['time_on_site', 'Seconds on the site'], ['pages_viewed', 'Pages viewed']]);
const NUMERIC = new Set(['visits', 'time_on_site', 'pages_viewed']);
const TEXT_OPS = /** @type {const} */ ([['contains', 'contains'], ['not_contains', 'does not contain'], ['equals', 'is'],
  ['starts_with', 'starts with']]);
const NUMBER_OPS = /** @type {const} */ ([['at_least', 'is at least'], ['at_most', 'is at most']]);
const COLOURS = /** @type {const} */ ([['', 'No colour'], ['#f59e0b', 'Amber'], ['#22c55e', 'Green'], ['#3b82f6', 'Blue'],
  ['#ef4444', 'Red'], ['#a855f7', 'Purple']]);

/** A colour sample (set through the style object: the page's CSP refuses style attributes). @param {string} colour */
function swatch(colour) {
  const node = el('span', { class: 'swatch', 'aria-hidden': 'true' });
  node.style.background = colour;
  return node;
}

export class RulesDialogElement extends ListEditorElement {
  constructor() {
    super();
    /** @type {VisitorRule[]} */
    this.rules = [];
    /** @type {Skill[]} */
    this.skills = [];
  }

  connectedCallback() {
    if (this.dialog) return;
    this.list = el('ul', { class: 'department-list', 'aria-label': 'Rules' });
    this.formTitle = el('h3', { id: 'rule-form-title' });
    this.nameInput = /** @type {HTMLInputElement} */ (el('input', { id: 'rule-title', type: 'text', maxlength: 100 }));
    this.enabled = /** @type {HTMLInputElement} */ (el('input', { id: 'rule-enabled', type: 'checkbox' }));
    this.match = /** @type {HTMLSelectElement} */ (el('select', { id: 'rule-match' },
      el('option', { value: 'ALL', text: 'all of these' }), el('option', { value: 'ANY', text: 'any of these' })));
    this.conditions = el('ol', { class: 'rule-conditions', 'aria-label': 'Conditions' });
    this.colour = /** @type {HTMLSelectElement} */ (el('select', { id: 'rule-colour' },
      ...COLOURS.map(([v, t]) => el('option', { value: v, text: t }))));
    this.alertBox = /** @type {HTMLInputElement} */ (el('input', { id: 'rule-alert', type: 'checkbox' }));
    this.invite = /** @type {HTMLTextAreaElement} */ (el('textarea', { id: 'rule-invite', rows: 2, maxlength: 1000,
      placeholder: 'Empty: no invitation' }));
    this.skill = /** @type {HTMLSelectElement} */ (el('select', { id: 'rule-skill' }));
    this.error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    const form = /** @type {HTMLFormElement} */ (el('form', { class: 'department-form', 'aria-labelledby': 'rule-form-title' },
      this.formTitle,
      el('div', { class: 'field' }, el('label', { for: 'rule-title', text: 'Name' }), this.nameInput),
      el('div', { class: 'check-field' }, this.enabled, el('label', { for: 'rule-enabled', text: 'On' })),
      el('div', { class: 'field inline' }, el('label', { for: 'rule-match', text: 'When a visitor matches' }), this.match),
      this.conditions,
      el('button', { type: 'button', class: 'ghost small', text: 'Add a condition', onclick: () => this.addCondition() }),
      el('div', { class: 'field' }, el('label', { for: 'rule-colour', text: 'Colour their row' }), this.colour),
      el('div', { class: 'check-field' }, this.alertBox, el('label', { for: 'rule-alert', text: 'Alert the agents online (once a visit)' })),
      el('div', { class: 'field' }, el('label', { for: 'rule-invite', text: 'Invite them to chat with this message' }), this.invite),
      el('div', { class: 'field' }, el('label', { for: 'rule-skill', text: 'Route the chat they start to agents with the skill' }), this.skill),
      this.error, this.formActions()));
    this.buildShell({ size: 'wider', headingId: 'rules-title', heading: 'Visitor rules', newLabel: 'New rule', list: this.list, form });
  }

  /**
   * @param {{load: () => Promise<[VisitorRule[], Skill[]]>, save: (id: number|null, body: Record<string, any>) => Promise<VisitorRule>,
   *   remove: (id: number) => Promise<any>}} opts
   */
  show(opts) {
    return this.openEditor(opts, this.nameInput);
  }

  /** @override @param {[VisitorRule[], Skill[]]} loaded */
  take([rules, skills]) {
    this.rules = rules;
    this.skills = skills;
  }

  /** @override */
  firstId() { return this.rules[0]?.id ?? null; }

  /** @override */
  renderList() {
    /** @type {HTMLElement} */ (this.list).replaceChildren(...(this.rules.length ? this.rules.map((r) => el('li', null,
      el('button', { type: 'button', class: `department-item${r.id === this.current ? ' current' : ''}`, 'aria-current': r.id === this.current ? 'true' : null,
        onclick: () => this.edit(r.id) },
      el('span', { class: 'name' }, r.colour ? swatch(r.colour) : null, r.title),
      el('small', { class: 'muted', text: [r.enabled ? null : 'off', r.alert ? 'alert' : null, r.invite_message ? 'invite' : null,
        r.colour ? 'colour' : null, r.skill ? `skill ${r.skill.title}` : null].filter(Boolean).join(' · ') }))))
      : [el('li', { class: 'muted', text: 'No rules yet.' })]));
  }

  /** @param {{field: string, op: string, value: string}} [c] */
  addCondition(c = { field: 'current_url', op: 'contains', value: '' }) {
    const n = (this.conditions?.children.length ?? 0) + 1;
    const field = /** @type {HTMLSelectElement} */ (el('select', { 'aria-label': `Condition ${n}: what` },
      ...FIELDS.map(([v, t]) => el('option', { value: v, text: t }))));
    const op = /** @type {HTMLSelectElement} */ (el('select', { 'aria-label': `Condition ${n}: how` }));
    const value = /** @type {HTMLInputElement} */ (el('input', { type: 'text', maxlength: 500, 'aria-label': `Condition ${n}: value` }));
    const ops = () => {
      const list = NUMERIC.has(field.value) ? NUMBER_OPS : TEXT_OPS;
      const keep = op.value;
      op.replaceChildren(...list.map(([v, t]) => el('option', { value: v, text: t })));
      if (list.some(([v]) => v === keep)) op.value = keep;
      value.inputMode = NUMERIC.has(field.value) ? 'numeric' : 'text';
    };
    field.addEventListener('change', ops);
    field.value = c.field;
    ops();
    op.value = c.op;
    value.value = c.value;
    const item = el('li', { class: 'rule-condition' }, field, op, value,
      el('button', { type: 'button', class: 'ghost small', 'aria-label': `Remove condition ${n}`, text: '✕', onclick: () => item.remove() }));
    this.conditions?.append(item);
  }

  /** @override @param {number|null} id */
  edit(id) {
    const rule = this.rules.find((r) => r.id === id) ?? null;
    this.current = rule ? rule.id : null;
    /** @type {HTMLElement} */ (this.formTitle).textContent = rule ? `Edit ${rule.title}` : 'New rule';
    /** @type {HTMLInputElement} */ (this.nameInput).value = rule?.title ?? '';
    /** @type {HTMLInputElement} */ (this.enabled).checked = rule?.enabled ?? true;
    /** @type {HTMLSelectElement} */ (this.match).value = rule?.match ?? 'ALL';
    /** @type {HTMLSelectElement} */ (this.colour).value = rule?.colour ?? '';
    /** @type {HTMLInputElement} */ (this.alertBox).checked = rule?.alert ?? false;
    /** @type {HTMLTextAreaElement} */ (this.invite).value = rule?.invite_message ?? '';
    const skill = /** @type {HTMLSelectElement} */ (this.skill);
    skill.replaceChildren(el('option', { value: '', text: this.skills.length ? 'No skill' : 'No skills yet (Manage → Skills)' }),
      ...this.skills.map((k) => el('option', { value: String(k.id), text: k.title })));
    skill.value = rule?.skill ? String(rule.skill.id) : '';
    this.conditions?.replaceChildren();
    for (const c of rule?.conditions ?? [undefined]) this.addCondition(c);
    /** @type {HTMLButtonElement} */ (this.remove_).hidden = !rule;
    this.showError('');
    this.renderList();
    /** @type {HTMLInputElement} */ (this.nameInput).focus();
  }

  /** @override */
  submit() {
    const conditions = [...(this.conditions?.children ?? [])].map((li) => {
      const [field, op, value] = /** @type {NodeListOf<HTMLInputElement|HTMLSelectElement>} */ (li.querySelectorAll('select, input'));
      return { field: field.value, op: op.value, value: value.value };
    });
    const invite = /** @type {HTMLTextAreaElement} */ (this.invite).value.trim();
    const body = { title: /** @type {HTMLInputElement} */ (this.nameInput).value.trim(), enabled: /** @type {HTMLInputElement} */ (this.enabled).checked,
      match: /** @type {HTMLSelectElement} */ (this.match).value, conditions, colour: /** @type {HTMLSelectElement} */ (this.colour).value || null,
      alert: /** @type {HTMLInputElement} */ (this.alertBox).checked, invite_message: invite || null,
      skill_id: Number(/** @type {HTMLSelectElement} */ (this.skill).value) || null };
    this.saveBody(body);
  }
}

customElements.define('rules-dialog', RulesDialogElement);
