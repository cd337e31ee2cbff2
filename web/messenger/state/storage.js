// @ts-check
/** What survives page navigations and reloads: the visitor token, the last seq, the unsent outbox. */

const PREFIX = 'kayako.messenger.';
/** @type {Record<string, any>} */
let memory = {};
/** @type {((key: string, value: any) => void)|null} */
let persist = null;

/**
 * Where state is kept. Browsers often block storage in third-party iframes, so the loader keeps it
 * in the host page's own storage and hands it over at start; without a loader (the frame opened on
 * its own) the frame's localStorage is used when allowed, else memory for this page only.
 * @param {Record<string, any>|null} fromHost
 * @param {((key: string, value: any) => void)|null} save
 */
export function initStorage(fromHost, save) {
  if (fromHost) {
    memory = { ...fromHost };
    persist = save;
    return;
  }
  try {
    for (let i = 0; i < localStorage.length; i += 1) {
      const key = localStorage.key(i) ?? '';
      if (key.startsWith(PREFIX)) memory[key.slice(PREFIX.length)] = JSON.parse(localStorage.getItem(key) ?? 'null');
    }
    persist = (key, value) => {
      if (value === null || value === undefined) localStorage.removeItem(PREFIX + key);
      else localStorage.setItem(PREFIX + key, JSON.stringify(value));
    };
  } catch {
    persist = null;
  }
}

/** @param {string} key */
function read(key) {
  return memory[key] ?? null;
}

/** @param {string} key @param {any} value */
function write(key, value) {
  if (value === null || value === undefined) delete memory[key];
  else memory[key] = value;
  try {
    persist?.(key, value ?? null);
  } catch {
    // Storage can be full or blocked: the widget still works for this page.
  }
}

export const storage = {
  get token() { return read('token'); },
  set token(v) { write('token', v); },
  get lastSeq() { return read('lastSeq'); },
  set lastSeq(v) { write('lastSeq', v); },
  get open() { return read('open') === true; },
  set open(v) { write('open', v); },
  /** @returns {Array<{client_id: string, conversation_id: number, contents: string, created_at: string}>} */
  get outbox() { return read('outbox') ?? []; },
  set outbox(v) { write('outbox', v.length ? v : null); },
  /** The chat this browser shows (kept after it ends, for the rating, until a new chat). */
  get chatId() { return read('chatId'); },
  set chatId(v) { write('chatId', v); },
  get draft() { return read('draft') ?? ''; },
  set draft(v) { write('draft', v || null); },
  clearIdentity() {
    for (const key of ['token', 'lastSeq', 'outbox', 'draft', 'chatId']) write(key, null);
  },
};
