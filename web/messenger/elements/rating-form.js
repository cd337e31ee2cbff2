// @ts-check
/** <rating-form>: after the chat ends, Good or Bad plus an optional comment. */
import { button, field, handleSubmit } from './fields.js';
import { icon } from '../../shared/icons.js';

export class RatingFormElement extends HTMLElement {
  /** @param {import('../state/controller.js').MessengerController} controller @param {any} chat @param {boolean} rated */
  setup(controller, chat, rated) {
    this.replaceChildren();
    const box = document.createElement('div');
    box.className = 'rating';
    if (rated || chat.rating) {
      const thanks = document.createElement('p');
      thanks.setAttribute('role', 'status');
      thanks.textContent = `Thanks for your feedback${chat.rating === 'GOOD' ? ' — glad we could help!' : '.'}`;
      box.append(thanks);
    } else {
      const form = document.createElement('form');
      form.className = 'stack';
      const group = document.createElement('fieldset');
      const legend = document.createElement('legend');
      legend.textContent = 'How was this chat?';
      group.append(legend);
      for (const [value, label, glyph] of [['GOOD', 'Good', 'up'], ['BAD', 'Bad', 'down']]) {
        const option = document.createElement('label');
        option.className = 'choice';
        const radio = document.createElement('input');
        radio.type = 'radio';
        radio.name = 'score';
        radio.value = value;
        radio.required = true;
        option.append(radio, icon(/** @type {any} */ (glyph)), label);
        group.append(option);
      }
      form.append(group, field('comment', 'Comment', { multiline: true, max: 2000 }), button('Send rating'));
      handleSubmit(form, (data) => controller.rate(/** @type {any} */ (data.score), data.comment));
      box.append(form);
    }
    const again = button('Start a new chat', 'secondary', 'button');
    again.addEventListener('click', () => controller.newChat());
    box.append(again);
    this.append(box);
  }
}

customElements.define('rating-form', RatingFormElement);
