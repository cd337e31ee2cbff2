// @ts-check
/**
 * Wiring, part two: what the elements ask for (bubbling custom events) and the keyboard shortcuts,
 * routed to the actions. Kept out of main.js so that file stays a one-screen setup.
 */
import { native } from './state/native.js';
import { normaliseUrl } from './state/push.js';
import { normalisedKey, shortcutFor } from './state/shortcuts.js';
import { Intent } from './state/names.js';
import { retry } from './state/resend.js';

/**
 * @param {{store: import('./state/app-store.js').AppStore, actions: import('./state/actions.js').Actions,
 *   attempt: (fn: () => Promise<any>, done?: string) => Promise<void>,
 *   openChatLoaded: (id: string, cid: number) => void, $: (sel: string) => any}} ctx
 */
export function wireIntents({ store, actions, attempt, openChatLoaded, $ }) {
  wirePush({ store, actions, openChatLoaded, $ });
  const on = (/** @type {import('./state/names.js').IntentName} */ name, /** @type {(d: any) => void} */ fn) => document.addEventListener(name, (e) => fn(/** @type {CustomEvent} */ (e).detail));
  const addInstance = () => $('instance-dialog').open((/** @type {any} */ input) => actions.addInstance(input));
  $('#welcome-add').addEventListener('click', addInstance);
  on(Intent.ADD_INSTANCE, addInstance);
  on(Intent.REMOVE_INSTANCE, (id) => attempt(() => actions.removeInstance(id), 'Server removed'));
  on(Intent.INSTANCE_PASSWORD, (id) => {
    const inst = store.get(id);
    if (inst) $('password-dialog').open(inst.info, (/** @type {string} */ password) => actions.changePassword(id, password));
  });
  on(Intent.TAB_MENU, ({ id, x, y, tab }) => {
    const inst = store.get(id);
    if (!inst) return;
    const name = inst.info.name || inst.info.url;
    $('context-menu').open(x, y, [
      ...(inst.status === 'auth_failed' ? [{ label: 'Enter new password…', run: () => document.dispatchEvent(new CustomEvent(Intent.INSTANCE_PASSWORD, { detail: id })) }] : []),
      { label: 'Rename…', run: async () => {
        const value = await $('prompt-dialog').ask({ title: 'Rename tab', label: 'Name', value: name, confirm: 'Rename' });
        if (value) attempt(() => actions.renameInstance(id, value));
      } },
      { label: 'Remove server…', run: async () => {
        const ok = await $('prompt-dialog').ask({ title: `Remove ${name}?`, hint: 'You are signed out of this server and its tab closes.', confirm: 'Remove', danger: true });
        if (ok !== null) attempt(() => actions.removeInstance(id), 'Server removed');
      } },
    ], `Actions for ${name}`, tab);
  });
  on(Intent.SET_STATUS, (status) => store.current && attempt(() => actions.setStatus(store.current.id, status)));
  on(Intent.SHOW_HELP, () => $('help-dialog').open());
  on(Intent.SHOW_SETTINGS, () => {
    const inst = store.current;
    const profile = inst?.me ? { server: inst.info.name || inst.info.url, name: inst.me.full_name,
      save: (/** @type {string} */ name) => actions.rename(inst.id, name) } : null;
    $('settings-dialog').open({ native, profile,
      onSaved: (/** @type {any} */ s) => { $('request-popup').setRepeat(s.sound_repeat, s.sound_repeat_seconds); $('toast-stack').show('Settings saved', 'success'); } });
  });
  on(Intent.OFFER_ACCEPT, ({ instance, cid }) => attempt(() => actions.accept(instance, cid)));
  on(Intent.OFFER_DECLINE, ({ instance, cid }) => attempt(() => actions.decline(instance, cid), 'Declined — the chat goes to the next agent'));
  on(Intent.VISITOR_FOOTPRINTS, ({ visitor }) => $('footprints-dialog').show(visitor.name, actions.footprints(store.current.id, visitor.id)));
  on(Intent.VISITOR_JOIN, ({ visitor, role }) => {
    const inst = store.current;
    const c = inst.cases.get(visitor.conversation_id);
    if (c && inst.myRole(c)) openChatLoaded(inst.id, c.id);
    else attempt(() => actions.join(inst.id, visitor.conversation_id, role), role === 'OBSERVER' ? 'Observing — only staff can see you' : 'Joined the chat');
  });
  on(Intent.VISITOR_INVITE, async ({ visitor }) => {
    const id = store.current.id;
    const message = await $('prompt-dialog').ask({ title: `Invite ${visitor.name} to chat`, label: 'Message',
      hint: 'The visitor sees this in a chat invitation on the page they are viewing.', value: 'Hi! Can I help you with anything?', confirm: 'Send invitation', rows: 3 });
    if (message) attempt(() => actions.invite(id, visitor.id, message), `Invitation sent to ${visitor.name}`);
  });
  on(Intent.VISITOR_BAN, async ({ visitor, instance }) => {
    const id = instance ?? store.current?.id;
    if (!id) return;
    // A chat names its visitor without their address: the Visitors list has it, else the server does.
    const known = visitor.ip ?? store.get(id)?.visitors.get(visitor.id)?.ip;
    const ip = known ?? (await actions.visitor(id, visitor.id).catch(() => null))?.ip;
    const made = await $('ban-dialog').open({ visitorId: visitor.id, visitorName: visitor.name, ip,
      send: (/** @type {any} */ body) => actions.ban(id, body) });
    if (made) $('toast-stack').show(`Banned ${made.network}`, 'success');
  });
  on(Intent.VISITOR_NOTES, ({ visitor, instance, cid }) => {
    const id = instance ?? store.current?.id;
    if (id) $('notes-dialog').show({ store, actions, instance: id, visitor, cid: cid ?? null });
  });
  on(Intent.STAFF_SEND, ({ instance, agentId, text, restore }) => attempt(async () => {
    try {
      await actions.sendStaff(instance, agentId, text);
    } catch (err) {
      restore();  // what was typed comes back, with the reason in a toast
      throw err;
    }
  }));
  on(Intent.STAFF_JOIN, ({ instance, cid }) => {
    const inst = store.get(instance);
    const c = inst?.cases.get(cid);
    if (c && inst?.myRole(c)) openChatLoaded(instance, cid);
    else attempt(() => actions.join(instance, cid, 'OBSERVER'), 'Helping — only staff can see you');
  });
  on(Intent.CHAT_ASK_HELP, async ({ instance, cid }) => {
    const inst = store.get(instance);
    const target = await $('transfer-dialog').pick(actions.agents(instance), inst?.me?.id, { words:
      { title: 'Ask a colleague to help', hint: 'They get a staff message and can join as a helper only staff see.', confirm: 'Ask' } });
    if (target && 'agent_id' in target) {
      const name = inst?.agents.get(target.agent_id)?.full_name ?? 'Your colleague';
      attempt(() => actions.askForHelp(instance, cid, target.agent_id), `${name} was asked to help`);
    }
  });
  // The administrators' list-and-form dialogs: what each reads, saves and (but Agents) deletes.
  /** @typedef {(id: string, itemId: number|null, body: Record<string, any>) => Promise<any>} Save */
  /** @type {[string, string, (id: string) => Promise<any>, Save, ((id: string, itemId: number) => Promise<any>)|null][]} */
  const editors = [
    [Intent.SHOW_RULES, 'rules-dialog', (id) => Promise.all([actions.rules(id), actions.skills(id)]),
      (id, itemId, body) => actions.saveRule(id, itemId, body), (id, itemId) => actions.deleteRule(id, itemId)],
    [Intent.SHOW_DEPARTMENTS, 'departments-dialog', (id) => Promise.all([actions.teams(id), actions.agents(id)]),
      (id, itemId, body) => actions.saveTeam(id, itemId, body), (id, itemId) => actions.deleteTeam(id, itemId)],
    [Intent.SHOW_SKILLS, 'skills-dialog', (id) => Promise.all([actions.skills(id), actions.agents(id)]),
      (id, itemId, body) => actions.saveSkill(id, itemId, body), (id, itemId) => actions.deleteSkill(id, itemId)],
    [Intent.SHOW_AGENTS, 'agents-dialog', (id) => actions.agents(id),
      (id, itemId, body) => actions.saveAgent(id, itemId, body), null],  // accounts are disabled, not deleted
  ];
  for (const [intent, dialog, load, save, remove] of editors) {
    on(/** @type {any} */ (intent), () => {
      const inst = store.current;
      if (!inst) return;
      $(dialog).show({ load: () => load(inst.id), save: (/** @type {number|null} */ itemId, /** @type {Record<string, any>} */ body) => save(inst.id, itemId, body),
        remove: remove && ((/** @type {number} */ itemId) => remove(inst.id, itemId)) });
    });
  }
  on(Intent.SHOW_BANS, () => {
    const inst = store.current;
    if (!inst) return;
    $('bans-dialog').show({ load: (/** @type {string} */ state) => actions.bans(inst.id, state),
      lift: async (/** @type {import('../shared/protocol.js').Ban} */ ban) => {
        const ok = await $('prompt-dialog').ask({ title: `Lift the ban on ${ban.network}?`, hint: 'Visitors from there can chat again.', confirm: 'Lift ban' });
        if (ok === null) return false;
        await attempt(() => actions.liftBan(inst.id, ban.id), `Ban on ${ban.network} lifted`);
        return true;
      } });
  });
  on(Intent.CHAT_SEND, ({ instance, cid, text, staff }) => actions.send(instance, cid, text, staff));
  on(Intent.CHAT_TYPING, ({ instance, cid, on: typing }) => actions.typing(instance, cid, typing));
  on(Intent.CHAT_SEEN, ({ instance, cid }) => { if (!document.hidden) actions.markSeen(instance, cid); });
  on(Intent.CHAT_RETRY, ({ instance, cid, clientId }) => retry({ store, actions }, instance, cid, clientId));
  on(Intent.CHAT_LOAD_OLDER, ({ instance, cid }) => attempt(() => actions.loadOlder(instance, cid)));
  on(Intent.CHAT_TRANSFER, async ({ instance, cid }) => {
    const inst = store.get(instance);
    const c = inst?.cases.get(cid);
    const target = await $('transfer-dialog').pick(actions.agents(instance), inst?.me?.id, { teams: actions.teams(instance),
      currentTeam: c?.assigned_team?.id ?? null, skills: actions.skills(instance), currentSkill: c?.skill?.id ?? null });
    if (target) attempt(() => actions.transfer(instance, cid, target), 'Transfer requested');
  });
  on(Intent.CHAT_END, async ({ instance, cid }) => {
    const ok = await $('prompt-dialog').ask({ title: 'End this chat?', hint: 'The visitor is told the chat has ended and it is marked complete.', confirm: 'End chat', danger: true });
    if (ok !== null) attempt(() => actions.end(instance, cid), 'Chat ended');
  });
  on(Intent.CHAT_LEAVE, ({ instance, cid }) => attempt(() => actions.leave(instance, cid)));
  on(Intent.CHAT_CLOSE, ({ instance }) => store.openChat(instance, null));
  on(Intent.CHAT_TRANSCRIPT, async ({ instance, cid, conversation }) => {
    const c = conversation ?? store.get(instance)?.cases.get(cid);
    if (!c) return;
    const sent = await $('transcript-dialog').open({ visitorName: c.requester.name, visitorEmail: c.requester.email,
      send: (/** @type {{to_visitor: boolean, emails: string[]}} */ body) => actions.emailTranscript(instance, cid, body) });
    if (sent) $('toast-stack').show(`Transcript sent to ${sent.recipients.join(', ')}`, 'success');
  });

  on(Intent.CHAT_TRANSCRIPT_DOWNLOAD, ({ instance, cid, format }) => attempt(async () => {
    const text = await actions.transcript(instance, cid, format);
    const name = `chat-${cid}-transcript.${format === 'html' ? 'html' : 'txt'}`;
    const saved = await native.saveFile(name, text, format === 'html' ? 'text/html' : 'text/plain');
    if (saved) $('toast-stack').show(`Transcript saved as ${saved}`, 'success');
  }));

  on(Intent.REPORT_EXPORT, ({ instance, query, name }) => attempt(async () => {
    const saved = await native.saveFile(name, await actions.api(instance).text(`reports/chats.csv?${query}`), 'text/csv');
    if (saved) $('toast-stack').show(`Saved ${saved}`, 'success');
  }));

  document.addEventListener('keydown', (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    const inField = target.matches?.('input, textarea, select, [contenteditable="true"]') ?? false;
    const action = shortcutFor({ ...e, key: normalisedKey(e), altKey: e.altKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey, shiftKey: e.shiftKey }, inField);
    if (!action || document.querySelector('dialog[open]')) return;
    e.preventDefault();
    const inst = store.current;
    const offer = $('request-popup').first();
    const cid = inst ? store.activeChats.get(inst.id) ?? null : null;
    const chats = inst?.myChats() ?? [];
    const step = (/** @type {number} */ d) => {
      if (!inst || !chats.length) return;
      const at = chats.findIndex((c) => c.id === cid);
      openChatLoaded(inst.id, chats[(at + d + chats.length) % chats.length].id);
    };
    if (action === 'accept' && offer) attempt(() => actions.accept(offer.inst.id, offer.offer.conversation.id));
    else if (action === 'decline' && offer) attempt(() => actions.decline(offer.inst.id, offer.offer.conversation.id), 'Declined');
    else if (action === 'end' && inst && cid !== null && store.page === 'chats') document.dispatchEvent(new CustomEvent(Intent.CHAT_END, { detail: { instance: inst.id, cid } }));
    else if (action === 'next-chat') step(1);
    else if (action === 'previous-chat') step(-1);
    else if (action === 'page-dashboard' && !inst?.me?.role?.can_supervise) return;  // supervisors' and administrators' only
    else if (action.startsWith('page-')) store.setPage(/** @type {any} */ (action.slice(5)));
    else if (action === 'help') $('help-dialog').open();
  });
}

