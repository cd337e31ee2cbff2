// @ts-check
/** <queue-panel>: chats waiting for an agent, oldest first, each with Take. */
import { formatWhen } from '../../shared/format.js';
import { el, emit, reconcile, whenChanged } from './dom.js';
import { Intent, Topic } from '../state/names.js';
import { Running } from './running.js';

export class QueuePanelElement extends HTMLElement {
  constructor() {
    super();
    /** @type {Map<string, {node: Element, sig: string}>} */
    this.items = new Map();
    /** @type {{lastSig?: string}} */
    this.headingSig = {};
  }

  /** @param {import('../state/app-store.js').AppStore} store */
  setup(store) {
    this.store = store;
    this.title = '';
    this.heading = el('h2', { class: 'side-title' });
    this.list = el('ul', { class: 'queue-list', 'aria-label': 'Waiting chats' });
    this.replaceChildren(this.heading, this.list);
    this.running = new Running(() => [store.subscribe((what) => { if (what.has(Topic.QUEUE) || what.has(Topic.CHATS) || what.has(Topic.INSTANCES)) this.render(); })]);
    this.render();
  }

  connectedCallback() { this.running?.start(); }
  disconnectedCallback() { this.running?.stop(); }

  render() {
    const inst = this.store?.current;
    const all = inst?.queue() ?? [];
    const team = this.store?.chatTeam ?? '';
    const queue = team ? all.filter((c) => c.assigned_team?.title === team) : all;
    whenChanged(this.headingSig, String(queue.length), () => /** @type {HTMLElement} */ (this.heading).replaceChildren(
      'Queue ', el('span', { class: 'count-pill', text: String(queue.length) })));
    if (!queue.length) {
      this.items.clear();
      const text = all.length ? `Nobody is waiting for ${team}.` : 'Nobody is waiting.';
      if (this.list?.querySelector('.empty-line')?.textContent !== text) this.list?.replaceChildren(el('li', { class: 'muted empty-line', text }));
      return;
    }
    reconcile(/** @type {HTMLElement} */ (this.list), this.items, queue, (c, i) => [`${inst?.id}:${c.id}`,
      JSON.stringify([i, c.queue_position, c.requester.name, c.subject, formatWhen(c.created_at), c.assigned_team?.title, c.skill?.title])], (c, i) => el('li', { class: 'queue-item' },
      el('span', { class: 'queue-pos', 'aria-label': `Position ${c.queue_position ?? i + 1}`, text: String(c.queue_position ?? i + 1) }),
      el('span', { class: 'queue-text' },
        el('span', { class: 'queue-line' }, el('span', { class: 'name', text: c.requester.name }),
          el('time', { class: 'chat-item-time', datetime: c.created_at, title: 'Waiting since', text: formatWhen(c.created_at) })),
        el('small', { class: 'muted', text: [c.assigned_team?.title, c.skill?.title, c.subject].filter(Boolean).join(' · ') })),
      el('button', { type: 'button', class: 'small primary', 'aria-label': `Take the chat with ${c.requester.name}`,
        onclick: () => emit(this, Intent.OFFER_ACCEPT, { instance: inst?.id, cid: c.id }) }, 'Take')));
  }
}

customElements.define('queue-panel', QueuePanelElement);
