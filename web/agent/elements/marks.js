// @ts-check
/** Search words marked in text that is already on screen: text nodes are split and the matches wrapped in
 * <mark> elements — built as nodes, never by writing HTML. */
import { matchRanges } from '../state/search-terms.js';

/** Where words are never marked: labels, times and controls around a post, not what was said. */
const SKIP = 'button, time, .meta, script, style';

/** Text as nodes with the pattern's matches in <mark>. @param {string} text @param {RegExp} pattern */
export function markedText(text, pattern) {
  const frag = document.createDocumentFragment();
  let last = 0;
  for (const [start, end] of matchRanges(text, pattern)) {
    const mark = document.createElement('mark');
    mark.textContent = text.slice(start, end);
    frag.append(text.slice(last, start), mark);
    last = end;
  }
  frag.append(text.slice(last));
  return frag;
}

/** Mark the pattern's matches inside `root`; returns how many text nodes changed. @param {Element} root @param {RegExp} pattern */
export function markMatches(root, pattern) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  /** @type {Text[]} */
  const hits = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = /** @type {Text} */ (n);
    if (!text.parentElement?.closest(SKIP) && matchRanges(text.data, pattern).length) hits.push(text);
  }
  for (const text of hits) text.replaceWith(markedText(text.data, pattern));
  return hits.length;
}
