// @ts-check
/**
 * After a new password is sent for a server whose sign-in failed: wait for the bridge's verdict. Success
 * arrives as instance.updated (→ online); a failed retry with the same reason sends no event (the bridge
 * only publishes changes), so still "auth_failed" after `timeout` means the new password failed too.
 */
import { Topic } from './names.js';

/**
 * Start watching before the request is sent, so no status change can slip past.
 * @param {import('./app-store.js').AppStore} store @param {string} id @param {number} [timeout] ms
 * @returns {{promise: Promise<void>, cancel: () => void}}
 */
export function watchSignIn(store, id, timeout = 6000) {
  let cancel = () => {};
  const promise = new Promise((resolve, reject) => {
    let tried = false; // seen it leave auth_failed: a later auth_failed is the new password's verdict
    const unsubscribe = store.subscribe((what) => {
      if (!what.has(Topic.INSTANCES)) return;
      const inst = store.get(id);
      if (!inst) finish(new Error('This server was removed'));
      else if (inst.status === 'online') finish(null);
      else if (inst.status !== 'auth_failed') tried = true;
      else if (tried) finish(new Error(inst.info.error || 'The email or password is incorrect'));
    });
    const timer = setTimeout(() => {
      const inst = store.get(id);
      finish(new Error(inst?.status === 'auth_failed'
        ? `Could not sign in: ${inst.info.error || 'the email or password is incorrect'}`
        : 'The server has not answered yet; Kayako Desktop keeps trying with the new password'));
    }, timeout);
    /** @param {Error|null} err */
    function finish(err) {
      clearTimeout(timer);
      unsubscribe();
      if (err) reject(err); else resolve(undefined);
    }
    cancel = () => { clearTimeout(timer); unsubscribe(); };
  });
  return { promise, cancel };
}
