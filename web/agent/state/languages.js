// @ts-check
/** The Push code dialog's language list, without the DOM: which languages match what the agent typed. */

/** @typedef {{alias: string, name: string}} Language */

/** Shown at most: a sanity cap (every Pygments lexer is ~600, and a drop-down lets the agent scroll to any). */
export const MAX_SHOWN = 1000;

/**
 * Languages whose name or alias contains the query, names that start with it first ("py" → Python before
 * Cython); all of them for an empty query.
 * @param {Language[]} all @param {string} query @returns {Language[]}
 */
export function matchLanguages(all, query) {
  const q = query.trim().toLowerCase();
  if (!q) return all.slice(0, MAX_SHOWN);
  const hits = all.filter((l) => l.name.toLowerCase().includes(q) || l.alias.toLowerCase().includes(q));
  hits.sort((a, b) => Number(!a.name.toLowerCase().startsWith(q)) - Number(!b.name.toLowerCase().startsWith(q)));
  return hits.slice(0, MAX_SHOWN);
}
