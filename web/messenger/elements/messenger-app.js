// @ts-check
/** <messenger-app>: the launcher with its unread badge and the panel (header, banner, current screen). */
import './chat-view.js';
import './invitation-card.js';
import './offline-form.js';
import './prechat-form.js';

export class MessengerAppElement extends HTMLElement {
  constructor() {
    super();
    /** @type {Record<string, any>} the screens made so far, kept (with what was typed) while another shows */
    this.screens = {};
    /** @type {string} the screen on show */
    this.current = '';
  }

  /**
   * @param {import('../state/model.js').MessengerModel} model
   * @param {import('../state/controller.js').MessengerController} controller
   * @param {{title: string}} config
   */
  setup(model, controller, config) {
    this.model = model;
    this.controller = controller;
    this.launcher = document.createElement('button');
    this.launcher.type = 'button';
    this.launcher.className = 'launcher';
    this.launcher.setAttribute('aria-controls', 'panel');
    this.launcher.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true" width="28" height="28"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
    this.badge = document.createElement('span');
    this.badge.className = 'badge';
    this.launcher.append(this.badge);
    this.launcher.addEventListener('click', () => model.setOpen(!model.open));
    this.panel = document.createElement('section');
    this.panel.id = 'panel';
    this.panel.className = 'panel';
    this.panel.setAttribute('role', 'dialog');
    this.panel.setAttribute('aria-label', config.title);
    const header = document.createElement('header');
    const title = document.createElement('h1');
    title.textContent = config.title;
    title.title = config.title;
    // The visitor's question rides on the header's second line instead of a strip of its own.
    this.subject = document.createElement('p');
    this.subject.className = 'subject';
    this.subject.hidden = true;
    const titles = document.createElement('div');
    titles.className = 'titles';
    titles.append(title, this.subject);
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'minimise';
    close.setAttribute('aria-label', 'Minimise chat');
    close.textContent = '–';
    close.addEventListener('click', () => { model.setOpen(false); this.launcher?.focus(); });
    header.append(titles, close);
    this.banner = document.createElement('div');
    this.banner.className = 'banner';
    this.banner.setAttribute('role', 'status');
    this.invitation = /** @type {import('./invitation-card.js').InvitationCardElement} */ (document.createElement('invitation-card'));
    this.body = document.createElement('div');
    this.body.className = 'body';
    this.panel.append(header, this.banner, this.invitation, this.body);
    this.panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') close.click(); });
    this.append(this.panel, this.launcher);
    this.onChange = () => this.render();
    model.addEventListener('change', this.onChange);
    this.render();
  }

  // The model outlives the element: stop listening while out of the page (adding the same listener twice is a no-op).
  connectedCallback() { if (this.onChange) this.model?.addEventListener('change', this.onChange); }
  disconnectedCallback() { if (this.onChange) this.model?.removeEventListener('change', this.onChange); }

  /** @param {string} name */
  screen(name) {
    const tag = { chat: 'chat-view', prechat: 'prechat-form', offline: 'offline-form', 'offline-sent': 'offline-form' }[name];
    if (!this.screens[name]) this.screens[name] = tag ? document.createElement(tag) : this.notAvailable();
    return this.screens[name];
  }

  /** The one thing a visitor who may not chat from here reads (it says nothing about why). */
  notAvailable() {
    const box = document.createElement('div');
    box.className = 'not-available';
    box.setAttribute('role', 'status');
    const line = document.createElement('p');
    line.textContent = 'Chat is not available right now.';
    box.append(line);
    return box;
  }

  render() {
    const { model, controller } = this;
    if (!model || !controller || !this.panel || !this.launcher || !this.badge || !this.banner || !this.body || !this.invitation) return;
    const wasOpen = this.panel.classList.contains('open');
    this.panel.classList.toggle('open', model.open);
    this.panel.hidden = !model.open;
    this.launcher.setAttribute('aria-expanded', String(model.open));
    const unread = model.unread ? ` (${model.unread} unread)` : '';
    this.launcher.setAttribute('aria-label', `${model.open ? 'Close' : 'Open'} chat${unread}`);
    this.badge.textContent = model.unread > 9 ? '9+' : String(model.unread || '');
    this.badge.hidden = !model.unread;
    this.banner.textContent = model.error ?? (model.connection === 'online' || model.unavailable ? '' : 'Reconnecting…');
    this.banner.hidden = !this.banner.textContent;
    this.invitation.render(model, controller);
    this.body.hidden = !!this.invitation.shown;  // an invitation replaces the pre-chat form until answered
    const name = model.screen;
    const el = this.screen(name);
    if (this.current !== name) {
      this.current = name;
      if (name === 'chat') el.setup(controller);
      else if (name === 'prechat') el.setup(controller, model.visitor);
      else if (name !== 'unavailable') el.setup(controller, name === 'offline-sent');
      this.body.replaceChildren(el);
    }
    if (name === 'chat' || name === 'offline' || name === 'prechat') el.render(model);
    this.renderSubject(name === 'chat' ? model.chat?.subject ?? '' : '');
    window.parent.postMessage({ type: 'kayako:resize', open: model.open, invitation: !!model.invitation }, '*');
    if (model.open && !wasOpen) {
      controller.markRead();
      /** @type {HTMLElement|null} */ (this.panel.querySelector('textarea, input, button.primary'))?.focus();
    }
  }

  /**
   * The chat's question, one ellipsized line with the whole text in its tooltip. A chat an agent
   * started by invitation has no question (the server sends an empty subject): the line goes away.
   * @param {string} question
   */
  renderSubject(question) {
    const line = this.subject;
    if (!line || line.title === question) return;
    line.title = question;
    line.hidden = !question;
    const label = document.createElement('span');
    label.className = 'sr-only';
    label.textContent = 'Your question: ';
    line.replaceChildren(...(question ? [label, question] : []));
  }
}

customElements.define('messenger-app', MessengerAppElement);
