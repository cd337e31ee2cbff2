// @ts-check
/**
 * <chat-window>: the open chat — who and what, participants, Transfer / End / Leave, the observer banner,
 * the virtualised timeline, the visitor's typing line, and the composer — or, when observing, the
 * "Note to staff" box (an observer may only write staff-only notes).
 */
import { formatTime, initials } from '../../shared/format.js';
import { el, emit } from './dom.js';
import { icon } from '../../shared/icons.js';
import './chat-timeline.js';
import './chat-composer.js';
import './staff-note.js';
import './push-bar.js';
import { Intent, Topic } from '../state/names.js';
import { Running, every } from './running.js';

export class ChatWindowElement extends HTMLElement {
  /** @param {import('../state/app-store.js').AppStore} store @param {(id: string) => {fileUrl: (f: string) => string}} files */
  setup(store, files) {
    this.store = store;
    this.files = files;
    this.head = el('header', { class: 'chat-head' });
    this.banner = el('div', { class: 'observer-banner', role: 'status', hidden: true }, icon('eye', 16),
      el('span', { text: 'You are observing. Only staff can see that you are observing.' }));
    this.timeline = /** @type {import('./chat-timeline.js').ChatTimelineElement} */ (el('chat-timeline'));
    this.typingLine = el('div', { class: 'typing-line', 'aria-live': 'polite' });
    /** colleagues who have this chat open or are typing in it (staff only): "Bob is viewing", "Bob is typing a reply…" */
    this.colleagueLine = el('div', { class: 'colleague-line', 'aria-live': 'polite', hidden: true });
    /** the newest note agents keep on this visitor (staff only), with a way to all of them */
    this.noteLine = el('div', { class: 'visitor-note-line', hidden: true });
    /** @type {string} what the note line shows (chat and note ids): drawn again only when it changes */
    this.noteSig = '';
    this.composer = /** @type {import('./chat-composer.js').ChatComposerElement} */ (el('chat-composer'));
    this.pushBar = /** @type {import('./push-bar.js').PushBarElement} */ (el('push-bar'));
    this.note = /** @type {import('./staff-note.js').StaffNoteElement} */ (el('staff-note', { hidden: true }));
    this.dropHint = el('div', { class: 'drop-overlay', hidden: true, 'aria-hidden': 'true' }, icon('upload', 36),
      el('strong', { class: 'drop-title' }), el('span', { class: 'muted', text: 'Images are sent as images, other files as files.' }));
    this.closed = el('div', { class: 'chat-closed', hidden: true });
    this.empty = el('div', { class: 'empty-state' }, icon('chat', 40), el('h3', { text: 'No chat selected' }),
      el('p', { class: 'muted', text: 'Pick a chat on the left, accept a request, or join one from the Visitors screen.' }));
    this.pane = el('section', { class: 'chat-pane', 'aria-label': 'Chat' }, this.head, this.noteLine, this.colleagueLine, this.banner, this.timeline, this.typingLine, this.closed, this.pushBar, this.composer, this.note, this.dropHint);
    this.replaceChildren(this.empty, this.pane);
    for (const box of [this.composer, this.note]) {
      box.addEventListener(Intent.COMPOSE_SEND, (e) => {
        e.stopPropagation();
        emit(this, Intent.CHAT_SEND, { ...this.ids(), ...(/** @type {CustomEvent} */ (e).detail) });
      });
    }
    this.composer.addEventListener(Intent.COMPOSE_TYPING, (e) => {
      e.stopPropagation();
      emit(this, Intent.CHAT_TYPING, { ...this.ids(), on: /** @type {CustomEvent} */ (e).detail });
    });
    for (const name of [Intent.PUSH_OPEN, Intent.PUSH_URL]) {
      this.pushBar.addEventListener(name, (e) => {
        e.stopPropagation();
        emit(this, name, { ...this.ids(), ...(/** @type {CustomEvent} */ (e).detail) });
      });
    }
    this.wireDrop(/** @type {HTMLElement} */ (this.pane));
    this.running = new Running(() => [
      store.subscribe((what, inst) => {
        if (inst && inst !== store.currentId) return;
        if (what.has(Topic.CHATS) || what.has(Topic.PAGE) || what.has(Topic.INSTANCES)) this.render();
        if (what.has(Topic.NOTES) || what.has(Topic.CHATS) || what.has(Topic.PAGE) || what.has(Topic.INSTANCES)) this.renderNote();
        if (what.has(Topic.POSTS) || what.has(Topic.CHATS) || what.has(Topic.PAGE)) this.renderPosts();
        if (what.has(Topic.TYPING) || what.has(Topic.POSTS)) this.renderTyping();
        if (what.has(Topic.MACROS) || what.has(Topic.INSTANCES)) this.composer?.setMacros(store.current?.macros ?? []);
      }),
      every(3000, () => this.renderTyping()), // a visitor's typing line fades when they stop
    ]);
  }

