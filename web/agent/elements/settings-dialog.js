// @ts-check
/**
 * <settings-dialog>: the app's own preferences — the request chime (repeat until answered, how often),
 * desktop notifications and, in the desktop app when the system has no keyring, the explicit opt-in to keep
 * passwords in a file; plus "Open demo website" when the app runs its own local server. In a browser tab
 * only the sound settings apply (kept in this browser).
 */
import { el } from './dom.js';
import { ModalElement } from './modal.js';
import { checkName } from '../first-run.js';

const LOCAL_KEY = 'kd.sound';

/** Sound preferences in a browser tab (the desktop app keeps them in its settings file). */
export function browserSound() {
  try {
    const v = JSON.parse(localStorage.getItem(LOCAL_KEY) ?? 'null');
    if (v && typeof v.sound_repeat === 'boolean' && Number.isInteger(v.sound_repeat_seconds)) return v;
  } catch { /* ignore a damaged value */ }
  return { sound_repeat: true, sound_repeat_seconds: 10 };
}

export class SettingsDialogElement extends ModalElement {
  connectedCallback() {
    if (this.dialog) return;
    this.repeat = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', id: 'set-repeat' }));
    this.seconds = /** @type {HTMLInputElement} */ (el('input', { type: 'number', id: 'set-seconds', min: '3', max: '600', step: '1', class: 'narrow' }));
    this.seconds.addEventListener('input', () => this.showError(''));
    this.notify = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', id: 'set-notify' }));
    this.notifyNote = el('p', { class: 'muted small-note' });
    this.popupWindow = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', id: 'set-popup' }));
    this.fileFallback = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', id: 'set-file' }));
    this.keyringNote = el('p', { class: 'muted small-note' });
    this.desktopOnly = el('fieldset', { class: 'settings-group' }, el('legend', { text: 'Desktop' }),
      el('label', { class: 'check' }, this.notify, el('span', { text: 'Show desktop notifications for chat requests and new messages' })), this.notifyNote,
      el('label', { class: 'check' }, this.popupWindow, el('span', { text: 'Show each chat request in a small window on top of other windows' })));
    this.keyringBox = el('fieldset', { class: 'settings-group' }, el('legend', { text: 'Passwords' }),
      el('label', { class: 'check' }, this.fileFallback, el('span', { text: 'Store passwords in a file (this computer has no system keyring)' })), this.keyringNote);
    this.demo = el('button', { type: 'button', class: 'ghost', text: 'Open demo website', onclick: () => this.onDemo?.() });
    this.demoBox = el('fieldset', { class: 'settings-group' }, el('legend', { text: 'Try it out' }),
      el('p', { class: 'muted small-note', text: 'A demo shop with the chat widget, served by the chat server on this computer: start a chat there and answer it here.' }), this.demo);
    this.name = /** @type {HTMLInputElement} */ (el('input', { type: 'text', id: 'set-name', maxlength: '120', autocomplete: 'name' }));
    this.nameLegend = el('legend', { text: 'You' });
    this.nameBox = el('fieldset', { class: 'settings-group' }, this.nameLegend,
      el('label', { class: 'stacked', for: 'set-name' }, el('span', { text: 'Your name (visitors see it when you chat with them)' }), this.name));
    this.error = el('p', { class: 'field-error', role: 'alert', hidden: true });
    const form = el('form', { class: 'dialog-body', novalidate: true },
      el('h2', { id: 'settings-title', text: 'Settings' }), this.nameBox,
      el('fieldset', { class: 'settings-group' }, el('legend', { text: 'Chat requests' }),
        el('label', { class: 'check' }, this.repeat, el('span', { text: 'Repeat the chime until the request is answered' })),
        el('label', { class: 'inline', for: 'set-seconds' }, el('span', { text: 'Every' }), this.seconds, el('span', { text: 'seconds' }))),
      this.desktopOnly, this.keyringBox, this.demoBox, this.error,
      el('div', { class: 'dialog-actions' }, el('button', { type: 'button', class: 'ghost', text: 'Cancel', onclick: () => this.close() }),
        el('button', { type: 'submit', class: 'primary', text: 'Save' })));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.save(); });
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog', 'aria-labelledby': 'settings-title' }, form));
    this.append(this.dialog);
  }

  /**
   * @param {{native: any, onSaved: (s: {sound_repeat: boolean, sound_repeat_seconds: number}) => void,
   *   profile?: {server: string, name: string, save: (name: string) => Promise<void>}|null}} opts
   * `native` is state/native.js's object; `profile` is me on the current server (absent with no server).
   */
  open({ native, onSaved, profile = null }) {
    this.native = native;
    this.profile = profile;
    /** @type {HTMLElement} */ (this.nameBox).hidden = !profile;
    /** @type {HTMLElement} */ (this.nameLegend).textContent = profile ? `You on ${profile.server}` : 'You';
    /** @type {HTMLInputElement} */ (this.name).value = profile?.name ?? '';
    this.onSaved = onSaved;
    this.onDemo = () => native.openDemo();
    const info = native.available ? native.info : null;
    const s = info?.settings ?? browserSound();
    /** @type {HTMLInputElement} */ (this.repeat).checked = Boolean(s.sound_repeat);
    /** @type {HTMLInputElement} */ (this.seconds).value = String(s.sound_repeat_seconds ?? 10);
    /** @type {HTMLElement} */ (this.desktopOnly).hidden = !info;
    /** @type {HTMLElement} */ (this.keyringBox).hidden = !info || (info.keyring.available && !s.password_file_fallback);
    /** @type {HTMLElement} */ (this.demoBox).hidden = !info?.embedded;
    if (info) {
      /** @type {HTMLInputElement} */ (this.notify).checked = Boolean(s.notifications);
      /** @type {HTMLInputElement} */ (this.popupWindow).checked = s.request_popup !== false;
      /** @type {HTMLElement} */ (this.notifyNote).textContent = info.notifications.available ? info.notifications.reason : `Unavailable: ${info.notifications.reason}. Requests still pop up in the app.`;
      /** @type {HTMLInputElement} */ (this.fileFallback).checked = Boolean(s.password_file_fallback);
      /** @type {HTMLElement} */ (this.keyringNote).textContent = info.keyring.available ? 'The system keyring is available again; passwords you save now go there.'
        : `${info.keyring.reason}. The file is readable only by your user account, but is not encrypted.`;
    }
    this.showError('');
    this.openModal(profile ? this.name : this.repeat);
  }

  async save() {
    const seconds = Number(this.seconds?.value);
    if (!Number.isInteger(seconds) || seconds < 3 || seconds > 600) { this.showError('Choose a whole number of seconds from 3 to 600.'); this.seconds?.focus(); return; }
    const sound = { sound_repeat: Boolean(this.repeat?.checked), sound_repeat_seconds: seconds };
    let name = '';
    if (this.profile) {
      try { name = checkName(this.name?.value ?? ''); } catch (err) { this.showError(/** @type {Error} */ (err).message); this.name?.focus(); return; }
    }
    try {
      if (this.profile && name !== this.profile.name) await this.profile.save(name);
      if (this.native?.available) {
        await this.native.updateSettings({ ...sound, notifications: Boolean(this.notify?.checked), request_popup: Boolean(this.popupWindow?.checked),
          password_file_fallback: Boolean(this.fileFallback?.checked) });
      } else {
        localStorage.setItem(LOCAL_KEY, JSON.stringify(sound));
      }
    } catch (err) {
      this.showError(err instanceof Error ? err.message : String(err));
      return;
    }
    this.onSaved?.(sound);
    this.close();
  }

  close() {
    this.finish(null);
  }
}

customElements.define('settings-dialog', SettingsDialogElement);
