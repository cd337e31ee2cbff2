// @ts-check
/**
 * The widget's behaviour: identity, page tracking, the realtime socket, sending with retries, and the
 * chat actions. Talks to the server and updates the model; never touches the DOM.
 */
import { Command, Event } from '../../shared/protocol.js';
import { RealtimeSocket } from './realtime-socket.js';
import { newClientId } from '../../shared/format.js';
import { ApiError, MessengerApi } from './api.js';
import { storage } from './storage.js';

const TYPING_SHOWN_MS = 6000;
const RETRYABLE = new Set(['DISCONNECTED', 'TIMEOUT', 'NETWORK']);
const STORAGE_RETRY_MS = 15_000;

export class MessengerController {
  /** @param {import('./model.js').MessengerModel} model */
  constructor(model) {
    this.model = model;
    this.api = new MessengerApi(() => storage.token, () => this.unavailable());
    this.typingSentAt = 0;
    /** Invitations answered here, so a slower refresh cannot bring one back. */
    this.answered = new Set();
    /** Invitation events seen; a refresh that overlapped one keeps what the event said. */
    this.invitationEvents = 0;
    this.socketSynced = false;
    /** Page views go one after another: two in flight could land in either order, and the agents' "now on"
     * would show the page the visitor left. */
    this.pageViews = Promise.resolve();
    /** @type {ReturnType<typeof setTimeout>|undefined} */
    this.typingTimer = undefined;
    /** @type {ReturnType<typeof setTimeout>|undefined} the next try after the server said its disk is full */
    this.retryTimer = undefined;
    this.socket = new RealtimeSocket({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/realtime`,
      hello: () => ({ visitor_token: storage.token }),
      lastSeq: storage.lastSeq,
      onEvent: (type, data) => this.onEvent(type, data),
      onSeq: (seq) => { storage.lastSeq = seq; },
      onStatus: (status) => this.onStatus(status),
      onResync: () => this.refresh(),
      onUnavailable: () => this.unavailable(),
    });
  }

  /** The server will not chat with this visitor from where they are: say so plainly, stop trying. */
  unavailable() {
    this.model.unavailable = true;
    this.model.invitation = null;
    this.model.error = null;
    this.socket.stop();
    clearTimeout(this.retryTimer);
    this.model.changed();
  }

  async start() {
    await this.ensureVisitor();
    this.socket.start();
    await this.refresh();
  }

  async ensureVisitor() {
    if (storage.token) {
      try {
        this.model.visitor = await this.api.get('/messenger/visitor');
        return;
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 401) throw err;
        storage.clearIdentity(); // the server forgot us (new database): start over
      }
    }
    const made = await this.api.post('/messenger/visitors', {});
    storage.token = made.token;
    storage.lastSeq = null;
    this.socket.lastSeq = null;
    this.model.visitor = made.visitor;
  }

  /** Rebuild state over REST (first load, reload, or when the server says resync). */
  async refresh() {
    // An invitation event that arrives while these requests are out is newer than their answer.
    const invitationEvents = this.invitationEvents;
    /** @type {[any, import('../../shared/protocol.js').Chat[], import('../../shared/protocol.js').Invitation[]]} */
    const [status, chats, invitations] = await Promise.all([
      this.api.get('/messenger/status'), this.api.get('/conversations'), this.api.get('/messenger/invitations')]);
    this.model.agentsAvailable = status.agents_available;
    this.model.setDepartments(status.departments ?? []);
    this.model.maxUpload = status.max_upload_bytes;
    this.model.emailTranscripts = Boolean(status.email_transcripts);
    const live = chats.find((c) => !c.is_completed && !c.is_offline_message);
    const kept = chats.find((c) => c.id === storage.chatId);
    const chat = live ?? kept ?? null;
    this.takeInvitations(invitations, invitationEvents);
    this.model.setChat(chat);
    if (chat) {
      storage.chatId = chat.id;
      await this.loadPosts(chat.id);
    }
    this.flush();
  }

  /** @param {number} chatId */
  async loadPosts(chatId) {
    let after = 0;
    for (;;) {
      const page = await this.api.get(`/conversations/${chatId}/messages?after_id=${after}&limit=500`);
      await this.api.ensureLinks(page);
      this.model.addPosts(page);
      if (page.length < 500) break;
      after = page.at(-1).id;
    }
    this.model.unread = 0;
    this.markRead();
  }

  /** @param {string} status */
  onStatus(status) {
    this.model.connection = status;
    this.model.changed();
    if (status === 'online') {
      this.flush(); // anything typed while offline goes out now
      if (!this.socketSynced) this.syncInvitations();
    }
  }

  /** A socket without a seq to resume from starts at "now": an invitation sent after the first REST read but
   * before the socket said hello would reach neither. Once the socket is live, read them again. */
  async syncInvitations() {
    this.socketSynced = true;
    const invitationEvents = this.invitationEvents;
    const invitations = await this.api.get('/messenger/invitations').catch(() => null);
    if (invitations) this.takeInvitations(invitations, invitationEvents);
  }

  /**
   * The newest invitation not yet answered here, unless an invitation event arrived while it was being read
   * (that event is newer than this answer).
   * @param {import('../../shared/protocol.js').Invitation[]} invitations @param {number} invitationEvents
   */
  takeInvitations(invitations, invitationEvents) {
    if (this.invitationEvents !== invitationEvents) return;
    this.model.invitation = invitations.filter((i) => !this.answered.has(i.id)).at(-1) ?? null;
    this.model.changed();
  }

  /** @param {string} type @param {any} data */
  onEvent(type, data) {
    const m = this.model;
    if (type === Event.MESSAGE_CREATED) {
      const show = () => { m.addPosts([data.post]); if (data.post.creator.kind === 'AGENT') this.markRead(); };
      if (data.post.attachments?.length) this.api.ensureLinks([data.post]).then(show); else show();
    } else if (type === Event.CHAT_UPDATED) {
      if (!m.chat || m.chat.id === data.conversation.id || !data.conversation.is_completed) {
        if (!m.chat || m.chat.id !== data.conversation.id) storage.chatId = data.conversation.id;
        m.setChat(data.conversation);
      }
    } else if (type === Event.QUEUE_POSITION_CHANGED) {
      const chat = m.chat;
      if (chat && chat.id === data.conversation_id) m.setChat({ ...chat, queue_position: data.position });
    } else if (type === Event.MESSAGES_STATUS_CHANGED) {
      m.markStatus(data.post_ids, data.status);
    } else if (type === Event.TYPING_CHANGED) {
      if (data.author.kind !== 'AGENT' || data.conversation_id !== m.chat?.id) return;
      m.typing = data.typing ? { name: data.author.full_name, until: Date.now() + TYPING_SHOWN_MS } : null;
      m.changed();
      if (data.typing) setTimeout(() => { if (m.typing && m.typing.until <= Date.now()) { m.typing = null; m.changed(); } }, TYPING_SHOWN_MS + 50);
    } else if (type === Event.INVITATION_CREATED) {
      this.invitationEvents += 1;
      if (this.answered.has(data.invitation.id)) return;
      m.invitation = data.invitation;
      m.changed();
    } else if (type === Event.INVITATION_UPDATED) {
      this.invitationEvents += 1;
      if (m.invitation?.id === data.invitation.id && data.invitation.state !== 'PENDING') { m.invitation = null; m.changed(); }
    }
  }

  /** Tell agents we received / saw their newest message. */
  markRead() {
    const post = this.model.lastAgentPost;
    if (!post || !this.model.chat || post.message_status === 'SEEN') return;
    const status = this.model.open && !document.hidden ? 'SEEN' : 'DELIVERED';
    if (status === 'DELIVERED' && post.message_status === 'DELIVERED') return;
    this.socket.send(Command.MESSAGES_MARK, { conversation_id: this.model.chat.id, up_to_post_id: post.id, status })
      .catch(() => {});
  }

  /** @param {string} url @param {string} title @param {string} referrer @returns {Promise<void>} */
  pageView(url, title, referrer) {
    const body = { url: url.slice(0, 2048), title: title.slice(0, 500) || null,
      referrer: referrer ? referrer.slice(0, 2048) : null };
    this.pageViews = this.pageViews.then(async () => {
      try {
        await this.api.post('/messenger/pageviews', body);
      } catch {
        // Tracking is best effort: it must never disturb the visitor's chat.
      }
    });
    return this.pageViews;
  }

  /** @param {string} text */
  send(text) {
    const chat = this.model.chat;
    if (!chat || !text.trim()) return;
    this.model.queue({ client_id: newClientId(), conversation_id: chat.id, contents: text,
      created_at: new Date().toISOString() });
    this.stopTyping();
    this.flush();
  }

  /** Send everything in the outbox, in order; unsent messages survive reloads and go on reconnect. */
  async flush() {
    if (this.flushing || this.socket.status !== 'online') return;
    this.flushing = true;
    try {
      for (const item of [...this.model.outbox]) {
        try {
          const { conversation_id, client_id, contents } = item;
          const ack = await this.socket.send(Command.MESSAGE_SEND, { conversation_id, client_id, contents });
          this.model.addPosts([ack.post]);
        } catch (/** @type {any} */ err) {
          if (RETRYABLE.has(err.code)) break;
          if (err.code === 'STORAGE_FULL' || err.code === 'DATABASE_UNAVAILABLE') {
            // The server cannot save anything for now (a full disk, its database out of reach): the message
            // stays here and goes out by itself later.
            this.model.error = err.message;
            this.model.changed();
            clearTimeout(this.retryTimer);
            this.retryTimer = setTimeout(() => { this.model.error = null; this.flush(); }, STORAGE_RETRY_MS);
            break;
          }
          this.model.removePending(item.client_id);
          this.model.error = `Your message could not be sent: ${err.message}`;
          this.model.changed();
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  typed() {
    const chat = this.model.chat;
    if (!chat || chat.is_completed) return;
    if (Date.now() - this.typingSentAt > 3000) {
      this.typingSentAt = Date.now();
      this.socket.send(Command.TYPING_START, { conversation_id: chat.id }).catch(() => {});
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), 4000);
  }

  stopTyping() {
    clearTimeout(this.typingTimer);
    if (!this.typingSentAt || !this.model.chat) return;
    this.typingSentAt = 0;
    this.socket.send(Command.TYPING_STOP, { conversation_id: this.model.chat.id }).catch(() => {});
  }

  /** The visitor picks a department in the form (an offline one turns the form into a message). @param {number} id */
  chooseDepartment(id) {
    this.model.departmentId = id;
    this.model.changed();
  }

  /** @param {{name: string, email: string, subject: string}} form */
  async startChat(form) {
    const chat = await this.api.post('/conversations', { name: form.name, email: form.email || null,
      subject: form.subject, client_id: newClientId(), department_id: this.model.department?.id ?? null });
    storage.chatId = chat.id;
    this.model.rated = false;
    if (form.email && this.model.visitor && !this.model.visitor.email) this.model.visitor = { ...this.model.visitor, email: form.email };
    // An agent may accept before this answer arrives: the socket's newer chat.updated then wins.
    if (this.model.chat?.id !== chat.id) this.model.setChat(chat);
    await this.loadPosts(chat.id);
  }

  /** @param {{name: string, email: string, subject: string, message: string}} form */
  async sendOffline(form) {
    await this.api.post('/messenger/offline_messages', { ...form, department_id: this.model.department?.id ?? null });
    this.model.offlineSent = true;
    this.model.changed();
  }

  async endChat() {
    if (!this.model.chat) return;
    this.model.setChat(await this.api.put(`/conversations/${this.model.chat.id}/end`));
  }

  /** @param {'GOOD'|'BAD'} score @param {string} comment */
  async rate(score, comment) {
    if (!this.model.chat) return;
    this.model.setChat(await this.api.post(`/conversations/${this.model.chat.id}/ratings`, { score, comment: comment || null }));
    this.model.rated = true;
    this.model.changed();
  }

  /** E-mail this chat's transcript to the visitor (to `email`, or the address on record). @param {string} email */
  async emailTranscript(email) {
    if (!this.model.chat) return null;
    const sent = await this.api.post(`/conversations/${this.model.chat.id}/transcript`, email ? { email } : {});
    if (email && this.model.visitor && !this.model.visitor.email) this.model.visitor = { ...this.model.visitor, email };
    return sent;
  }

  newChat() {
    storage.chatId = null;
    this.model.posts.clear();
    this.model.rated = false;
    this.model.offlineSent = false;
    this.model.setChat(null);
    this.api.get('/messenger/status').then((s) => {
      this.model.agentsAvailable = s.agents_available;
      this.model.setDepartments(s.departments ?? []);
      this.model.changed();
    });
  }

  async acceptInvitation() {
    const inv = this.model.invitation;
    if (!inv) return;
    this.answered.add(inv.id);
    const answered = await this.api.post(`/messenger/invitations/${inv.id}/accept`);
    this.model.invitation = null;
    storage.chatId = answered.conversation_id;
    await this.refresh();
  }

  async declineInvitation() {
    const inv = this.model.invitation;
    if (!inv) return;
    this.answered.add(inv.id);
    this.model.invitation = null;
    this.model.changed();
    await this.api.post(`/messenger/invitations/${inv.id}/decline`).catch(() => {});
  }
}
