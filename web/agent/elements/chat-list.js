// @ts-check
/** <chat-list>: my open chats (owned, joined or observed) with unread counts and typing hints. */
import { initials } from '../../shared/format.js';
import { el, ago } from './dom.js';

export class ChatListElement extends HTMLElement {
  /** @param {import('../state/app-store.js').AppStore} store */
  setup(store) {
    this.store = store;
    this.list = el('ul', { class: 'chat-list', 'aria-label': 'My chats' });
    this.replaceChildren(el('h2', { class: 'side-title', text: 'My chats' }), this.list);
    store.subscribe((what) => {
      if (what.has('chats') || what.has('badges') || what.has('typing') || what.has('instances')) this.render();
    });
    this.render();
  }

  render() {
    const store = /** @type {import('../state/app-store.js').AppStore} */ (this.store);
    const inst = store.current;
    const list = /** @type {HTMLElement} */ (this.list);
    const chats = inst?.myChats() ?? [];
    const active = inst ? store.activeChats.get(inst.id) : null;
    if (!chats.length) {
      list.replaceChildren(el('li', { class: 'muted empty-line', text: 'No open chats. Accept a request or take one from the queue.' }));
      return;
    }
    list.replaceChildren(...chats.map((c) => {
      const unread = inst?.unread.get(c.id) ?? 0;
      const role = inst?.myRole(c);
      const typing = inst?.typing.get(c.id);
      const current = c.id === active;
      return el('li', null, el('button', {
        type: 'button', class: `chat-item${current ? ' current' : ''}${unread ? ' unread' : ''}`, dataset: { id: String(c.id) },
        'aria-current': current ? 'true' : null,
        'aria-label': `${c.visitor.name}, ${c.subject}${unread ? `, ${unread} unread` : ''}${role === 'OBSERVER' ? ', observing' : ''}`,
        onclick: () => inst && store.openChat(inst.id, c.id),
      },
      el('span', { class: 'avatar', 'aria-hidden': 'true', text: initials(c.visitor.name) }),
      el('span', { class: 'chat-item-text' },
        el('span', { class: 'chat-item-top' }, el('span', { class: 'name', text: c.visitor.name }),
          el('small', { class: 'muted', text: ago(c.last_post_at ?? c.created_at) })),
        el('span', { class: `chat-item-sub${typing ? ' typing' : ''}`, text: typing ? 'typing…' : c.subject })),
      role === 'OBSERVER' ? el('span', { class: 'tag', text: 'observing' }) : null,
      c.status === 'NEW' ? el('span', { class: 'tag warn', text: 'waiting' }) : null,
      unread ? el('span', { class: 'badge', 'aria-hidden': 'true', text: String(unread) }) : null));
    }));
  }
}

customElements.define('chat-list', ChatListElement);
