// @ts-check
/**
 * <push-menu>: the toolbar's Push menu — the same four pushes as the chat window's bar, acting on the
 * active chat. Disabled (with the reason as its title) when there is no chat the agent can post in.
 */
import { el, emit } from './dom.js';
import { icon } from '../../shared/icons.js';
import { Intent, Topic } from '../state/names.js';
import { Running } from './running.js';

export class PushMenuElement extends HTMLElement {
  /** @param {import('../state/app-store.js').AppStore} store @param {any} menu the <context-menu> */
  setup(store, menu) {
    this.store = store;
    this.button = /** @type {HTMLButtonElement} */ (el('button', { type: 'button', class: 'ghost push-menu-button', 'aria-haspopup': 'menu',
      onclick: () => this.open(menu) }, icon('upload', 16), el('span', { text: 'Push' })));
    this.append(this.button);
    this.running = new Running(() => [store.subscribe((what) => { if (what.has(Topic.CHATS) || what.has(Topic.PAGE) || what.has(Topic.INSTANCES)) this.render(); })]);
    this.render();
  }

  connectedCallback() { this.running?.start(); }
  disconnectedCallback() { this.running?.stop(); }

  /** The active chat if the agent can post in it. */
  target() {
    const inst = this.store?.current;
    const cid = inst ? this.store?.activeChats.get(inst.id) ?? null : null;
    const c = inst && cid !== null ? inst.cases.get(cid) : null;
    const role = inst && c ? inst.myRole(c) : null;
    return inst && c && c.status.type !== 'COMPLETED' && role && role !== 'OBSERVER' ? { instance: inst.id, cid: c.id } : null;
  }

  render() {
    const button = /** @type {HTMLButtonElement} */ (this.button);
    this.hidden = !this.store?.current;
    const ok = Boolean(this.target());
    button.setAttribute('aria-disabled', String(!ok));
    button.title = ok ? 'Push an image, a file, code or a link into the active chat' : 'Open a chat you are answering to push to the visitor';
  }

  /** @param {any} menu */
  open(menu) {
    const button = /** @type {HTMLButtonElement} */ (this.button);
    const target = this.target();
    const r = button.getBoundingClientRect();
    const item = (/** @type {string} */ label, /** @type {string} */ kind, /** @type {any} */ ic) => ({
      label, icon: icon(ic, 16), disabled: !target, run: () => emit(this, Intent.PUSH_OPEN, { kind, ...target }) });
    menu.open(r.left, r.bottom + 4, [
      ...(target ? [] : [{ label: 'Open a chat first', heading: true }]),
      item('Push image…', 'image', 'image'), item('Push file…', 'file', 'file'),
      item('Push code…', 'code', 'code'), item('Push URL…', 'url', 'link'),
    ], 'Push', button);
  }
}

customElements.define('push-menu', PushMenuElement);
