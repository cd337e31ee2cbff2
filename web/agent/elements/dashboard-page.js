// @ts-check
/**
 * <dashboard-page> (administrators): the team right now — chats waiting and for how long, chats in progress
 * per agent (with their limit) and per department, agents by status, the team's load, visitors online. Every
 * figure is text in a table (no picture without words); it follows events and ticks each second.
 */
import { el } from './dom.js';
import { Topic } from '../state/names.js';
import { Running, every } from './running.js';
import { liveFigures } from '../state/dashboard.js';
import { duration } from '../state/visitor-rows.js';

export class DashboardPageElement extends HTMLElement {
  /** @param {import('../state/app-store.js').AppStore} store */
  setup(store) {
    this.store = store;
    this.body = el('div', { class: 'dashboard' });
    this.replaceChildren(el('header', { class: 'page-head' }, el('h1', { text: 'Dashboard' }),
      el('span', { class: 'count', text: 'Live' })), this.body);
    this.running = new Running(() => [
      store.subscribe((what) => { if (what.has(Topic.PAGE) || what.has(Topic.CHATS) || what.has(Topic.QUEUE) || what.has(Topic.AGENTS) || what.has(Topic.VISITORS) || what.has(Topic.INSTANCES)) this.render(); }),
      every(1000, () => this.render()),
    ]);
    this.render();
  }

  connectedCallback() { this.running?.start(); }
  disconnectedCallback() { this.running?.stop(); }

  render() {
    const inst = this.store?.current;
    if (!inst || this.store?.page !== 'dashboard' || !this.body) return;
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
