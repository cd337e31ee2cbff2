// @ts-check
/**
 * What the agent is told beyond the chat in front of them: OS notifications for requests and background
 * messages (the desktop shell raises its own), invitation answers, the desktop badge's counts. No DOM: the
 * window's state, the toasts and the browser's Notification are handed in.
 */
import { Event } from '../../shared/protocol.js';

/** @typedef {import('../../shared/protocol.js').Offer} Offer */
/** @typedef {import('../../shared/protocol.js').Post} Post */
/** @typedef {import('../../shared/protocol.js').Invitation} Invitation */
/** @typedef {{hidden: () => boolean, focused: () => boolean, focus: () => void}} Screen the window */
/** @typedef {{kind: 'staff', instance: string, agent: number, title: string, body: string}} StaffNotice a colleague's
 * message for NativeApi.notify (app/kayako_desktop/desktop/native_api.py); a click opens the thread with `agent` */

export class Notifier {
  /**
   * @param {{store: import('./app-store.js').AppStore, native: typeof import('./native.js').native, screen: Screen,
   *   toast: (text: string, kind?: 'success') => void, openChat: (id: string, cid: number) => void,
   *   openStaff: (id: string, agentId: number) => void, browser?: typeof Notification|null}} deps `openStaff`: the
   *   Team page on the thread with that colleague; `browser`: the Notification API (none in some webviews)
   */
  constructor({ store, native, screen, toast, openChat, openStaff, browser = globalThis.Notification ?? null }) {
    this.store = store;
    this.native = native;
    this.screen = screen;
    this.toast = toast;
    this.openChat = openChat;
    this.openStaff = openStaff;
    this.browser = browser;
    this.lastCounts = '';
  }

  /** One frame from the bridge (after the store applied it). @param {import('../../shared/socket.js').Frame} frame */
  frame({ instance, type, data }) {
    if (type === Event.OFFER_CREATED) this.offer(data.offer);
    else if (type === Event.MESSAGE_CREATED && instance) this.message(instance, data.post);
    else if (type === Event.INVITATION_UPDATED && instance) this.invitation(instance, data.invitation);
    else if (type === Event.STAFF_MESSAGE_CREATED && instance) this.staff(instance, data.message);
    else if (type === Event.VISITOR_ALERT && instance) this.alert(instance, data.visitor, data.rule);
  }

  /** A browser notification may be shown: the tab is in the background and the user allowed them. */
  mayShow() {
    return !this.native.available && this.screen.hidden() && this.browser?.permission === 'granted';
  }

  /** @param {string} title @param {NotificationOptions} options @param {() => void} [onClick] */
  show(title, options, onClick) {
    if (!this.browser) return;
    const n = new this.browser(title, options);
    n.onclick = () => { this.screen.focus(); onClick?.(); n.close(); };
  }

  /** @param {Offer} offer */
  offer(offer) {
    if (!this.mayShow()) return;
    const c = offer.conversation;
    this.show(`Chat request from ${c.requester.name}`, { body: c.subject, tag: `offer-${offer.id}` });
  }

  /** A visitor wrote in a chat of mine that is not in front of me (click → that chat). @param {string} id @param {Post} post */
  message(id, post) {
    const { store } = this;
    const inst = store.get(id);
    const c = inst?.cases.get(post?.conversation_id);
    if (!inst || !c || post.creator?.kind !== 'VISITOR' || !inst.myRole(c)) return;
    const inFront = this.screen.focused() && !this.screen.hidden() && store.currentId === id && store.page === 'chats'
      && store.activeChats.get(id) === c.id;
    if (inFront) return;
    const title = store.instances.length > 1 ? `${post.creator.full_name} · ${inst.info.name || inst.info.url}` : post.creator.full_name;
    const body = post.kind === 'TEXT' ? post.contents.slice(0, 200)
      : `Sent ${post.kind === 'IMAGE' ? 'an image' : post.kind === 'FILE' ? 'a file' : 'a message'}`;
    if (this.native.available) { this.native.notify({ kind: 'message', instance: id, cid: c.id, title, body }); return; }
    if (!this.mayShow()) return;
    this.show(title, { body, tag: `chat-${id}-${c.id}` }, () => this.openChat(id, c.id));
  }

