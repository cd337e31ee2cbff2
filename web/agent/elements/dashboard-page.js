// @ts-check
/**
 * <dashboard-page> (supervisors and administrators): the team right now — chats waiting and for how long, chats in progress
 * per agent (with their limit) and per department, agents by status, the team's load, visitors online. Every
 * figure is text in a table (no picture without words); it follows events and ticks each second.
 */
import { el, emit } from './dom.js';
import { Intent, Topic } from '../state/names.js';
import { Running, every } from './running.js';
import { liveFigures } from '../state/dashboard.js';
import { duration } from '../state/visitor-rows.js';
import { barChart } from '../state/charts.js';

/** What the history shows for each day: [key, label, unit]. */
const METRICS = /** @type {const} */ ([['chats', 'Chats', ''], ['missed', 'Missed', ''], ['wait_avg', 'Average wait', ' s'],
  ['wait_p90', '90% waited at most', ' s'], ['first_response_avg', 'First response', ' s'], ['duration_avg', 'Chat length', ' s'],
  ['csat', 'Rated good', ' %'], ['transfers', 'Transfers', ''], ['declines', 'Declines', '']]);
/** The charts drawn (the table of every figure follows them). */
const CHARTS = /** @type {const} */ ([['chats', 'Chats a day', ''], ['wait_avg', 'Average wait before an agent takes a chat', ' s'],
  ['csat', 'Share of good ratings', ' %']]);

/** @param {Date} d */
const isoDay = (d) => d.toISOString().slice(0, 10);

