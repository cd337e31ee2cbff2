// @ts-check
/**
 * Wiring for the desktop shell (app/kayako_desktop/desktop/shell.py): what it calls on this window (`window.kayakoDesktop`),
 * links opened in the system browser, and what it reports at start. In a browser tab only the first applies.
 */
import { native } from './state/native.js';
import { wireFirstRun } from './first-run.js';

/**
 * @param {{store: import('./state/app-store.js').AppStore, actions: import('./state/actions.js').Actions,
 *   openChatLoaded: (id: string, cid: number) => void, openStaff: (id: string, agentId: number) => void,
 *   $: (sel: string) => any, collector: import('./state/memory.js').QuietCollector}} ctx
 * @returns {{ready: () => void}} call once the UI shows the snapshot (the shell and tests wait for it)
 */
export function wireDesktop({ store, actions, openChatLoaded, openStaff, $, collector }) {
  const toasts = $('toast-stack');
  const firstRun = wireFirstRun({ actions, $, toasts });
  const desktop = {
    ready: false,
    setupStatus: firstRun.setupStatus,
    askName: firstRun.askName,
    openChat: (/** @type {string} */ id, /** @type {number} */ cid) => { store.selectInstance(id); openChatLoaded(id, Number(cid)); window.focus(); },
    // A click on a colleague's message notification: the Team page on that thread.
    openStaff: (/** @type {string} */ id, /** @type {number} */ agentId) => { openStaff(id, Number(agentId)); window.focus(); },
    focusInstance: (/** @type {string} */ id) => store.selectInstance(id),
    // The shell's errors (the local server would not start, the keyring refused…) stay until read and closed.
    notice: (/** @type {string} */ message, /** @type {string} */ level = 'info') => (level === 'error'
      ? toasts.show(message, 'error', { sticky: true }) : toasts.show(message)),
    /** Read-only, for tests and the benchmark: is the quiet-time collection on, and how often it ran. */
    get memory() { return { collecting: collector.enabled, collections: collector.collections }; },
  };
  /** @type {any} */ (window).kayakoDesktop = desktop;
  document.addEventListener('click', (e) => {
    const a = /** @type {HTMLElement} */ (e.target).closest?.('a[target="_blank"]');
    if (!a || !native.available) return;
    e.preventDefault();
    native.openExternal(/** @type {HTMLAnchorElement} */ (a).href);
  });
  native.init().then((yes) => {
    if (!yes) return;
    document.documentElement.classList.add('native');
    const info = native.info;
    if (info && !info.notifications.available) toasts.show(`Desktop notifications are unavailable: ${info.notifications.reason}. Chat requests still pop up in this window.`);
    if (info && !info.keyring.available && !info.keyring.pending) toasts.show(`No system keyring: ${info.keyring.reason}`, 'error');
    if (info?.settings) $('request-popup').setRepeat(info.settings.sound_repeat, info.settings.sound_repeat_seconds);
    if (info?.setup) desktop.setupStatus(info.setup);
  });
  return { ready: () => { desktop.ready = true; } };
}
