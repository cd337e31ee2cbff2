// @ts-check
/** Canned-response search: every word of the query must appear in the title or the text; title hits first. */

/** @typedef {import('../../shared/protocol.js').Macro} Macro */

/** @param {Macro[]} macros @param {string} q @param {number} [limit] */
export function matchMacros(macros, q, limit = 8) {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const scored = [];
  for (const m of macros) {
    const title = m.title.toLowerCase();
    const hay = `${title} ${m.contents.toLowerCase()}`;
    if (!words.every((w) => hay.includes(w))) continue;
    const score = words.filter((w) => title.includes(w)).length * 2 + (words[0] && title.startsWith(words[0]) ? 1 : 0);
    scored.push({ m, score });
  }
  scored.sort((a, b) => b.score - a.score || a.m.title.localeCompare(b.m.title));
  return scored.slice(0, limit).map((s) => s.m);
}