export class DashboardPageElement extends HTMLElement {
  /** @param {import('../state/app-store.js').AppStore} store @param {import('../state/actions.js').Actions} actions */
  setup(store, actions) {
    this.store = store;
    this.actions = actions;
    this.body = el('div', { class: 'dashboard' });
    const today = new Date();
    this.from = /** @type {HTMLInputElement} */ (el('input', { type: 'date', id: 'rep-from', value: isoDay(new Date(today.getTime() - 6 * 86400000)) }));
    this.to = /** @type {HTMLInputElement} */ (el('input', { type: 'date', id: 'rep-to', value: isoDay(today) }));
    this.team = /** @type {HTMLSelectElement} */ (el('select', { id: 'rep-team' }, el('option', { value: '', text: 'All departments' })));
    this.agent = /** @type {HTMLSelectElement} */ (el('select', { id: 'rep-agent' }, el('option', { value: '', text: 'All agents' })));
    this.results = el('div', { class: 'report', 'aria-live': 'polite' });
    const form = /** @type {HTMLFormElement} */ (el('form', { class: 'report-form', 'aria-label': 'History range' },
      el('div', { class: 'field' }, el('label', { for: 'rep-from', text: 'From' }), this.from),
      el('div', { class: 'field' }, el('label', { for: 'rep-to', text: 'To' }), this.to),
      el('div', { class: 'field' }, el('label', { for: 'rep-team', text: 'Department' }), this.team),
      el('div', { class: 'field' }, el('label', { for: 'rep-agent', text: 'Agent' }), this.agent),
      el('button', { type: 'submit', class: 'primary', text: 'Show' }),
      el('button', { type: 'button', class: 'ghost', text: 'Export CSV', onclick: () => this.exportCsv() })));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.loadHistory(); });
    this.history = el('section', { class: 'dash-history', 'aria-labelledby': 'history-title' },
      el('h2', { id: 'history-title', text: 'History' }), form, this.results);
    this.replaceChildren(el('header', { class: 'page-head' }, el('h1', { text: 'Dashboard' }),
      el('span', { class: 'count', text: 'Live' })), el('div', { class: 'dash-scroll', tabindex: '0', 'aria-label': 'Dashboard figures' }, this.body, this.history));
    this.running = new Running(() => [
      store.subscribe((what) => { if (what.has(Topic.PAGE) || what.has(Topic.CHATS) || what.has(Topic.QUEUE) || what.has(Topic.AGENTS) || what.has(Topic.VISITORS) || what.has(Topic.INSTANCES)) this.render(); }),
      every(1000, () => this.render()),
    ]);
    this.render();
  }

  connectedCallback() { this.running?.start(); }

  /** The range's filters and figures (read when the page opens, and on Show). */
  params() {
    const q = new URLSearchParams({ from: /** @type {HTMLInputElement} */ (this.from).value, to: /** @type {HTMLInputElement} */ (this.to).value });
    if (this.team?.value) q.set('team_id', this.team.value);
    if (this.agent?.value) q.set('agent_id', this.agent.value);
    return q.toString();
  }

  async fillFilters() {
    const inst = this.store?.current;
    if (!inst || !this.actions || this.filled === inst.id) return;
    this.filled = inst.id;
    const teams = await this.actions.teams(inst.id).catch(() => []);
    /** @type {HTMLSelectElement} */ (this.team).replaceChildren(el('option', { value: '', text: 'All departments' }),
      ...teams.map((t) => el('option', { value: String(t.id), text: t.title })));
    /** @type {HTMLSelectElement} */ (this.agent).replaceChildren(el('option', { value: '', text: 'All agents' }),
      ...[...inst.agents.values()].sort((a, b) => a.full_name.localeCompare(b.full_name)).map((a) => el('option', { value: String(a.id), text: a.full_name })));
  }

  async loadHistory() {
    const inst = this.store?.current;
    const out = /** @type {HTMLElement} */ (this.results);
    if (!inst || !this.actions) return;
    out.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
    try {
      const report = await this.actions.api(inst.id).get(`reports/chats?${this.params()}`);
      this.drawHistory(report);
    } catch (err) {
      out.replaceChildren(el('p', { class: 'form-error', role: 'alert', text: err instanceof Error ? err.message : String(err) }));
    }
  }

  /** @param {import('../../shared/protocol.js').ChatReport} report */
  drawHistory(report) {
    const days = report.days.map((d) => d.day);
    const fmt = (/** @type {number|null|undefined} */ v, /** @type {string} */ unit) => (v == null ? '—' : `${v}${unit}`);
    const totals = el('div', { class: 'dash-tiles' }, ...METRICS.map(([key, label, unit]) => el('div', { class: 'dash-tile', role: 'group',
      'aria-label': `${label}: ${fmt(/** @type {any} */ (report.total)[key], unit)}` },
    el('span', { class: 'label', text: label }), el('strong', { text: fmt(/** @type {any} */ (report.total)[key], unit) }))));
    const charts = CHARTS.map(([key, label, unit]) => {
      const values = report.days.map((d) => /** @type {number|null} */ (/** @type {any} */ (d)[key]));
      const table = el('table', { class: 'dash-table compact', 'aria-label': `${label}: the numbers` },
        el('thead', null, el('tr', null, el('th', { scope: 'col', text: 'Day' }), el('th', { scope: 'col', text: label }))),
        el('tbody', null, ...report.days.map((d, i) => el('tr', null, el('th', { scope: 'row', text: d.day }),
          el('td', { class: 'num', text: fmt(values[i], unit) })))));
      return el('section', { class: 'dash-card chart-card', 'aria-label': label }, el('h3', { text: label }),
        el('div', { class: 'chart-pair' }, barChart({ label, values, days, unit, max: key === 'csat' ? 100 : undefined }),
          el('div', { class: 'chart-numbers', tabindex: '0', role: 'region', 'aria-label': `${label}, each day` }, table)));
    });
    /** @type {HTMLElement} */ (this.results).replaceChildren(totals, ...charts);
  }

  /** The CSV of the range on show, saved where the agent chooses (intents.js: REPORT_EXPORT). */
  exportCsv() {
    const inst = this.store?.current;
    if (!inst) return;
    emit(this, Intent.REPORT_EXPORT, { instance: inst.id, query: this.params(),
      name: `chats-${/** @type {HTMLInputElement} */ (this.from).value}-${/** @type {HTMLInputElement} */ (this.to).value}.csv` });
  }

  disconnectedCallback() { this.running?.stop(); }

  render() {
    const inst = this.store?.current;
    if (!inst || this.store?.page !== 'dashboard' || !this.body) return;
    if (this.filled !== inst.id) this.fillFilters().then(() => this.loadHistory());
    const f = liveFigures(inst, Date.now());
    /** @param {string} title @param {string[]} head @param {(string|number)[][]} rows @param {string} empty */
    const table = (title, head, rows, empty) => {
      const cell = (/** @type {string|number} */ v, /** @type {number} */ i) => (i === 0
        ? el('th', { scope: 'row', text: String(v) })
        : el('td', { class: typeof v === 'number' ? 'num' : null, text: String(v) }));
      const grid = el('table', { class: 'dash-table' },
        el('thead', null, el('tr', null, ...head.map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', null, ...rows.map((r) => el('tr', null, ...r.map(cell)))));
      return el('section', { class: 'dash-card', 'aria-label': title }, el('h2', { text: title }),
        rows.length ? grid : el('p', { class: 'muted', text: empty }));
    };
    const tiles = el('div', { class: 'dash-tiles' }, ...[
      ['Waiting', String(f.waiting.length), f.waiting.length ? `longest ${duration(f.longestWait)}` : 'nobody'],
      ['In progress', String(f.load.chats), `${f.load.seats} seats online`],
      ['Agents online', String(f.statuses.ONLINE), `${f.statuses.AWAY} away · ${f.statuses.BUSY} busy`],
      ['Visitors online', String(f.visitors.online), `${f.visitors.chatting} chatting · ${f.visitors.waiting} waiting`],
    ].map(([label, value, note]) => el('div', { class: 'dash-tile', role: 'group', 'aria-label': `${label}: ${value}, ${note}` },
      el('span', { class: 'label', text: label }), el('strong', { text: value }), el('small', { class: 'muted', text: note }))));
    this.body.replaceChildren(tiles,
      table('Chats waiting', ['Visitor', 'Question', 'Department', 'Waiting'],
        f.waiting.map((w) => [w.visitor, w.subject, w.department || '—', duration(w.waitedSeconds)]), 'Nobody is waiting.'),
      table('Chats in progress by agent', ['Agent', 'Status', 'Chats', 'Limit'],
        f.byAgent.map((a) => [a.name, a.status.toLowerCase(), a.chats, a.max]), 'No agents.'),
      table('By department', ['Department', 'Waiting', 'In progress'],
        f.byDepartment.map((d) => [d.name, d.waiting, d.inProgress]), 'No chats now.'));
  }
}

customElements.define('dashboard-page', DashboardPageElement);