/**
 * Pushing to the visitor: the four pushes from the chat's bar or the Push menu, and files dropped on a chat.
 * @param {{store: import('./state/app-store.js').AppStore, actions: import('./state/actions.js').Actions,
 *   openChatLoaded: (id: string, cid: number) => void, $: (sel: string) => any}} ctx
 */
function wirePush({ store, actions, openChatLoaded, $ }) {
  const on = (/** @type {import('./state/names.js').IntentName} */ name, /** @type {(d: any) => void} */ fn) => document.addEventListener(name, (e) => fn(/** @type {CustomEvent} */ (e).detail));
  const toasts = $('toast-stack');
  const fail = (/** @type {any} */ err) => toasts.show(err instanceof Error ? err.message : String(err), 'error');
  const refusedToasts = (/** @type {string[]} */ refused) => { for (const r of refused) toasts.show(r, 'error'); };
  const limitOf = async (/** @type {string} */ id) => (await actions.limits(id).catch(() => null))?.max_upload_bytes ?? null;
  const pickNative = (/** @type {'image'|'file'} */ kind, /** @type {boolean} */ multiple) => (native.available
    ? async () => (await native.pickFiles(kind, multiple)).map((/** @type {any} */ f) => ({ ref: f.ref, name: f.name, size: f.size }))
    : null);

  on(Intent.PUSH_OPEN, async ({ kind, instance, cid }) => {
    if (!instance || cid === null || cid === undefined) { toasts.show('Open a chat you are answering first', 'error'); return; }
    if (store.page !== 'chats') openChatLoaded(instance, cid);
    try {
      if (kind === 'image') {
        const got = await $('push-image-dialog').ask({ limit: await limitOf(instance), pickNative: pickNative('image', false) });
        if (got?.url) await actions.post(instance, cid, { kind: 'IMAGE', url: got.url });
        else if (got?.source) refusedToasts(await actions.pushFiles(instance, cid, [got.source], true));
      } else if (kind === 'file') {
        const files = await $('push-file-dialog').ask({ limit: await limitOf(instance), pickNative: pickNative('file', true) });
        if (files) refusedToasts(await actions.pushFiles(instance, cid, files, false));
      } else if (kind === 'code') {
        const got = await $('push-code-dialog').ask({ languages: actions.languages(instance),
          preview: (/** @type {string} */ code, /** @type {string|null} */ lang) => actions.codePreview(instance, code, lang) });
        if (got) await actions.post(instance, cid, { kind: 'CODE', contents: got.contents, language: got.language });
      } else if (kind === 'url') {
        const url = await $('prompt-dialog').ask({ title: 'Push URL', label: 'Link', placeholder: 'example.com/help', confirm: 'Send',
          hint: 'The visitor gets a clickable link that opens in a new tab (http, https and mailto links).', validate: normaliseUrl });
        if (url) await actions.post(instance, cid, { kind: 'URL', url });
      }
    } catch (err) { fail(err); }
  });
  on(Intent.PUSH_URL, ({ instance, cid, url }) => actions.post(instance, cid, { kind: 'URL', url }).catch(fail));
  on(Intent.PUSH_DROP, async ({ instance, cid, files }) => {
    // Inside the desktop app the shell saw the same drop: the bridge reads the files itself, by the
    // references the shell minted for them (the page never names a path).
    const dropped = await native.droppedFiles(files.map((/** @type {File} */ f) => f.name));
    const sources = files.map((/** @type {File} */ f, /** @type {number} */ i) => (dropped
      ? { ref: dropped[i].ref, name: f.name, size: f.size, type: f.type }
      : { file: f, name: f.name, size: f.size, type: f.type }));
    refusedToasts(await actions.pushFiles(instance, cid, sources, true));
  });
  on(Intent.CHAT_CANCEL_PENDING, ({ instance, cid, clientId }) => actions.cancelPending(instance, cid, clientId));
  // A file dropped anywhere else must not replace the app with the file.
  for (const type of ['dragover', 'drop']) {
    window.addEventListener(type, (e) => {
      const ev = /** @type {DragEvent} */ (e);
      if (ev.defaultPrevented || ![...(ev.dataTransfer?.types ?? [])].includes('Files')) return; // a chat took it
      ev.preventDefault();
      if (type === 'dragover' && ev.dataTransfer) ev.dataTransfer.dropEffect = 'none';
      if (type === 'drop') toasts.show('Drop files on an open chat to send them to the visitor');
    });
  }
}
