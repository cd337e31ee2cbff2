// @ts-check
/**
 * Failed sends go out again — a server's retryable ones once it (or the bridge) is back, or one on Retry —
 * with the same client_id, so the server keeps each message once however often it is sent.
 */

/** @typedef {{store: import('./app-store.js').AppStore, actions: import('./actions.js').Actions}} Deps */

/** Everything held for one server that a retry can fix (refusals such as "too large" stay failed). @param {Deps} deps @param {string} id */
export function resendFailed({ store, actions }, id) {
  for (const [cid, t] of store.get(id)?.timelines ?? []) {
    for (const item of [...t.pending.values()]) {
      if (item.failed && item.retryable !== false) { delete item.failed; actions.deliver(id, cid, item); }
    }
  }
}

/** The bridge connection is back: what every server held goes out. @param {Deps} deps */
export function resendAll(deps) {
  for (const inst of deps.store.instances) resendFailed(deps, inst.id);
}

/** The agent pressed Retry on one message. @param {Deps} deps @param {string} id @param {number} cid @param {string} clientId */
export function retry({ store, actions }, id, cid, clientId) {
  const item = store.get(id)?.timeline(cid).pending.get(clientId);
  if (item) { delete item.failed; actions.deliver(id, cid, item); }
}
