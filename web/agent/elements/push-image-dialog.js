// @ts-check
/**
 * <push-image-dialog>: the article's "Push image" window — Upload an image from the local system (picker
 * or the desktop's native dialog, with a preview) or Send an online image (an http/https address, with a
 * preview); OK sends. Resolves with {source} for a local file, {url} for an online image, or null.
 */
import { el } from './dom.js';
import { ModalElement } from './modal.js';
import { formatBytes } from '../../shared/format.js';
import { IMAGE_ACCEPT, isImageFile, normaliseUrl, sizeProblem } from '../state/push.js';

/** @typedef {{file?: File, ref?: string, name: string, size: number, type?: string}} Source */

export class PushImageDialogElement extends ModalElement {
  connectedCallback() {
    if (this.dialog) return;
    const radio = (/** @type {string} */ value, /** @type {string} */ text) => {
      const input = el('input', { type: 'radio', name: 'push-image-source', value, onchange: () => this.paint() });
      return { input, label: el('label', { class: 'choice' }, input, el('span', { text })) };
    };
    this.local = radio('local', 'Upload an image from the local system');
    this.online = radio('online', 'Send an online image');
    this.picker = /** @type {HTMLInputElement} */ (el('input', { type: 'file', accept: IMAGE_ACCEPT, hidden: true, tabindex: '-1' }));
    this.picker.addEventListener('change', () => { const f = this.picker?.files?.[0]; if (f) this.choose({ file: f, name: f.name, size: f.size, type: f.type }); });
    this.chosen = el('span', { class: 'muted chosen', text: 'No image chosen' });
    this.browse = el('button', { type: 'button', class: 'ghost small', text: 'Browse…', onclick: () => this.pick() });
    this.url = /** @type {HTMLInputElement} */ (el('input', { type: 'url', placeholder: 'https://example.com/picture.png', 'aria-label': 'Image address' }));
    this.url.addEventListener('input', () => this.previewUrl());
    this.preview = el('div', { class: 'image-preview', 'aria-live': 'polite' });
    this.error = el('p', { class: 'field-error', role: 'alert', hidden: true });
    this.ok = /** @type {HTMLButtonElement} */ (el('button', { type: 'submit', class: 'primary', text: 'OK' }));
    const form = el('form', { class: 'dialog-body' },
      el('h2', { id: 'push-image-title', text: 'Push image' }),
      el('fieldset', { class: 'choices' }, el('legend', { class: 'sr-only', text: 'Image source' }),
        this.local.label, el('div', { class: 'choice-body', dataset: { for: 'local' } }, this.browse, this.chosen, this.picker),
        this.online.label, el('div', { class: 'choice-body', dataset: { for: 'online' } }, this.url)),
      this.preview, this.error,
      el('div', { class: 'dialog-actions' }, el('button', { type: 'button', class: 'ghost', text: 'Cancel', onclick: () => this.finish(null) }), this.ok));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog', 'aria-labelledby': 'push-image-title' }, form));
    this.dialog.addEventListener('cancel', () => this.finish(null));
    this.dialog.addEventListener('close', () => this.revoke());
    this.append(this.dialog);
  }

  /**
   * @param {{limit: number|null, pickNative: (() => Promise<Source[]>)|null}} opts
   * @returns {Promise<{source: Source}|{url: string}|null>}
   */
  ask(opts) {
    this.opts = opts;
    /** @type {Source|null} */
    this.source = null;
    /** @type {HTMLInputElement} */ (this.local?.input).checked = true;
    /** @type {HTMLInputElement} */ (this.url).value = '';
    this.revoke();
    this.showError('');
    this.paint();
    return this.openModal(/** @type {HTMLElement} */ (this.browse));
  }

  mode() {
    return /** @type {HTMLInputElement} */ (this.online?.input).checked ? 'online' : 'local';
  }

  paint() {
    const mode = this.mode();
    for (const body of /** @type {NodeListOf<HTMLElement>} */ (this.querySelectorAll('.choice-body'))) body.classList.toggle('off', body.dataset.for !== mode);
    /** @type {HTMLButtonElement} */ (this.browse).disabled = mode !== 'local';
    /** @type {HTMLInputElement} */ (this.url).disabled = mode !== 'online';
    if (mode === 'online') { this.previewUrl(); this.url?.focus(); } else this.showLocal();
  }

  async pick() {
    if (this.opts?.pickNative) {
      const [chosen] = await this.opts.pickNative();
      if (chosen) this.choose(chosen);
    } else this.picker?.click();
  }

  /** @param {Source} src */
  choose(src) {
    if (!isImageFile(src)) {
      this.showError(`“${src.name}” is not a PNG, JPEG, GIF or WebP image. Send it with “Send a file” instead.`);
      return;
    }
    const problem = sizeProblem(src, this.opts?.limit ?? null);
    this.showError(problem ?? '');
    if (problem) return;
    this.source = src;
    this.revoke();
    this.showLocal();
  }

  showLocal() {
    const preview = /** @type {HTMLElement} */ (this.preview);
    const src = this.source;
    /** @type {HTMLElement} */ (this.chosen).textContent = src ? `${src.name} · ${formatBytes(src.size)}` : 'No image chosen';
    if (src?.file) {
      this.objectUrl = this.objectUrl ?? URL.createObjectURL(src.file);
      preview.replaceChildren(el('img', { src: this.objectUrl, alt: `Preview of ${src.name}` }));
    } else preview.replaceChildren(el('p', { class: 'muted', text: src ? 'The image is sent as it is.' : 'Choose an image to see it here.' }));
  }

  previewUrl() {
    const preview = /** @type {HTMLElement} */ (this.preview);
    const raw = this.url?.value.trim() ?? '';
    this.showError('');
    if (!raw) { preview.replaceChildren(el('p', { class: 'muted', text: 'Paste the address of an image to see it here.' })); return; }
    let href;
    try { href = normaliseUrl(raw, { allowMailto: false }); } catch { preview.replaceChildren(); return; }
    const img = el('img', { src: href, alt: 'Preview of the online image', referrerpolicy: 'no-referrer' });
    img.addEventListener('error', () => preview.replaceChildren(el('p', { class: 'muted', text: 'No preview: the image did not load from this address (it may still load for the visitor).' })));
    preview.replaceChildren(img);
  }

  submit() {
    if (this.mode() === 'local') {
      if (!this.source) { this.showError('Choose an image first (Browse…).'); return; }
      this.finish({ source: this.source });
      return;
    }
    try {
      this.finish({ url: normaliseUrl(this.url?.value ?? '', { allowMailto: false }) });
    } catch (err) {
      this.showError(err instanceof Error ? err.message : String(err));
    }
  }

  revoke() {
    if (this.objectUrl) { URL.revokeObjectURL(this.objectUrl); this.objectUrl = null; }
  }
}

customElements.define('push-image-dialog', PushImageDialogElement);
