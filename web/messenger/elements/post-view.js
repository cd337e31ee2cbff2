// @ts-check
/** One timeline entry per post kind, built from nodes (user text is never parsed as HTML). */
import { formatTime, linkify } from '../../shared/format.js';
import { renderPostBody } from '../../shared/post-body.js';

/** @typedef {import('../../shared/protocol.js').Message} Message */

const TICKS = { SENT: ['✓', 'Sent'], DELIVERED: ['✓✓', 'Delivered'], SEEN: ['✓✓', 'Seen'] };

/** @param {string} tag @param {string} [cls] @param {string} [text] */
function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** @param {Message} post @param {import('../state/api.js').MessengerApi} api */
export function renderPost(post, api) {
  if (post.kind === 'SYSTEM') {
    const li = el('li', 'post system');
    li.append(el('span', '', post.content_text));
    li.dataset.id = String(post.id);
    return li;
  }
  const mine = post.creator.kind === 'VISITOR';
  const li = el('li', `post ${mine ? 'mine' : 'theirs'} kind-${post.kind.toLowerCase()}`);
  li.dataset.id = String(post.id);
  const who = el('span', 'sr-only', mine ? 'You said:' : `${post.creator.full_name} said:`);
  const bubble = el('div', 'bubble');
  if (!mine) bubble.append(el('span', 'author', post.creator.full_name));
  bubble.append(renderPostBody({ ...post, contents: post.content_text }, (file, download) => api.fileUrl(file, download)));
  const meta = el('div', 'meta');
  const time = el('time', '', formatTime(post.created_at));
  time.setAttribute('datetime', post.created_at);
  meta.append(time);
  if (mine) meta.append(el('span', 'ticks'));
  li.append(who, bubble, meta);
  updatePost(li, post);
  return li;
}

/** Refresh what can change on a post: its delivery ticks. @param {HTMLElement} li @param {Message} post */
export function updatePost(li, post) {
  const ticks = li.querySelector('.ticks');
  if (!ticks) return;
  const [mark, label] = TICKS[post.message_status] ?? TICKS.SENT;
  ticks.textContent = mark;
  ticks.className = `ticks ${post.message_status.toLowerCase()}`;
  ticks.setAttribute('aria-label', label);
  ticks.setAttribute('title', label);
}

/** A message still on its way (kept in storage until the server has it). @param {{client_id: string, contents: string, created_at: string}} item */
export function renderPending(item) {
  const li = el('li', 'post mine pending');
  li.dataset.clientId = item.client_id;
  const bubble = el('div', 'bubble');
  const text = el('p', 'text');
  text.append(linkify(item.contents));
  bubble.append(text);
  const meta = el('div', 'meta', 'Sending…');
  li.append(el('span', 'sr-only', 'You said:'), bubble, meta);
  return li;
}
