// @ts-check
/**
 * The desktop shell, when there is one: pywebview injects `window.pywebview.api` (our NativeApi, see
 * app/kayako_desktop/desktop/native_api.py). In a browser tab every call has a web equivalent or does nothing harmful,
 * so callers never branch on where they run except through `native.available`.
 */

/** @typedef {{phase: 'account'|'keyring'|'failed', message: string, action?: 'file'|'retry', keyring?: string}} SetupStatus the first run's progress */

/** @returns {any} */
function api() {
  return /** @type {any} */ (window).pywebview?.api ?? null;
}

/** pywebview fills in `api` a moment after the page loads; wait for it (briefly) when it is coming. */
function whenReady() {
  if (api()?.desktop_info) return Promise.resolve(true);
  if (!(/** @type {any} */ (window).pywebview) && !navigator.userAgent.includes('QtWebEngine')) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = () => resolve(Boolean(api()?.desktop_info));
    window.addEventListener('pywebviewready', done, { once: true });
    setTimeout(done, 3000);
  });
}

export const native = {
  available: false,
  /**
   * What the shell reports (app/kayako_desktop/desktop/app.py desktop_info); `keyring.pending`: the keyring has not
   * answered yet (a prompt is open); `setup`: the first run's progress, null once done.
   * @type {{native: boolean, notifications: {available: boolean, reason: string},
   *   keyring: {available: boolean, reason: string, pending: boolean}, settings: Record<string, any>,
   *   embedded: {url: string, demo_url: string}|null,
   *   setup: SetupStatus|null}|null}
   */
  info: null,

  /** Find out whether we run inside the desktop shell, and what it can do. */
  async init() {
    this.available = await whenReady();
    if (this.available) {
      try { this.info = await api().desktop_info(); } catch { this.info = null; }
    }
    return this.available;
  },

  /**
   * Save text as a file: the desktop's save dialog (the user picks the folder), or the browser's download.
   * Resolves with the name saved, or null when the user cancelled the dialog.
   * @param {string} name a plain file name @param {string} text @param {string} type its MIME type
   * @returns {Promise<string|null>}
   */
  async saveFile(name, text, type) {
    if (this.available) return (await api()?.save_file(name, text))?.name ?? null;
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return name;
  },

  /** Native open-file dialog: [{ref, name, size}] ([] when cancelled); `ref` is what the bridge uploads by. @param {'image'|'file'} kind @param {boolean} multiple */
  async pickFiles(kind, multiple) {
    return (await api()?.pick_files(kind, multiple)) ?? [];
  },

  /**
   * The files just dropped on the window, as references the bridge can upload (the shell saw the drop:
   * Qt, WebView2, WKWebView); null otherwise, and the browser's File objects are uploaded instead.
   * @param {string[]} names
   */
  async droppedFiles(names) {
    if (!this.available) return null;
    for (let i = 0; i < 6; i += 1) { // the shell's drop handler and ours run concurrently
      const found = await api()?.dropped_files(names);
      if (Array.isArray(found) && found.length === names.length) return /** @type {{ref: string, name: string, size: number|null}[]} */ (found);
      await new Promise((r) => setTimeout(r, 60));
    }
    return null;
  },

  /** Open a link in the system browser (true when the shell did it). @param {string} url */
  async openExternal(url) {
    if (!this.available) return false;
    return Boolean(await api()?.open_external(url));
  },

  /** @param {{requests: number, unread: number}} counts */
  setAttention(counts) {
    if (this.available) api()?.set_attention(counts)?.catch?.(() => {});
  },

  /**
   * An OS notification: a message in a background chat, a visitor rule's alert, or a colleague's staff message.
   * @param {{kind: 'message', instance: string, cid: number, title: string, body: string}|{kind: 'alert', instance: string, visitor: number, title: string, body: string}
   *   |{kind: 'staff', instance: string, agent: number, title: string, body: string}} n
   */
  notify(n) {
    if (this.available) api()?.notify(n)?.catch?.(() => {});
  },

  /** @param {Record<string, any>} changes */
  async updateSettings(changes) {
    const settings = await api()?.update_settings(changes);
    if (this.info && settings) this.info.settings = settings;
    return settings;
  },

  /** The first run could not keep the account (a cancelled keyring prompt): ask the keyring again. */
  async retrySetup() {
    return Boolean(await api()?.retry_setup());
  },

  openDemo() {
    return api()?.open_demo();
  },
};
