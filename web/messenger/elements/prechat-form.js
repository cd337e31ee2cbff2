// @ts-check
/** <prechat-form>: name, optional email and the question; submitting asks for a chat. */
import { button, departmentSlot, field, handleSubmit } from './fields.js';

export class PrechatFormElement extends HTMLElement {
  /** @param {import('../state/controller.js').MessengerController} controller @param {any} visitor */
  setup(controller, visitor) {
    this.replaceChildren();
    const form = document.createElement('form');
    form.className = 'stack';
    const intro = document.createElement('p');
    intro.className = 'intro';
    intro.textContent = 'Hi! Tell us who you are and what you need, and an agent will be with you shortly.';
    const name = field('name', 'Your name', { required: true, max: 120, autocomplete: 'name' });
    const email = field('email', 'Email', { type: 'email', max: 254, autocomplete: 'email' });
    const subject = field('subject', 'Your question', { required: true, multiline: true, max: 255 });
    const nameInput = /** @type {HTMLInputElement} */ (name.querySelector('input'));
    if (visitor?.name && !/^Visitor \d+$/.test(visitor.name)) nameInput.value = visitor.name;
    if (visitor?.email) /** @type {HTMLInputElement} */ (email.querySelector('input')).value = visitor.email;
    this.department = departmentSlot((id) => controller.chooseDepartment(id));
    this.department.update(controller.model);
    form.append(intro, this.department.slot, name, email, subject, button('Start chat'));
    handleSubmit(form, (data) => controller.startChat(/** @type {any} */ (data)));
    this.append(form);
  }

  /** The site's departments arrive after the form (the status is read at start). @param {import('../state/model.js').MessengerModel} model */
  render(model) {
    this.department?.update(model);
  }
}

customElements.define('prechat-form', PrechatFormElement);
