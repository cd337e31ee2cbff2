// @ts-check
/** <chat-list>: my open chats (owned, joined or observed) with unread counts and typing hints; a Department filter
 * (for this list and the queue) appears once a chat there has a department. */
import { formatWhen, initials } from '../../shared/format.js';
import { el, reconcile, whenChanged } from './dom.js';
import { icon } from '../../shared/icons.js';
import { Topic } from '../state/names.js';
import { Running } from './running.js';

export class ChatListElement extends HTMLElement {
  constructor() {
    super();
    /** @type {Map<string, {node: Element, sig: string}>} */
    this.items = new Map();
    /** @type {{lastSig?: string}} */
    this.teamSig = {};
  }

  /** @param {import('../state/app-store.js').AppStore} store */
  setup(store) {
    this.store = store;
    this.list = el('ul', { class: 'chat-list', 'aria-label': 'My chats' });
    this.team = /** @type {HTMLSelectElement} */ (el('select', { class: 'side-filter', 'aria-label': 'Show chats of department', hidden: true }));
    this.team.addEventListener('change', () => store.setChatTeam(/** @type {HTMLSelectElement} */ (this.team).value));
    this.replaceChildren(el('div', { class: 'side-head' }, el('h2', { class: 'side-title', text: 'My chats' }), this.team), this.list);
    this.running = new Running(() => [store.subscribe((what) => {
      if (what.has(Topic.CHATS) || what.has(Topic.BADGES) || what.has(Topic.TYPING) || what.has(Topic.INSTANCES)) this.render();
    })]);
    this.render();
  }

  connectedCallback() { this.running?.start(); }
  disconnectedCallback() { this.running?.stop(); }

  /** The filter lists the departments of my chats and the waiting ones (kept while one is chosen).
   * @param {import('../../shared/protocol.js').Conversation[]} chats */
  renderTeams(chats) {
    const store = /** @type {import('../state/app-store.js').AppStore} */ (this.store);
    const select = /** @type {HTMLSelectElement} */ (this.team);
    const titles = [...new Set(chats.map((c) => c.assigned_team?.title ?? '').filter(Boolean))];
    if (store.chatTeam && !titles.includes(store.chatTeam)) titles.push(store.chatTeam);
    titles.sort((a, b) => a.localeCompare(b));
    select.hidden = !titles.length;
    whenChanged(this.teamSig, titles.join('\u0001'), () => select.replaceChildren(el('option', { value: '', text: 'All departments' }),
      ...titles.map((t) => el('option', { value: t, text: t }))));
    select.value = store.chatTeam;
  }

  render() {
    const store = /** @type {import('../state/app-store.js').AppStore} */ (this.store);
    const inst = store.current;
    const list = /** @type {HTMLElement} */ (this.list);
    const mine = inst?.myChats() ?? [];
    this.renderTeams([...mine, ...(inst?.queue() ?? [])]);
    const chats = store.chatTeam ? mine.filter((c) => c.assigned_team?.title === store.chatTeam) : mine;
    const active = inst ? store.activeChats.get(inst.id) : null;
    if (!chats.length) {
      this.items.clear();
      const text = mine.length ? `No open chats of ${store.chatTeam}.` : 'No open chats. Accept a request or take one from the queue.';
      if (list.querySelector('.empty-line')?.textContent !== text) list.replaceChildren(el('li', { class: 'muted empty-line', text }));
      return;
    }
    // A message changes one item (its time, unread count); the others are not rebuilt.
    reconcile(list, this.items, chats, (c) => {
      const typing = Boolean(inst?.typing.get(c.id));
      const when = c.last_replied_at ?? c.created_at;
      return [`${inst?.id}:${c.id}`, JSON.stringify([c.requester.name, c.subject, inst?.unread.get(c.id) ?? 0, inst?.myRole(c),
        typing, c.id === active, formatWhen(when), when, c.status.type, c.assigned_team?.title, c.skill?.title])];
    }, (c) => {
      const unread = inst?.unread.get(c.id) ?? 0;
      const role = inst?.myRole(c);
      const typing = inst?.typing.get(c.id);
      const current = c.id === active;
      const when = c.last_replied_at ?? c.created_at;
      return el('li', null, el('button', {
        type: 'button', class: `chat-item${current ? ' current' : ''}${unread ? ' unread' : ''}`, dataset: { id: String(c.id) },
        'aria-current': current ? 'true' : null,
        'aria-label': `${c.requester.name}, ${c.subject}${c.assigned_team ? `, ${c.assigned_team.title}` : ''}${c.skill ? `, skill ${c.skill.title}` : ''}${unread ? `, ${unread} unread` : ''}${role === 'OBSERVER' ? ', observing' : ''}${c.status.type === 'NEW' ? ', waiting' : ''}`,
        onclick: () => inst && store.openChat(inst.id, c.id),
      },
      el('span', { class: 'avatar', 'aria-hidden': 'true', text: initials(c.requester.name) }),
      // Two lines, each with one part that gives way (the name, the subject) and fixed parts beside it:
      // the time on the first, the role / waiting tags and the unread count on the second.
      el('span', { class: 'chat-item-text' },
        el('span', { class: 'chat-item-line' }, el('span', { class: 'name', text: c.requester.name }),
          el('time', { class: 'chat-item-time', datetime: when, text: formatWhen(when) })),
        el('span', { class: 'chat-item-line' },
          el('span', { class: `chat-item-sub${typing ? ' typing' : ''}`, text: typing ? 'typing…' : c.subject }),
          role === 'OBSERVER' ? el('span', { class: 'tag observing' }, icon('eye', 12), 'Observing') : null,
          c.assigned_team ? el('span', { class: 'tag department', title: 'Department', text: c.assigned_team.title }) : null,
          c.skill ? el('span', { class: 'tag skill', title: 'Skill asked for', text: c.skill.title }) : null,
          c.status.type === 'NEW' ? el('span', { class: 'tag warn', text: 'Waiting' }) : null,
          unread ? el('span', { class: 'badge', 'aria-hidden': 'true', text: String(unread) }) : null))));
    });
  }
}

customElements.define('chat-list', ChatListElement);
