// @ts-check
/**
 * What every modal dialog of the app shares: open it and get a promise of its answer, close it with an
 * answer (focus goes back where it was), and show one error line. Subclasses build `this.dialog` (a
 * <dialog>) and `this.error` (an element with role=alert) in connectedCallback.
 */

export class ModalElement extends HTMLElement {
  constructor() {
    super();
    /** @type {HTMLDialogElement|undefined} built by the subclass */
    this.dialog = undefined;
    /** @type {HTMLElement|undefined} built by the subclass */
    this.error = undefined;
  }

  /** Show the dialog; resolves with what `finish` is given. @param {HTMLElement|null|undefined} [focus] @returns {Promise<any>} */
  openModal(focus) {
    this.returnFocus = /** @type {HTMLElement|null} */ (document.activeElement);
    this.dialog?.showModal();
    focus?.focus();
    return new Promise((resolve) => { this.resolve = resolve; });
  }

  /** Close with an answer (null: cancelled). @param {any} value */
  finish(value) {
    const dialog = this.dialog;
    if (dialog?.open) dialog.close();
    this.resolve?.(value);
    this.resolve = null;
    this.returnFocus?.focus?.();
  }

  /** One error line under the form; '' hides it. @param {string} message */
  showError(message) {
    const box = this.error;
    if (!box) return;
    box.hidden = !message;
    box.textContent = message;
  }
}
