// @ts-check
/** One timeline entry per post kind, built from nodes (user text is never parsed as HTML). */
import { icon } from '../../shared/icons.js';
import { copyText, externalLink, formatBytes, formatTime, insertServerHighlightedCode, linkify, safeHref } from '../../shared/format.js';

/** @typedef {import('../../shared/protocol.js').Post} Post */

const TICKS = { SENT: ['✓', 'Sent'], DELIVERED: ['✓✓', 'Delivered'], SEEN: ['✓✓', 'Seen'] };

/** @param {string} tag @param {string} [cls] @param {string} [text] */
function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** @param {Post} post @param {import('../state/api.js').MessengerApi} api */
function body(post, api) {
  if (post.kind === 'CODE') return codeBlock(post);
  if (post.kind === 'URL') {
    const href = safeHref(post.url ?? '');
    const box = el('div', 'link-card');
    box.append(href ? externalLink(href, post.contents || href) : el('span', '', post.contents));
    return box;
  }
  if (post.kind === 'IMAGE') {
    const file = post.attachments[0];
    const src = file ? api.fileUrl(file.url) : safeHref(post.url ?? '');
    if (!src) return el('p', 'text', post.contents);
    const img = el('img', 'image');
    img.setAttribute('src', src);
    img.setAttribute('alt', file ? `Image: ${file.name}` : 'Image sent by the agent');
    img.setAttribute('loading', 'lazy');
    const open = externalLink(src, '');
    open.className = 'image-link';
    open.title = 'Open the full-size image';
    open.append(img);
    return open;
  }
  if (post.kind === 'FILE' && post.attachments[0]) {
    const file = post.attachments[0];
    const card = el('div', 'file-card');
    const fileIcon = el('span', 'file-icon');
    fileIcon.append(icon('file', 26));
    const meta = el('div', 'file-meta');
    meta.append(el('span', 'file-name', file.name), el('span', 'file-size', formatBytes(file.size)));
    const link = el('a', 'file-download', 'Download');
    link.setAttribute('href', api.fileUrl(file.url, true));
    link.setAttribute('download', file.name);
    link.setAttribute('aria-label', `Download ${file.name} (${formatBytes(file.size)})`);
    card.append(fileIcon, meta, link);
    return card;
  }
  const text = el('p', 'text');
  text.append(linkify(post.contents));
  return text;
}

/** @param {Post} post */
function codeBlock(post) {
  const box = el('figure', 'code-card');
  const bar = el('figcaption', 'code-bar');
  const copy = el('button', 'copy', 'Copy');
  copy.setAttribute('type', 'button');
  copy.setAttribute('aria-label', `Copy ${post.language ?? ''} code`);
  copy.addEventListener('click', async () => {
    const ok = await copyText(post.contents);
    copy.textContent = ok ? 'Copied' : 'Copy failed';
    setTimeout(() => { copy.textContent = 'Copy'; }, 2000);
  });
  bar.append(el('span', 'language', post.language ?? 'code'), copy);
  const code = el('div', 'code');
  insertServerHighlightedCode(code, post.content_html ?? '');
  box.append(bar, code);
  return box;
}

/** @param {Post} post @param {import('../state/api.js').MessengerApi} api */
export function renderPost(post, api) {
  if (post.kind === 'SYSTEM') {
    const li = el('li', 'post system');
    li.append(el('span', '', post.contents));
    li.dataset.id = String(post.id);
    return li;
  }
  const mine = post.author.kind === 'VISITOR';
  const li = el('li', `post ${mine ? 'mine' : 'theirs'} kind-${post.kind.toLowerCase()}`);
  li.dataset.id = String(post.id);
  const who = el('span', 'sr-only', mine ? 'You said:' : `${post.author.name} said:`);
  const bubble = el('div', 'bubble');
  if (!mine) bubble.append(el('span', 'author', post.author.name));
  bubble.append(body(post, api));
  const meta = el('div', 'meta');
  const time = el('time', '', formatTime(post.created_at));
  time.setAttribute('datetime', post.created_at);
  meta.append(time);
  if (mine) meta.append(el('span', 'ticks'));
  li.append(who, bubble, meta);
  updatePost(li, post);
  return li;
}

/** Refresh what can change on a post: its delivery ticks. @param {HTMLElement} li @param {Post} post */
export function updatePost(li, post) {
  const ticks = li.querySelector('.ticks');
  if (!ticks) return;
  const [mark, label] = TICKS[post.status] ?? TICKS.SENT;
  ticks.textContent = mark;
  ticks.className = `ticks ${post.status.toLowerCase()}`;
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
