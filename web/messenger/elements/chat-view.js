// @ts-check
/** <chat-view>: who you are talking to (or your place in the queue), the timeline, typing, composer. */
import { initials } from '../../shared/format.js';
import './chat-composer.js';
import './chat-timeline.js';
import './rating-form.js';
import { button } from './fields.js';
import { Intent } from '../state/names.js';

export class ChatViewElement extends HTMLElement {
  /** @param {import('../state/controller.js').MessengerController} controller */
  setup(controller) {
    this.controller = controller;
    this.innerHTML = '';
    this.status = document.createElement('div');
    this.status.className = 'chat-status';
    this.status.setAttribute('role', 'status');
    this.timeline = /** @type {import('./chat-timeline.js').ChatTimelineElement} */ (document.createElement('chat-timeline'));
    this.typing = document.createElement('div');
    this.typing.className = 'typing';
    this.typing.setAttribute('aria-live', 'polite');
    this.footer = document.createElement('div');
    this.footer.className = 'chat-footer';
    this.composer = /** @type {any} */ (document.createElement('chat-composer'));
    this.rating = /** @type {any} */ (document.createElement('rating-form'));
    this.end = button('End chat', 'link', 'button');
    this.end.addEventListener('click', () => this.confirmEnd());
    this.append(this.status, this.timeline, this.typing, this.footer);
    this.addEventListener(Intent.COMPOSER_SEND, (e) => controller.send(/** @type {CustomEvent} */ (e).detail.text));
    this.addEventListener(Intent.COMPOSER_TYPING, () => controller.typed());
  }

  confirmEnd() {
    const bar = document.createElement('div');
    bar.className = 'confirm';
    bar.setAttribute('role', 'alertdialog');
    bar.setAttribute('aria-label', 'End this chat?');
    const text = document.createElement('span');
    text.textContent = 'End this chat?';
    const yes = button('End chat', 'danger', 'button');
    const no = button('Keep chatting', 'secondary', 'button');
    yes.addEventListener('click', () => { bar.remove(); this.controller?.endChat(); });
    no.addEventListener('click', () => { bar.remove(); this.end?.focus(); });
    bar.append(text, yes, no);
    this.status?.after(bar);
    no.focus();
  }

  /** @param {import('../state/model.js').MessengerModel} model */
  render(model) {
    const chat = model.chat;
    if (!chat || !this.status || !this.controller) return;
    this.status.replaceChildren(...this.statusLine(chat));
    this.timeline?.render(model.timeline, this.controller.api);
    if (this.typing) this.typing.textContent = model.typing ? `${model.typing.name} is typing…` : '';
    const done = chat.is_completed;
    if (this.typing) this.typing.hidden = done;  // its reserved line is wasted once nobody can type
    const want = done ? [this.rating] : [this.end, this.composer];
    if (this.footer && (this.footer.childElementCount !== want.length || this.footer.firstChild !== want[0])) {
      this.footer.replaceChildren(.../** @type {Node[]} */ (want));
    }
    if (done) this.rating.setup(this.controller, chat, model.rated);
  }

  /** @param {import('../../shared/protocol.js').Chat} chat */
  statusLine(chat) {
    if (chat.is_completed) return [document.createTextNode('This chat has ended.')];
    const agent = chat.agents[0];
    if (!agent) {
      const where = chat.queue_position ? ` You are number ${chat.queue_position} in the queue.` : '';
      const spinner = document.createElement('span');
      spinner.className = 'spinner';
      spinner.setAttribute('aria-hidden', 'true');
      return [spinner, document.createTextNode(`Connecting you to an agent…${where}`)];
    }
    const avatar = document.createElement('span');
    avatar.className = 'avatar';
    avatar.setAttribute('aria-hidden', 'true');
    if (agent.avatar_url) {
      const img = document.createElement('img');
      img.src = agent.avatar_url;
      img.alt = '';
      avatar.append(img);
    } else {
      avatar.textContent = initials(agent.full_name);
    }
    const others = chat.agents.slice(1).map((a) => a.full_name);
    const names = [agent.full_name, ...others].join(', ');
    return [avatar, document.createTextNode(`You are chatting with ${names}`)];
  }
}

customElements.define('chat-view', ChatViewElement);
