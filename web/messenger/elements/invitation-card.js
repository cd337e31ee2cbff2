// @ts-check
/** <invitation-card>: an agent invites the visitor to chat; Accept starts it, dismiss declines. */
import { initials } from '../../shared/format.js';
import { button } from './fields.js';

export class InvitationCardElement extends HTMLElement {
  constructor() {
    super();
    /** @type {number|null} the invitation on show */
    this.shown = null;
  }

  /** @param {import('../state/model.js').MessengerModel} model @param {import('../state/controller.js').MessengerController} controller */
  render(model, controller) {
    const inv = model.invitation;
    const show = !!inv && !(model.chat && !model.chat.is_completed);
    if (!show || !inv) { this.replaceChildren(); this.shown = null; return; }
    if (this.shown === inv.id) return;
    this.shown = inv.id;
    const card = document.createElement('div');
    card.className = 'invitation';
    card.setAttribute('role', 'alertdialog');
    card.setAttribute('aria-label', `${inv.agent.full_name} invites you to chat`);
    const avatar = document.createElement('span');
    avatar.className = 'avatar';
    avatar.setAttribute('aria-hidden', 'true');
    avatar.textContent = initials(inv.agent.full_name);
    const who = document.createElement('strong');
    who.textContent = inv.agent.full_name;
    const text = document.createElement('p');
    text.textContent = inv.message;
    const accept = button('Chat now', 'primary', 'button');
    const dismiss = button('No thanks', 'secondary', 'button');
    accept.addEventListener('click', () => controller.acceptInvitation().catch((e) => { model.error = e.message; model.changed(); }));
    dismiss.addEventListener('click', () => controller.declineInvitation());
    const actions = document.createElement('div');
    actions.className = 'actions';
    actions.append(accept, dismiss);
    const head = document.createElement('div');
    head.className = 'who';
    head.append(avatar, who);
    card.append(head, text, actions);
    this.replaceChildren(card);
    if (!model.open) model.setOpen(true);
  }
}

customElements.define('invitation-card', InvitationCardElement);
