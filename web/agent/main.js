// @ts-check
/** Wiring only: build the store, the bridge socket and the actions; hand them to the elements; route intents. */
import { Event } from '../shared/protocol.js';
import { Actions } from './state/actions.js';
import { AppStore } from './state/app-store.js';
import { ApiError } from './state/bridge-api.js';
import { BridgeSocket } from './state/bridge-socket.js';
import { native } from './state/native.js';
import { wireIntents } from './intents.js';
import { wireFirstRun } from './first-run.js';
import './elements/instance-tabs.js';
import './elements/status-menu.js';
import './elements/app-nav.js';
import './elements/connection-banner.js';
import './elements/visitors-page.js';
import './elements/chat-list.js';
import './elements/queue-panel.js';
import './elements/chat-window.js';
import './elements/history-page.js';
import './elements/request-popup.js';
import './elements/toast-stack.js';
import './elements/context-menu.js';
import './elements/instance-dialog.js';
import './elements/password-dialog.js';
import './elements/prompt-dialog.js';
import './elements/footprints-dialog.js';
import './elements/transfer-dialog.js';
import './elements/help-dialog.js';
import './elements/push-menu.js';
import './elements/push-image-dialog.js';
import './elements/push-file-dialog.js';
import './elements/push-code-dialog.js';
import { browserSound } from './elements/settings-dialog.js';

/** @param {string} sel */
const $ = (sel) => /** @type {any} */ (document.querySelector(sel));

/** Buffered visitor events are applied on the next frame, or within 250 ms while hidden (no frames then). */
function nextFrame(/** @type {() => void} */ run) {
  let done = false;
  const once = () => { if (!done) { done = true; run(); } };
  requestAnimationFrame(once);
  setTimeout(once, 250);
}

const store = new AppStore(nextFrame);
const socket = new BridgeSocket({
  onEvent(frame) {
    const cameOnline = store.applyFrame(frame);
    if (cameOnline) { resync(); if (frame.instance) resend(frame.instance); }
    if (frame.type === Event.INVITATION_UPDATED && frame.instance) invitationAnswered(frame.instance, frame.data.invitation);
    if (frame.type === Event.MACROS_CHANGED && frame.instance) actions.macros(frame.instance).then(() => store.emit(['macros'], frame.instance)).catch(() => {});
    if (frame.type === Event.OFFER_CREATED) notify(frame.data.offer);
    if (frame.type === Event.MESSAGE_CREATED && frame.instance) notifyMessage(frame.instance, frame.data.post);
  },
  onStatus(status) {
    // Back from a lost bridge connection: held messages and uploads go out again (same client_id: never twice).
    if (status === 'online' && store.bridgeStatus && store.bridgeStatus !== 'online') for (const inst of store.instances) resend(inst.id);
    store.bridgeStatus = status;
    store.emit(['bridge']);
  },
  onResync: () => resync(),
});
const actions = new Actions(store, socket);
const toasts = $('toast-stack');

/** Run an intent; show its failure as a toast. @param {() => Promise<any>} fn @param {string} [done] */
async function attempt(fn, done) {
  try {
    await fn();
    if (done) toasts.show(done, 'success');
  } catch (err) {
    toasts.show(err instanceof ApiError || err instanceof Error ? err.message : String(err), 'error');
  }
}

async function resync() {
  try {
    const seq = await actions.refreshSnapshot();
    if (seq !== null && socket.lastSeq === null) socket.lastSeq = seq;
  } catch { /* the socket's reconnect will try again */ }
}

/** An OS-level notification when the window is in the background (the desktop shell raises its own). @param {any} offer */
function notify(offer) {
  if (native.available || !document.hidden || !('Notification' in window) || Notification.permission !== 'granted') return;
  const n = new Notification(`Chat request from ${offer.conversation.visitor.name}`, { body: offer.conversation.subject, tag: `offer-${offer.id}` });
  n.onclick = () => { window.focus(); n.close(); };
}

