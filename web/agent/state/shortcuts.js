// @ts-check
/** Keyboard shortcuts: a key press → the name of what to do (or null). Shown in the help dialog. */

/**
 * @param {{key: string, altKey: boolean, ctrlKey: boolean, metaKey: boolean, shiftKey: boolean}} e
 * @param {boolean} typingInField whether focus is in a text field (then only Alt combinations count)
 * @returns {string|null}
 */
export function shortcutFor(e, typingInField) {
  if (e.ctrlKey || e.metaKey) return null;
  if (e.altKey && !e.shiftKey) {
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    // Alt+letter gives other characters on some layouts (e.g. macOS "å"): the code-based fallback is
    // handled by the caller passing `key` from event.code when needed.
    const map = { a: 'accept', d: 'decline', e: 'end', ArrowDown: 'next-chat', ArrowUp: 'previous-chat',
      1: 'page-visitors', 2: 'page-chats', 3: 'page-history', 4: 'page-team', 5: 'page-dashboard' };
    return /** @type {Record<string, string>} */ (map)[key] ?? null;
  }
  if (!typingInField && e.key === '?') return 'help';
  return null;
}

/** The key an Alt shortcut means, from KeyboardEvent.code when the layout changed `key`. @param {KeyboardEvent} e */
export function normalisedKey(e) {
  if (e.altKey && /^Key[A-Z]$/.test(e.code)) return e.code.slice(3).toLowerCase();
  if (e.altKey && /^Digit\d$/.test(e.code)) return e.code.slice(5);
  return e.key;
}
