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
    const transcript = controller.model.emailTranscripts ? this.transcript(controller) : null;
    if (done) {
      const thanks = document.createElement('p');
      thanks.setAttribute('role', 'status');
      thanks.textContent = `Thanks for your feedback${chat.rating === 'GOOD' ? ' — glad we could help!' : '.'}`;
      actions.append(again);
      box.append(thanks, actions);
    } else {
      box.append(this.form(controller, actions, again));
    }
    if (transcript) box.append(transcript);
    this.replaceChildren(box);
  }

  /**
   * "E-mail me the transcript": a link-like button that opens a one-field form (the address given before
   * is filled in), then says where it went.
   * @param {import('../state/controller.js').MessengerController} controller
   */
  transcript(controller) {
    const box = document.createElement('div');
    box.className = 'transcript-request';
    const ask = button('E-mail me the transcript', 'link small', 'button');
    ask.addEventListener('click', () => {
      const form = document.createElement('form');
      form.className = 'transcript-form';
      const email = field('email', 'Your e-mail', { type: 'email', required: true, max: 254, autocomplete: 'email' });
      const input = /** @type {HTMLInputElement} */ (email.querySelector('input'));
      input.value = controller.model.visitor?.email ?? '';
      input.readOnly = Boolean(input.value); // a transcript only ever goes to the address the visitor gave
      const send = button('Send', 'primary small');
      form.append(email, send);
      handleSubmit(form, async (data) => {
        const sent = await controller.emailTranscript(data.email);
        const done = document.createElement('p');
        done.setAttribute('role', 'status');
        done.className = 'transcript-sent';
        done.textContent = `Transcript sent to ${sent?.recipients?.join(', ') ?? data.email}.`;
        box.replaceChildren(done);
      });
      box.replaceChildren(form);
      input.focus();
    });
    box.append(ask);
    return box;
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