  connectedCallback() { this.running?.start(); }
  disconnectedCallback() { this.running?.stop(); }

  /** Files dragged from the desktop onto the chat are pushed to it; nothing a drop does navigates away. @param {HTMLElement} pane */
  wireDrop(pane) {
    let depth = 0;
    const hint = /** @type {HTMLElement} */ (this.dropHint);
    const hasFiles = (/** @type {DragEvent} */ e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    pane.addEventListener('dragenter', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth += 1;
      const c = this.conversation();
      const ok = this.canPush();
      /** @type {HTMLElement} */ (hint.querySelector('.drop-title')).textContent = ok ? `Drop to send to ${c?.requester.name ?? 'the visitor'}` : 'You cannot send files in this chat';
      hint.classList.toggle('refused', !ok);
      hint.hidden = false;
    });
    pane.addEventListener('dragover', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = this.canPush() ? 'copy' : 'none';
    });
    pane.addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (!depth) hint.hidden = true; });
    pane.addEventListener('drop', (e) => {
      depth = 0;
      hint.hidden = true;
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.stopPropagation();
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length && this.canPush()) emit(this, Intent.PUSH_DROP, { ...this.ids(), files });
    });
  }

  canPush() {
    const inst = this.store?.current;
    const c = this.conversation();
    const role = inst && c ? inst.myRole(c) : null;
    return Boolean(c && c.status.type !== 'COMPLETED' && role && role !== 'OBSERVER');
  }

  ids() {
    const inst = this.store?.current;
    return { instance: inst?.id, cid: inst ? this.store?.activeChats.get(inst.id) ?? null : null };
  }

  conversation() {
    const { instance, cid } = this.ids();
    return instance && cid !== null ? this.store?.get(instance)?.cases.get(cid) ?? null : null;
  }

  render() {
    const inst = this.store?.current;
    const c = this.conversation();
    /** @type {HTMLElement} */ (this.empty).hidden = Boolean(c);
    /** @type {HTMLElement} */ (this.pane).hidden = !c;
    if (!inst || !c) { this.shownId = null; return; }
    const role = inst.myRole(c);
    const done = c.status.type === 'COMPLETED';
    // The conversation is updated with every message (its last post, counts): the header is drawn again
    // only when what it shows changed.
    const headSig = JSON.stringify([inst.id, c.id, c.requester.name, c.subject, c.status.type, role, inst.me?.id, c.assigned_team?.title, c.skill?.title,
      c.participants.map((p) => [p.agent.id, p.agent.full_name, p.role])]);
    const sameHead = this.headSig === headSig;
    this.headSig = headSig;
    const act = (/** @type {import('../state/names.js').IntentName} */ name) => () => emit(this, name, { instance: inst.id, cid: c.id });
    if (!sameHead) this.drawHead(inst, c, role, done, act);
    /** @type {HTMLElement} */ (this.banner).hidden = role !== 'OBSERVER' || done;
    const closed = /** @type {HTMLElement} */ (this.closed);
    closed.hidden = !done;
    closed.textContent = done ? `This chat ended${c.rating ? ` · rated ${c.rating === 'GOOD' ? '👍 good' : '👎 bad'}` : ''}.` : '';
    const composer = /** @type {HTMLElement} */ (this.composer);
    composer.hidden = done || role === 'OBSERVER' || !role;
    /** @type {HTMLElement} */ (this.pushBar).hidden = composer.hidden;
    /** @type {HTMLElement} */ (this.note).hidden = done || role !== 'OBSERVER';
    if (this.shownId !== `${inst.id}:${c.id}`) {
      this.shownId = `${inst.id}:${c.id}`;
      this.composer?.clear();
      this.note?.clear();
      this.pushBar?.clear();
      if (!composer.hidden) requestAnimationFrame(() => this.composer?.focus());
    }
  }

  /**
   * @param {import('../state/instance-state.js').InstanceState} inst @param {import('../../shared/protocol.js').Conversation} c
   * @param {string|null|undefined} role
   * @param {boolean} done @param {(name: import('../state/names.js').IntentName) => () => void} act
   */
  drawHead(inst, c, role, done, act) {
    const people = c.participants.map((p) => el('span', { class: `person ${p.role.toLowerCase()}`, title: `${p.agent.full_name} (${p.role.toLowerCase()})` },
      el('span', { class: 'avatar tiny', 'aria-hidden': 'true', text: initials(p.agent.full_name) }),
      el('span', { text: p.agent.id === inst.me?.id ? 'You' : p.agent.full_name }),
      p.role === 'OBSERVER' ? el('small', { text: ' · observing' }) : null));
    /** @type {HTMLElement} */ (this.head).replaceChildren(
      el('span', { class: 'avatar', 'aria-hidden': 'true', text: initials(c.requester.name) }),
      el('div', { class: 'chat-title' },
        el('h2', { text: c.requester.name }, el('span', { class: `chip ${c.status.type.toLowerCase()}`, text: statusText(c.status.type) }),
          c.assigned_team ? el('span', { class: 'chip department', title: 'Department', text: c.assigned_team.title }) : null,
          c.skill ? el('span', { class: 'chip skill', title: 'Skill asked for', text: c.skill.title }) : null),
        el('p', { class: 'muted subject', text: c.subject })),
      el('div', { class: 'people', 'aria-label': 'In this chat' }, ...people),
      el('div', { class: 'chat-actions' },
        !done && role !== 'OBSERVER' ? el('button', { type: 'button', class: 'ghost', onclick: act(Intent.CHAT_TRANSFER) }, icon('transfer', 16), 'Transfer') : null,
        !done && role ? el('button', { type: 'button', class: 'ghost', title: 'Ask a colleague to help (staff only)', onclick: act(Intent.CHAT_ASK_HELP) }, icon('staff', 16), 'Ask for help') : null,
        !done && role !== 'OWNER' ? el('button', { type: 'button', class: 'ghost', onclick: act(Intent.CHAT_LEAVE) }, 'Leave') : null,
        el('button', { type: 'button', class: 'ghost', title: 'E-mail the transcript', onclick: act(Intent.CHAT_TRANSCRIPT) }, 'Transcript'),
        el('button', { type: 'button', class: 'ghost', title: 'Notes on this visitor (staff only)', onclick: () => emit(this, Intent.VISITOR_NOTES, { instance: inst.id, visitor: c.requester, cid: c.id }) }, icon('note', 16), 'Notes'),
        el('button', { type: 'button', class: 'ghost', title: 'Ban this visitor’s address', onclick: () => emit(this, Intent.VISITOR_BAN, { instance: inst.id, visitor: c.requester }) }, icon('ban', 16), 'Ban'),
        !done && role !== 'OBSERVER' ? el('button', { type: 'button', class: 'danger', onclick: act(Intent.CHAT_END) }, 'End chat', el('kbd', { text: 'Alt+E' })) : null,
        done ? el('button', { type: 'button', class: 'ghost', onclick: act(Intent.CHAT_CLOSE) }, 'Close') : null));
  }

  /** The newest note on this chat's visitor under the header ("Note by Bob · 2:15 PM: …"), and how many there are. */
  renderNote() {
    const inst = this.store?.current;
    const c = this.conversation();
    const line = /** @type {HTMLElement} */ (this.noteLine);
    const notes = inst && c ? inst.notes.get(c.requester.id) : undefined;
    const sig = JSON.stringify([c?.id, notes?.map((n) => n.id)]);
    if (this.noteSig === sig) return;
    this.noteSig = sig;
    if (!inst || !c || !notes?.length) { line.hidden = true; line.replaceChildren(); return; }
    const newest = notes[0];
    line.hidden = false;
    line.replaceChildren(icon('note', 14),
      el('span', { class: 'who', text: `Note by ${newest.creator.id === inst.me?.id ? 'you' : newest.creator.full_name} · ${formatTime(newest.created_at)}:` }),
      el('span', { class: 'what', text: newest.body_text, title: newest.body_text }),
      el('button', { type: 'button', class: 'link', onclick: () => emit(this, Intent.VISITOR_NOTES, { instance: inst.id, visitor: c.requester, cid: c.id }) },
        notes.length > 1 ? `All ${notes.length} notes` : 'Open'));
  }

  renderPosts() {
    const inst = this.store?.current;
    const c = this.conversation();
    if (!inst || !c || !this.files) return;
    const files = this.files(inst.id);
    this.timeline?.show({
      timeline: inst.timeline(c.id), meId: inst.me?.id, files,
      retry: (clientId) => emit(this, Intent.CHAT_RETRY, { instance: inst.id, cid: c.id, clientId }),
      cancel: (clientId) => emit(this, Intent.CHAT_CANCEL_PENDING, { instance: inst.id, cid: c.id, clientId }),
      loadOlder: () => emit(this, Intent.CHAT_LOAD_OLDER, { instance: inst.id, cid: c.id }),
    });
    if (inst.unread.get(c.id)) { inst.unread.delete(c.id); this.store?.emit([Topic.BADGES]); }
    emit(this, Intent.CHAT_SEEN, { instance: inst.id, cid: c.id });
  }

  renderTyping() {
    const inst = this.store?.current;
    const c = this.conversation();
    const t = inst && c ? inst.typing.get(c.id) : null;
    const line = /** @type {HTMLElement} */ (this.typingLine);
    // The conversation's visitor name is current; a typing frame may carry the name from before the pre-chat form.
    const text = t && c && t.until > Date.now() ? `${c.requester.name || t.name} is typing…` : '';
    if (line.textContent !== text) line.replaceChildren(...(text ? [el('span', { class: 'dots', 'aria-hidden': 'true' }, el('i'), el('i'), el('i')), text] : []));
    this.renderColleagues();
  }

  /** Who else has this chat open, and who is writing in it: so two agents do not answer at once. */
  renderColleagues() {
    const inst = this.store?.current;
    const c = this.conversation();
    const box = /** @type {HTMLElement} */ (this.colleagueLine);
    const { viewing, typing } = inst && c ? inst.colleagues(c.id) : { viewing: [], typing: [] };
    const watching = viewing.filter((name) => !typing.includes(name));
    const parts = [
      ...typing.map((name) => `${name} is typing a reply…`),
      ...(watching.length ? [`${list(watching)} ${watching.length === 1 ? 'is' : 'are'} viewing this chat`] : []),
    ];
    const text = parts.join(' · ');
    box.hidden = !text;
    if (box.textContent !== text) box.replaceChildren(...(text ? [icon('eye', 14), el('span', { text })] : []));
  }
}

/** @param {string} s */
function statusText(s) {
  return s === 'NEW' ? 'Waiting' : s === 'OPEN' ? 'Active' : 'Completed';
}

customElements.define('chat-window', ChatWindowElement);

/** "Ann", "Ann and Bob", "Ann, Bob and Cleo". @param {string[]} names */
function list(names) {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
