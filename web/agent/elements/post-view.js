// @ts-check
/**
 * One timeline row as the agent sees it: visitor on the left, me on the right, colleagues labelled,
 * STAFF posts as internal notes, system lines centred; every kind (text, image, file, code, URL).
 */
import { formatTime, initials, linkify } from '../../shared/format.js';
import { renderPostBody } from '../../shared/post-body.js';
import { el } from './dom.js';
import { icon } from '../../shared/icons.js';

/** @typedef {import('../../shared/protocol.js').Post} Post */
/** @typedef {{fileUrl: (id: string) => string}} FileLinks */

const TICKS = { SENT: ['✓', 'Sent'], DELIVERED: ['✓✓', 'Delivered'], SEEN: ['✓✓', 'Seen'] };

/** @param {Post} post @param {number|undefined} meId @param {FileLinks} files */
export function renderPost(post, meId, files) {
  const staff = post.visibility === 'STAFF';
  if (post.kind === 'SYSTEM') {
    return el('li', { class: `post system${staff ? ' staff' : ''}`, dataset: { id: String(post.id) } },
      el('span', { text: post.contents }), staff ? el('span', { class: 'staff-tag', text: 'staff only' }) : null,
      el('time', { datetime: post.created_at, text: formatTime(post.created_at) }));
  }
  const side = post.author.kind === 'VISITOR' ? 'visitor' : post.author.id === meId ? 'mine' : 'colleague';
  const who = side === 'mine' ? 'You' : post.author.name;
  const meta = el('div', { class: 'meta' }, el('span', { class: 'author', text: who }),
    el('time', { datetime: post.created_at, text: formatTime(post.created_at) }));
  if (staff) meta.append(el('span', { class: 'staff-tag' }, icon('lock', 12), ' Internal note'));
  if (post.author.kind === 'AGENT' && !staff) {
    const [mark, label] = TICKS[post.status] ?? TICKS.SENT;
    meta.append(el('span', { class: `ticks ${post.status.toLowerCase()}`, title: label, 'aria-label': label, text: mark }));
  }
  return el('li', { class: `post ${side}${staff ? ' staff' : ''} kind-${post.kind.toLowerCase()}`, dataset: { id: String(post.id) } },
    side === 'mine' ? null : el('span', { class: 'avatar small', 'aria-hidden': 'true', text: initials(post.author.name) }),
    el('div', { class: 'bubble-col' }, el('div', { class: 'bubble' }, renderPostBody(post, (file) => files.fileUrl(file.id))), meta));
}

/** A message on its way (or failed, with Retry). @param {{client_id: string, contents: string, visibility: string, failed?: string}} item @param {() => void} retry */
export function renderPending(item, retry) {
  const meta = el('div', { class: 'meta' }, el('span', { class: 'author', text: 'You' }),
    item.failed ? el('span', { class: 'failed', text: `Not sent: ${item.failed}` }) : el('span', { text: 'Sending…' }));
  if (item.failed) meta.append(el('button', { type: 'button', class: 'link', text: 'Retry', onclick: retry }));
  const p = el('p', { class: 'text' });
  p.append(linkify(item.contents));
  return el('li', { class: `post mine pending${item.visibility === 'STAFF' ? ' staff' : ''}` },
    el('div', { class: 'bubble-col' }, el('div', { class: 'bubble' }, p), meta));
}
