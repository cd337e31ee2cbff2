// @ts-check
/**
 * <team-page>: staff chat. Colleagues on the left (online first by the newest message, with unread counts),
 * the thread with the one picked on the right, and a box to write (Enter sends, Shift+Enter a new line).
 * A colleague's request to help in a chat carries a "Join as helper" button: you join it as an observer
 * (staff only). Nothing here ever reaches a visitor.
 */
import { formatTime, initials } from '../../shared/format.js';
import { el, emit } from './dom.js';
import { Intent, Topic } from '../state/names.js';
import { Running, listen } from './running.js';

export class TeamPageElement extends HTMLElement {
  constructor() {
    super();
    /** @type {number|null} the colleague whose thread is on screen */
    this.open = null;
  }

  /** @param {import('../state/app-store.js').AppStore} store @param {import('../state/actions.js').Actions} actions */
  setup(store, actions) {
    this.store = store;
    this.actions = actions;
    this.list = el('ul', { class: 'team-list', 'aria-label': 'Colleagues' });
    this.head = el('header', { class: 'team-head' });
    this.log = el('ol', { class: 'team-log', role: 'log', 'aria-label': 'Staff messages', 'aria-live': 'polite', tabindex: '0' });
    this.box = /** @type {HTMLTextAreaElement} */ (el('textarea', { rows: 2, maxlength: 5000, 'aria-label': 'Message to colleague',
      placeholder: 'Write to a colleague — only staff see this' }));
    this.box.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.send(); }
    });
    this.sendButton = el('button', { type: 'button', class: 'primary', text: 'Send', onclick: () => this.send() });
    this.thread = el('section', { class: 'team-thread', 'aria-label': 'Staff chat', hidden: true }, this.head, this.log,
      el('div', { class: 'team-compose' }, this.box, this.sendButton));
    this.empty = el('div', { class: 'empty-state' }, el('h3', { text: 'Pick a colleague' }),
      el('p', { class: 'muted', text: 'Messages between agents stay among staff: visitors never see them.' }));
    this.replaceChildren(el('h1', { class: 'sr-only', text: 'Team' }), el('aside', { class: 'team-side' }, this.list), this.empty, this.thread);
    this.running = new Running(() => [store.subscribe((what, id) => {
      if (id && id !== store.currentId) return;
      if (what.has(Topic.PAGE) || what.has(Topic.INSTANCES)) this.arrive();
      if (what.has(Topic.STAFF) || what.has(Topic.AGENTS) || what.has(Topic.INSTANCES) || what.has(Topic.PAGE)) this.render();
    }), listen(window, 'focus', () => this.render())]);  // what arrived while the window was in the back is read now
    this.arrive();
  }

  connectedCallback() { this.running?.start(); }
  disconnectedCallback() { this.running?.stop(); }

  get shown() { return this.store?.page === 'team' && Boolean(this.store?.current); }

  /** The page came into view: read the colleagues' threads (once per server; events keep them current). */
  arrive() {
    const inst = this.store?.current;
    if (!this.shown || !inst || inst.staffLoaded) return;
    this.actions?.staffThreads(inst.id).catch(() => {});
  }

  /** @param {number} agentId */
  pick(agentId) {
    const inst = this.store?.current;
    if (!inst) return;
    this.open = agentId;
    inst.staffOpen = agentId;
    if (!inst.staffMessages.has(agentId)) this.actions?.staffMessages(inst.id, agentId).catch(() => {});
    this.render();
    this.box?.focus();
  }

  render() {
    const inst = this.store?.current;
    if (!inst || !this.list) return;
    const threads = [...(inst.staffThreads?.values() ?? [])];
    const status = (/** @type {number} */ id) => inst.agents.get(id)?.status ?? 'OFFLINE';
    this.list.replaceChildren(...threads.map((t) => el('li', null, el('button', {
      type: 'button', class: `team-item${t.agent.id === this.open ? ' current' : ''}`, 'aria-current': t.agent.id === this.open ? 'true' : null,
      'aria-label': `${t.agent.full_name}, ${status(t.agent.id).toLowerCase()}${t.unread ? `, ${t.unread} unread` : ''}`,
      onclick: () => this.pick(t.agent.id) },
    el('span', { class: 'avatar small', 'aria-hidden': 'true', text: initials(t.agent.full_name) },
      el('span', { class: `presence ${status(t.agent.id).toLowerCase()}` })),
    el('span', { class: 'team-item-text' }, el('span', { class: 'name', text: t.agent.full_name }),
      el('small', { class: 'muted', text: t.last_message ? t.last_message.contents.slice(0, 60) : 'No messages yet' })),
    t.unread ? el('span', { class: 'badge', 'aria-hidden': 'true', text: String(t.unread) }) : null))));
    const open = this.open === null ? undefined : inst.staffThreads?.get(this.open);
    /** @type {HTMLElement} */ (this.thread).hidden = !open;
    /** @type {HTMLElement} */ (this.empty).hidden = Boolean(open);
    if (!open) return;
    /** @type {HTMLElement} */ (this.head).replaceChildren(el('h2', { text: open.agent.full_name }),
      el('small', { class: 'muted', text: status(open.agent.id) === 'ONLINE' ? 'Online' : status(open.agent.id).toLowerCase() }));
    const messages = inst.staffMessages.get(open.agent.id);
    const log = /** @type {HTMLElement} */ (this.log);
    log.replaceChildren(...(messages ?? []).map((m) => {
      const mine = m.sender.id === inst.me?.id;
      return el('li', { class: `team-msg${mine ? ' mine' : ''}` },
        el('p', { class: 'text', text: m.contents }),
        m.conversation_id && !mine ? el('button', { type: 'button', class: 'small primary', text: 'Join as helper',
          title: 'Join the chat as an observer: only staff see you',
          onclick: () => emit(this, Intent.STAFF_JOIN, { instance: inst.id, cid: m.conversation_id }) }) : null,
        el('small', { class: 'muted' }, el('time', { datetime: m.created_at, text: formatTime(m.created_at) }),
          mine && m.read_at ? ' · Read' : ''));
    }));
    log.scrollTop = log.scrollHeight;
    if (this.shown && document.hasFocus() && open.unread) this.actions?.readStaff(inst.id, open.agent.id).catch(() => {});
  }

  send() {
    const inst = this.store?.current;
    const box = /** @type {HTMLTextAreaElement} */ (this.box);
    const text = box.value.trim();
    if (!inst || this.open === null || !text) return;
    box.value = '';
    emit(this, Intent.STAFF_SEND, { instance: inst.id, agentId: this.open, text, restore: () => { if (!box.value) box.value = text; } });
  }
}

customElements.define('team-page', TeamPageElement);
