// @ts-check
/** <offline-form>: nobody is online, so the visitor leaves a message the team answers by email. */
import { button, departmentSlot, field, handleSubmit } from './fields.js';

export class OfflineFormElement extends HTMLElement {
  /** @param {import('../state/controller.js').MessengerController} controller @param {boolean} sent */
  setup(controller, sent) {
    this.replaceChildren();
    if (sent) {
      const done = document.createElement('div');
      done.className = 'notice';
      done.setAttribute('role', 'status');
      done.textContent = 'Thanks! Your message is with our team; we will reply by email.';
      const again = button('Send another message', 'secondary', 'button');
      again.addEventListener('click', () => controller.newChat());
      this.append(done, again);
      return;
    }
    const form = document.createElement('form');
    form.className = 'stack';
    const intro = document.createElement('p');
    intro.className = 'intro';
    this.intro = intro;
    this.render(controller.model);
    this.department = departmentSlot((id) => controller.chooseDepartment(id));
    this.department.update(controller.model);
    form.append(intro, this.department.slot,
      field('name', 'Your name', { required: true, max: 120, autocomplete: 'name' }),
      field('email', 'Email', { type: 'email', required: true, max: 254, autocomplete: 'email' }),
      field('subject', 'Subject', { required: true, max: 255 }),
      field('message', 'Message', { required: true, multiline: true, max: 10000 }),
      button('Send message'));
    handleSubmit(form, (data) => controller.sendOffline(/** @type {any} */ (data)));
    this.append(form);
  }

  /** Name the department the message is for (the visitor may pick another offline one). @param {import('../state/model.js').MessengerModel} model */
  render(model) {
    this.department?.update(model);
    const intro = /** @type {HTMLElement|undefined} */ (this.intro);
    if (!intro) return;
    const chosen = model.department;
    intro.textContent = chosen
      ? `${chosen.title} is offline right now. Leave a message and we will get back to you by email.`
      : 'We are offline right now. Leave a message and we will get back to you by email.';
  }
}

customElements.define('offline-form', OfflineFormElement);
