// @ts-check
/**
 * The bridge's per-launch credentials, held by this page and nothing else. The shell opens the UI at
 * `/#token=…&files=…`: a fragment is never sent to any server, nor in a Referer. They are kept in
 * sessionStorage (this exact origin, port included, and this tab) so a reload keeps working, and taken out
 * of the address bar. Never a cookie: cookies are not port-scoped, so every other service on 127.0.0.1
 * would receive it (app/kayako_desktop/bridge/security.py).
 */
const KEY = 'kd.bridge';

/** @returns {{token: string, files: string}} */
function load() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const given = { token: fragment.get('token') ?? '', files: fragment.get('files') ?? '' };
  if (given.token) {
    try { sessionStorage.setItem(KEY, JSON.stringify(given)); } catch { /* storage off: this load still works */ }
    history.replaceState(null, '', location.pathname + location.search);
    return given;
  }
  try {
    const kept = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    if (kept && typeof kept.token === 'string' && typeof kept.files === 'string') return kept;
  } catch { /* a damaged value: as if none */ }
  return given;
}

const credentials = load();

/** Headers that authenticate a request to the bridge's API. @returns {Record<string, string>} */
export function authHeaders() {
  return credentials.token ? { 'X-Bridge-Token': credentials.token } : {};
}

/** Subprotocols for the UI's websocket (a browser cannot set its headers). */
export function socketProtocols() {
  return ['kd.bridge', `kd-token.${credentials.token}`];
}

/** The key that lets <img> and download links read a file's content, and nothing else. */
export function filesKey() {
  return credentials.files;
}
