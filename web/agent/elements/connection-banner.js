// @ts-check
/** <connection-banner>: "Reconnecting…" when the bridge or the current server is not online. */
import { el, emit } from './dom.js';
import { Intent, Topic } from '../state/names.js';
import { Running } from './running.js';

export class ConnectionBannerElement extends HTMLElement {
  /** @param {import('../state/app-store.js').AppStore} store */
  setup(store) {
    this.store = store;
    this.setAttribute('role', 'status');
    this.running = new Running(() => [store.subscribe((what) => { if (what.has(Topic.INSTANCES) || what.has(Topic.BRIDGE)) this.render(); })]);
    this.render();
  }

  connectedCallback() { this.running?.start(); }
  disconnectedCallback() { this.running?.stop(); }

  render() {
    const store = /** @type {import('../state/app-store.js').AppStore} */ (this.store);
    const inst = store.current;
    let text = '';
    let kind = 'warn';
    /** @type {HTMLElement[]} */
    let actions = [];
    if (store.bridgeStatus !== 'online' && store.loaded) {
      text = 'Reconnecting to Kayako Desktop…';
    } else if (inst && inst.status === 'auth_failed') {
      kind = 'error';
      text = `Could not sign in to ${inst.info.name || inst.info.url}${inst.info.error ? `: ${inst.info.error}` : ''}.`;
      actions = [
        el('button', { type: 'button', class: 'link', text: 'Enter new password', onclick: () => emit(this, Intent.INSTANCE_PASSWORD, inst.id) }),
        el('button', { type: 'button', class: 'link', text: 'Remove this server', onclick: () => emit(this, Intent.REMOVE_INSTANCE, inst.id) }),
      ];
    } else if (inst && inst.status !== 'online') {
      text = inst.status === 'connecting' ? `Connecting to ${inst.info.name || inst.info.url}…` : `Reconnecting to ${inst.info.name || inst.info.url}…`;
    }
    this.hidden = !text;
    this.className = kind;
    this.replaceChildren(...(text ? [el('span', { class: 'spinner', 'aria-hidden': 'true' }), el('span', { text }), ...actions] : []));
  }
}

customElements.define('connection-banner', ConnectionBannerElement);
