// @ts-check
/** Wiring only: build the store, the bridge socket and the actions; hand them to the elements; route intents. */
import { Event } from '../shared/protocol.js';
import { Actions } from './state/actions.js';
import { ViewingReporter } from './state/viewing.js';
import { AppStore } from './state/app-store.js';
import { ApiError } from './state/bridge-api.js';
import { BridgeSocket } from './state/bridge-socket.js';
import { Topic } from './state/names.js';
import { native } from './state/native.js';
import { Notifier } from './state/notifications.js';
import { QuietCollector } from './state/memory.js';
import { resendAll, resendFailed } from './state/resend.js';
import { wireIntents } from './intents.js';
import { wireDesktop } from './desktop.js';
import './elements/all.js';
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
const collector = new QuietCollector();
const socket = new BridgeSocket({
  onEvent(frame) {
    collector.touch();
    if (store.applyFrame(frame)) { resync(); if (frame.instance) resendFailed({ store, actions }, frame.instance); }
    if (frame.type === Event.MACROS_CHANGED && frame.instance) actions.macros(frame.instance).then(() => store.emit([Topic.MACROS], frame.instance)).catch(() => {});
    if (frame.type === Event.TEAMS_CHANGED && frame.instance === store.current?.id && $('departments-dialog').isOpen) $('departments-dialog').reload();
    if (frame.type === Event.SKILLS_CHANGED && frame.instance === store.current?.id && $('skills-dialog').isOpen) $('skills-dialog').reload();
    if ((frame.type === Event.BAN_CREATED || frame.type === Event.BAN_LIFTED) && frame.instance === store.current?.id && $('bans-dialog').isOpen) $('bans-dialog').reload();
    notifier.frame(frame);
  },
  onStatus(status) {
    // Back from a lost bridge connection: held messages and uploads go out again (same client_id: never twice).
    if (status === 'online' && store.bridgeStatus !== 'online') resendAll({ store, actions });
    store.bridgeStatus = status;
    store.emit([Topic.BRIDGE]);
  },
  onResync: () => resync(),
});
const actions = new Actions(store, socket);
new ViewingReporter(store, socket); // tells colleagues which chat is on screen
const toasts = $('toast-stack');
const notifier = new Notifier({ store, native, toast: (text, kind) => toasts.show(text, kind), openChat: openChatLoaded, openStaff,
  screen: { hidden: () => document.hidden, focused: () => document.hasFocus(), focus: () => window.focus() } });

/** Run an intent; show its failure as a toast. @param {() => Promise<any>} fn @param {string} [done] */
async function attempt(fn, done) {
  try {
    await fn();
    if (done) toasts.show(done, 'success');
  } catch (err) {
    toasts.show(err instanceof Error ? err.message : String(err), 'error');
  }
}

async function resync() {
  try {
    const seq = await actions.refreshSnapshot();
    if (seq !== null && socket.lastSeq === null) socket.lastSeq = seq;
  } catch { /* the socket's reconnect will try again */ }
}

function renderPages() {
  const inst = store.current;
  $('#welcome').hidden = !store.loaded || Boolean(inst);
  for (const page of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('main [data-page]'))) {
    page.hidden = !inst || page.dataset.page !== store.page;
  }
  const total = store.totalAttention();
  const title = total ? `(${total}) Kayako Desktop` : 'Kayako Desktop';
  if (document.title !== title) document.title = title;
  notifier.attention();
}

/** @param {string} id @param {number} cid */
function openChatLoaded(id, cid) {
  const t = store.get(id)?.timeline(cid);
  store.openChat(id, cid);
  if (t && !t.loaded) attempt(() => actions.loadPosts(id, cid));
  loadNotes(id, cid);
}

/** The Team page on my thread with a colleague (a click on their message's notification). @param {string} id @param {number} agentId */
function openStaff(id, agentId) {
  store.selectInstance(id);
  store.setPage('team');
  $('team-page').pick(agentId);
}

/** The notes on a chat's visitor, the first time the chat is on screen (events keep them current after). @param {string} id @param {number} cid */
function loadNotes(id, cid) {
  const inst = store.get(id);
  const visitorId = inst?.cases.get(cid)?.requester.id;
  if (inst && visitorId != null && !inst.notes.has(visitorId)) {
    inst.notes.set(visitorId, []);  // asked once; the answer replaces this
    actions.notes(id, visitorId).catch(() => inst.notes.delete(visitorId));
  }
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
$('team-page').setup(store, actions);
$('dashboard-page').setup(store, actions);
$('request-popup').setup(store);
$('push-menu').setup(store, $('context-menu'));
{ const s = browserSound(); $('request-popup').setRepeat(s.sound_repeat, s.sound_repeat_seconds); }
store.subscribe((what) => { if (what.has(Topic.PAGE) || what.has(Topic.INSTANCES) || what.has(Topic.BADGES) || what.has(Topic.OFFERS)) renderPages(); });
// Colleagues may have written while this app was closed: the Team badge counts it from the start.
store.subscribe((what) => {
  if (!what.has(Topic.INSTANCES)) return;
  for (const inst of store.instances) if (inst.status === 'online' && !inst.staffLoaded) actions.staffThreads(inst.id).catch(() => {});
});
store.subscribe((what, id) => {
  // Opening a chat from the list: fetch its timeline the first time.
  if (!what.has(Topic.PAGE) || store.page !== 'chats') return;
  const inst = id ? store.get(id) : store.current;
  const cid = inst ? store.activeChats.get(inst.id) : null;
  if (inst && cid != null && !inst.timeline(cid).loaded) attempt(() => actions.loadPosts(inst.id, cid));
  if (inst && cid != null) loadNotes(inst.id, cid);
});

wireIntents({ store, actions, attempt, openChatLoaded, $ });
const desktop = wireDesktop({ store, actions, openChatLoaded, openStaff, $, collector });
document.addEventListener('visibilitychange', () => { store.visible = !document.hidden; });
// Browsers ignore a notification permission ask made without a click.
document.addEventListener('pointerdown', () => notifier.askPermission(), { once: true });

try {
  const seq = await actions.refreshSnapshot();
  renderPages();
  socket.start(seq);
  desktop.ready();
} catch (err) {
  $('#bridge-error').hidden = false;
  $('#bridge-error-text').textContent = err instanceof ApiError && err.status === 403
    ? 'This page must be opened from the Kayako Desktop app (the link it opens carries a one-time key).'
    : `The local service did not answer (${err instanceof Error ? err.message : err}). Restart Kayako Desktop.`;
}
