// @ts-check
/**
 * What every modal dialog of the app shares: open it and get a promise of its answer, close it with an
 * answer (focus goes back where it was), and show one error line. Subclasses build `this.dialog` (a
 * <dialog>) and `this.error` (an element with role=alert) in connectedCallback.
 */

export class ModalElement extends HTMLElement {
  /** Show the dialog; resolves with what `finish` is given. @param {HTMLElement|null|undefined} [focus] @returns {Promise<any>} */
  openModal(focus) {
    this.returnFocus = /** @type {HTMLElement|null} */ (document.activeElement);
    /** @type {HTMLDialogElement|undefined} */ (this.dialog)?.showModal();
    focus?.focus();
    return new Promise((resolve) => { this.resolve = resolve; });
  }

  /** Close with an answer (null: cancelled). @param {any} value */
  finish(value) {
    const dialog = /** @type {HTMLDialogElement|undefined} */ (this.dialog);
    if (dialog?.open) dialog.close();
    this.resolve?.(value);
    this.resolve = null;
    this.returnFocus?.focus?.();
  }

  /** One error line under the form; '' hides it. @param {string} message */
  showError(message) {
    const box = /** @type {HTMLElement|undefined} */ (this.error);
    if (!box) return;
    box.hidden = !message;
    box.textContent = message;
  }
}
