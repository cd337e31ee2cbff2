// @ts-check
/**
 * One timeline row as the agent sees it: visitor on the left, me on the right, colleagues labelled,
 * STAFF posts as internal notes, system lines centred; every kind (text, image, file, code, URL).
 */
import { formatBytes, formatTime, initials, linkify } from '../../shared/format.js';
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
  const side = post.creator.kind === 'VISITOR' ? 'visitor' : post.creator.id === meId ? 'mine' : 'colleague';
  const who = side === 'mine' ? 'You' : post.creator.full_name;
  const meta = el('div', { class: 'meta' }, el('span', { class: 'author', text: who }),
    el('time', { datetime: post.created_at, text: formatTime(post.created_at) }));
  if (staff) meta.append(el('span', { class: 'staff-tag' }, icon('lock', 12), ' Internal note'));
  if (post.creator.kind === 'AGENT' && !staff) {
    const [mark, label] = TICKS[post.post_status] ?? TICKS.SENT;
    meta.append(el('span', { class: `ticks ${post.post_status.toLowerCase()}`, title: label, 'aria-label': label, text: mark }));
  }
  return el('li', { class: `post ${side}${staff ? ' staff' : ''} kind-${post.kind.toLowerCase()}`, dataset: { id: String(post.id) } },
    side === 'mine' ? null : el('span', { class: 'avatar small', 'aria-hidden': 'true', text: initials(post.creator.full_name) }),
    el('div', { class: 'bubble-col' }, el('div', { class: 'bubble' }, renderPostBody(post, (file) => files.fileUrl(file.id))), meta));
}

/** The delivery ticks moved on (Sent → Delivered → Seen): change them in place, keeping the row (and any
 * image in it) as it is. False when the row has no ticks to change. @param {HTMLElement} li @param {Post} post */
export function updateTicks(li, post) {
  const ticks = li.querySelector('.meta .ticks');
  if (!ticks) return false;
  const [mark, label] = TICKS[post.post_status] ?? TICKS.SENT;
  ticks.className = `ticks ${post.post_status.toLowerCase()}`;
  ticks.setAttribute('title', label);
  ticks.setAttribute('aria-label', label);
  ticks.textContent = mark;
  return true;
}

/**
 * A post on its way: drawn with the same body as the stored post will be (a file or image card while it
 * uploads, with a progress bar and Cancel), or failed with its reason, Retry (when a retry can work) and Remove.
 * @param {any} item @param {{retry: () => void, cancel: () => void}} on
 */
export function renderPending(item, on) {
  const up = item.upload;
  const state = item.failed
    ? el('span', { class: 'failed', role: 'alert', text: `Not sent: ${item.failed}` })
    : el('span', { class: 'sending', text: up && !item.file_id ? uploading(up) : 'Sending…' });
  const meta = el('div', { class: 'meta' }, el('span', { class: 'author', text: 'You' }), state);
  if (item.failed && item.retryable !== false) meta.append(el('button', { type: 'button', class: 'link', text: 'Retry', onclick: on.retry }));
  if (item.failed || (up && !item.file_id)) {
    meta.append(el('button', { type: 'button', class: 'link', text: item.failed ? 'Remove' : 'Cancel',
      'aria-label': `${item.failed ? 'Remove' : 'Cancel'} ${up ? up.name : 'message'}`, onclick: on.cancel }));
  }
  let body;
  if (up) {
    const preview = item.kind === 'IMAGE' && up.preview
      ? el('img', { class: 'image', src: up.preview, alt: `Image: ${up.name}` })
      : el('div', { class: 'file-card' }, el('span', { class: 'file-icon' }, icon('file', 24)),
        el('div', { class: 'file-meta' }, el('span', { class: 'file-name', text: up.name }), el('span', { class: 'file-size', text: formatBytes(up.size) })));
    const bar = el('progress', { class: 'upload-progress', max: String(up.size || 1), value: String(up.loaded), 'aria-label': `Uploading ${up.name}` });
    body = el('div', { class: 'upload' }, preview, item.failed || item.file_id ? null : bar);
  } else if (item.kind && item.kind !== 'TEXT') {
    body = renderPostBody({ ...item, id: 0, attachments: [], content_html: null }, () => '');
  } else {
    body = el('p', { class: 'text' });
    body.append(linkify(item.contents));
  }
  const li = el('li', { class: `post mine pending kind-${(item.kind ?? 'TEXT').toLowerCase()}${item.visibility === 'STAFF' ? ' staff' : ''}` },
    el('div', { class: 'bubble-col' }, el('div', { class: 'bubble' }, body), meta));
  // Progress moves without redrawing the row (the Cancel button stays under the pointer).
  return Object.assign(li, { update: (/** @type {any} */ next) => {
    const bar = li.querySelector('progress');
    if (bar && next.upload) bar.value = next.upload.loaded;
    const text = li.querySelector('.sending');
    if (text && next.upload && !next.file_id) text.textContent = uploading(next.upload);
  } });
}

/** "Uploading… 42%" @param {{loaded: number, size: number}} up */
function uploading(up) {
  return up.loaded > 0 && up.size ? `Uploading… ${Math.min(99, Math.floor((up.loaded / up.size) * 100))}%` : 'Uploading…';
}