/** A visitor wrote in a chat of mine that is not in front of me: an OS notification (click → that chat). */
function notifyMessage(/** @type {string} */ id, /** @type {any} */ post) {
  const inst = store.get(id);
  const c = inst?.cases.get(post?.conversation_id);
  if (!inst || !c || post.author?.kind !== 'VISITOR' || !inst.myRole(c)) return;
  const inFront = document.hasFocus() && !document.hidden && store.currentId === id && store.page === 'chats' && store.activeChats.get(id) === c.id;
  if (inFront) return;
  const title = store.instances.length > 1 ? `${post.author.name} · ${inst.info.name || inst.info.url}` : post.author.name;
  const body = post.kind === 'TEXT' ? post.contents.slice(0, 200) : `Sent ${post.kind === 'IMAGE' ? 'an image' : post.kind === 'FILE' ? 'a file' : 'a message'}`;
  if (native.available) { native.notify({ kind: 'message', instance: id, cid: c.id, title, body }); return; }
  if (!document.hidden || !('Notification' in window) || Notification.permission !== 'granted') return;
  const n = new Notification(title, { body, tag: `chat-${id}-${c.id}` });
  n.onclick = () => { window.focus(); openChatLoaded(id, c.id); n.close(); };
}

/** Requests waiting and unread messages, summed over every server (for the title and the desktop badge). */
function counts() {
  let requests = 0;
  let unread = 0;
  for (const inst of store.instances) {
    requests += inst.offers.size;
    for (const c of inst.myChats()) unread += inst.unread.get(c.id) ?? 0;
  }
  return { requests, unread };
}

let lastCounts = '';
function renderPages() {
  const inst = store.current;
  $('#welcome').hidden = !store.loaded || Boolean(inst);
  for (const page of document.querySelectorAll('main [data-page]')) {
    /** @type {HTMLElement} */ (page).hidden = !inst || /** @type {HTMLElement} */ (page).dataset.page !== store.page;
  }
  const total = store.totalAttention();
  document.title = total ? `(${total}) Kayako Desktop` : 'Kayako Desktop';
  const now = counts();
  const key = `${now.requests}/${now.unread}`;
  if (key !== lastCounts) { lastCounts = key; native.setAttention(now); }
}

/** Messages that failed while the server was unreachable go out again once it is back (same client_id: no duplicates). */
function resend(/** @type {string} */ id) {
  const inst = store.get(id);
  for (const [cid, t] of inst?.timelines ?? []) {
    for (const item of [...t.pending.values()]) {
      if (item.failed && item.retryable !== false) { delete item.failed; actions.deliver(id, cid, item); }
    }
  }
}

/** The visitor answered my invitation: an accepted one opens its chat at once. */
function invitationAnswered(/** @type {string} */ id, /** @type {any} */ inv) {
  const name = store.get(id)?.visitors.get(inv.visitor_id)?.name ?? 'The visitor';
  if (inv.state === 'ACCEPTED' && inv.conversation_id) {
    toasts.show(`${name} accepted your invitation`, 'success');
    openChatLoaded(id, inv.conversation_id);
  } else if (inv.state === 'DECLINED') {
    toasts.show(`${name} declined your invitation`);
  }
}

function openChatLoaded(/** @type {string} */ id, /** @type {number} */ cid) {
  const t = store.get(id)?.timeline(cid);
  store.openChat(id, cid);
  if (t && !t.loaded) attempt(() => actions.loadPosts(id, cid));
}

