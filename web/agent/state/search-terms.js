// @ts-check
/**
 * What a History search matched, without the DOM: the query's words as one pattern, read the way the
 * server's full-text search reads them (words, a match may be the start of a longer word), where they
 * occur in a text, and the first post of a transcript that has one.
 */

const WORD = /[\p{L}\p{N}_]+/gu;

/** A global pattern for the query's words (one-letter words would mark half the text), or null. @param {string} q */
export function termsPattern(q) {
  const words = [...new Set((q.match(WORD) ?? []).filter((w) => w.length > 1).map((w) => w.toLowerCase()))];
  if (!words.length) return null;
  const alternatives = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  // No look-behind (older WebKit webviews lack it): group 1 is the character before the word, group 2 the word.
  return new RegExp(`(^|[^\\p{L}\\p{N}_])((?:${alternatives})[\\p{L}\\p{N}_]*)`, 'giu');
}

/** [start, end) of each matched word in `text`. @param {string} text @param {RegExp} pattern @returns {Array<[number, number]>} */
export function matchRanges(text, pattern) {
  /** @type {Array<[number, number]>} */
  const out = [];
  for (const m of text.matchAll(pattern)) {
    const start = (m.index ?? 0) + m[1].length;
    out.push([start, start + m[2].length]);
  }
  return out;
}

/**
 * The first post whose text has one of the words (where History opens a transcript), or null.
 * @template {{contents?: string|null}} P @param {P[]} posts @param {RegExp} pattern @returns {P|null}
 */
export function firstMatch(posts, pattern) {
  return posts.find((p) => p.contents && matchRanges(p.contents, pattern).length) ?? null;
}
