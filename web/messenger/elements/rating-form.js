// @ts-check
/**
 * <rating-form>: after the chat ends, one compact row of Good / Bad; the comment and Send appear only
 * once the visitor has chosen, so the ended chat's transcript keeps most of the panel.
 */
import { button, field, handleSubmit } from './fields.js';
import { icon } from '../../shared/icons.js';

export class RatingFormElement extends HTMLElement {
  constructor() {
    super();
    /** @type {string|null} the chat and state the form was built for */
    this.key = null;
  }

  /** @param {import('../state/controller.js').MessengerController} controller @param {any} chat @param {boolean} rated */
  setup(controller, chat, rated) {
    const done = rated || !!chat.rating;
    // chat-view calls this on every model change: rebuilding would drop a choice or a half-typed comment.
    const key = `${chat.id}:${done}`;
    if (this.key === key) return;
    this.key = key;
    const box = document.createElement('div');
    box.className = 'rating';
    const again = button('Start a new chat', 'secondary small', 'button');
    again.addEventListener('click', () => controller.newChat());
    const actions = document.createElement('div');
    actions.className = 'rating-actions';
    if (done) {
      const thanks = document.createElement('p');
      thanks.setAttribute('role', 'status');
      thanks.textContent = `Thanks for your feedback${chat.rating === 'GOOD' ? ' — glad we could help!' : '.'}`;
      actions.append(again);
      box.append(thanks, actions);
    } else {
      box.append(this.form(controller, actions, again));
    }
    this.replaceChildren(box);
  }

  /**
   * @param {import('../state/controller.js').MessengerController} controller
   * @param {HTMLElement} actions @param {HTMLButtonElement} again
   */
  form(controller, actions, again) {
    const form = document.createElement('form');
    form.className = 'rating-form';
    const question = document.createElement('span');
    question.className = 'rating-question';
    question.id = `rating-q-${Math.random().toString(36).slice(2, 7)}`;
    question.textContent = 'How was this chat?';
    const group = document.createElement('div');
    group.className = 'scores';
    group.setAttribute('role', 'radiogroup');
    group.setAttribute('aria-labelledby', question.id);
    for (const [value, label, glyph] of [['GOOD', 'Good', 'up'], ['BAD', 'Bad', 'down']]) {
      const option = document.createElement('label');
      option.className = 'choice';
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = 'score';
      radio.value = value;
      radio.required = true;
      option.append(radio, icon(/** @type {any} */ (glyph), 16), label);
      group.append(option);
    }
    const row = document.createElement('div');
    row.className = 'score-row';
    row.append(question, group);
    const comment = field('comment', 'Comment', { multiline: true, max: 2000 });
    comment.classList.add('rating-comment');
    comment.hidden = true;
    const send = button('Send rating');
    send.classList.add('small');
    send.hidden = true;
    group.addEventListener('change', () => { comment.hidden = false; send.hidden = false; });
    actions.append(send, again);
    form.append(row, comment, actions);
    handleSubmit(form, (data) => controller.rate(/** @type {any} */ (data.score), data.comment));
    return form;
  }
}

customElements.define('rating-form', RatingFormElement);