  /** A visitor matched a rule that alerts the agents: a toast, and the system's notification when the window is
   * in the back (click → the Visitors screen). @param {string} id @param {import('../../shared/protocol.js').Visitor} v @param {string} rule */
  alert(id, v, rule) {
    const where = v.current_title || v.current_url || 'the website';
    this.toast(`${rule}: ${v.name} is on ${where}`);
    const open = () => { this.store.selectInstance(id); this.store.setPage('visitors'); };
    if (this.native.available) {
      if (!this.screen.focused()) this.native.notify({ kind: 'alert', instance: id, visitor: v.id, title: rule, body: `${v.name} is on ${where}` });
      return;
    }
    if (this.mayShow()) this.show(rule, { body: `${v.name} is on ${where}`, tag: `alert-${id}-${v.id}` }, open);
  }

  /** A colleague wrote to me: a toast unless their thread is on screen (the Team badge counts it), and the system's
   * notification while the window is in the back (click → the Team page on that thread). Never for my own message.
   * @param {string} id @param {import('../../shared/protocol.js').StaffMessage} m */
  staff(id, m) {
    const inst = this.store.get(id);
    if (!inst || m.sender.id === inst.me?.id) return;
    const onScreen = !this.screen.hidden() && this.store.currentId === id && this.store.page === 'team' && inst.staffOpen === m.sender.id;
    const focused = this.screen.focused();
    if (onScreen && focused) return;
    const title = this.store.instances.length > 1 ? `${m.sender.full_name} · ${inst.info.name || inst.info.url}` : m.sender.full_name;
    const body = m.contents.slice(0, 200);
    if (!onScreen) this.toast(m.conversation_id ? `${m.sender.full_name} asks for your help in a chat (Team)` : `${m.sender.full_name}: ${m.contents.slice(0, 120)}`);
    if (this.native.available) {
      if (focused) return;
      /** @type {StaffNotice} */
      const notice = { kind: 'staff', instance: id, agent: m.sender.id, title, body };
      this.native.notify(notice);
      return;
    }
    if (this.mayShow()) this.show(title, { body, tag: `staff-${id}-${m.sender.id}` }, () => this.openStaff(id, m.sender.id));
  }

  /** The visitor answered my invitation: an accepted one opens its chat at once. @param {string} id @param {Invitation} inv */
  invitation(id, inv) {
    const name = this.store.get(id)?.visitors.get(inv.visitor_id)?.name ?? 'The visitor';
    if (inv.state === 'ACCEPTED' && inv.conversation_id) {
      this.toast(`${name} accepted your invitation`, 'success');
      this.openChat(id, inv.conversation_id);
    } else if (inv.state === 'DECLINED') {
      this.toast(`${name} declined your invitation`);
    }
  }

  /** In a browser tab, ask once whether notifications may be shown (the desktop app refuses the page's ask). */
  askPermission() {
    if (this.native.available || this.browser?.permission !== 'default') return;
    this.browser.requestPermission().catch(() => {});
  }

  /** Tell the desktop shell the counts (its badge and tray) when they change. */
  attention() {
    const now = attentionCounts(this.store);
    const key = `${now.requests}/${now.unread}`;
    if (key === this.lastCounts) return;
    this.lastCounts = key;
    this.native.setAttention(now);
  }
}

/** Requests waiting and unread messages, summed over every server. @param {import('./app-store.js').AppStore} store */
export function attentionCounts(store) {
  let requests = 0;
  let unread = 0;
  for (const inst of store.instances) {
    requests += inst.offers.size;
    for (const c of inst.myChats()) unread += inst.unread.get(c.id) ?? 0;
  }
  return { requests, unread };
}