$('instance-tabs').setup(store);
$('status-menu').setup(store);
$('app-nav').setup(store);
$('connection-banner').setup(store);
$('visitors-page').setup(store, $('context-menu'));
$('chat-list').setup(store);
$('queue-panel').setup(store);
$('chat-window').setup(store, (/** @type {string} */ id) => actions.api(id));
$('history-page').setup(store, actions);
$('request-popup').setup(store);
$('push-menu').setup(store, $('context-menu'));
{ const s = browserSound(); $('request-popup').setRepeat(s.sound_repeat, s.sound_repeat_seconds); }
document.addEventListener('show-settings', () => {
  const inst = store.current;
  const profile = inst?.me ? { server: inst.info.name || inst.info.url, name: inst.me.full_name,
    save: (/** @type {string} */ name) => actions.rename(inst.id, name) } : null;
  $('settings-dialog').open({ native, profile,
    onSaved: (/** @type {any} */ s) => { $('request-popup').setRepeat(s.sound_repeat, s.sound_repeat_seconds); toasts.show('Settings saved', 'success'); } });
});
store.subscribe((what) => { if (what.has('page') || what.has('instances') || what.has('badges') || what.has('offers')) renderPages(); });
store.subscribe((what, id) => {
  // Opening a chat from the list: fetch its timeline the first time.
  if (!what.has('page') || store.page !== 'chats') return;
  const inst = id ? store.get(id) : store.current;
  const cid = inst ? store.activeChats.get(inst.id) : null;
  if (inst && cid != null && !inst.timeline(cid).loaded) attempt(() => actions.loadPosts(inst.id, cid));
});

wireIntents({ store, actions, attempt, openChatLoaded, $ });

document.addEventListener('visibilitychange', () => { store.visible = !document.hidden; });
document.addEventListener('pointerdown', () => {
  // In a browser tab, ask once (on a click: browsers ignore asks without one). The desktop app raises its
  // own OS notifications and refuses the page's ask (app/desktop/permissions.py).
  if (native.available || !('Notification' in window) || Notification.permission !== 'default') return;
  Notification.requestPermission().catch(() => {});
}, { once: true });

/** What the desktop shell calls on this window (app/desktop/shell.py), and links opened in the system browser. */
function wireDesktop() {
  const firstRun = wireFirstRun({ actions, $, toasts });
  /** @type {any} */ (window).kayakoDesktop = {
    ready: false,
    setupStatus: firstRun.setupStatus,
    askName: firstRun.askName,
    openChat: (/** @type {string} */ id, /** @type {number} */ cid) => { store.selectInstance(id); openChatLoaded(id, Number(cid)); window.focus(); },
    focusInstance: (/** @type {string} */ id) => store.selectInstance(id),
    notice: (/** @type {string} */ message, /** @type {string} */ level = 'info') => toasts.show(message, level === 'error' ? 'error' : undefined),
  };
  document.addEventListener('click', (e) => {
    const a = /** @type {HTMLElement} */ (e.target).closest?.('a[target="_blank"]');
    if (!a || !native.available) return;
    e.preventDefault();
    native.openExternal(/** @type {HTMLAnchorElement} */ (a).href);
  });
}

wireDesktop();
native.init().then((yes) => {
  if (!yes) return;
  document.documentElement.classList.add('native');
  const info = native.info;
  if (info && !info.notifications.available) toasts.show(`Desktop notifications are unavailable: ${info.notifications.reason}. Chat requests still pop up in this window.`);
  if (info && !info.keyring.available && !info.keyring.pending) toasts.show(`No system keyring: ${info.keyring.reason}`, 'error');
  if (info?.settings) $('request-popup').setRepeat(info.settings.sound_repeat, info.settings.sound_repeat_seconds);
  if (info?.setup) /** @type {any} */ (window).kayakoDesktop.setupStatus(info.setup);
});

try {
  const seq = await actions.refreshSnapshot();
  renderPages();
  socket.start(seq);
  /** @type {any} */ (window).kayakoDesktop.ready = true;
} catch (err) {
  $('#bridge-error').hidden = false;
  $('#bridge-error-text').textContent = err instanceof ApiError && err.status === 403
    ? 'This page must be opened from the Kayako Desktop app (the link it opens carries a one-time key).'
    : `The local service did not answer (${err instanceof Error ? err.message : err}). Restart Kayako Desktop.`;
}
