// @ts-check
/**
 * The body of one post, by kind — shared by the widget and the agent UI so an agent sees each pushed
 * item exactly as the visitor will. Built from nodes; the only HTML is the server's sanitised code.
 */
import { copyText, externalLink, formatBytes, insertServerHighlightedCode, linkify, safeHref } from './format.js';
import { icon } from './icons.js';

/**
 * What a post's body is drawn from: a staff Post, or the visitor's Message with its `content_text` as `contents`.
 * @typedef {{kind: string, contents: string, content_html?: string|null, language?: string|null, url?: string|null, attachments?: FileInfo[]}} Post
 */
/** @typedef {import('./protocol.js').FileInfo} FileInfo */
/** @typedef {(file: FileInfo, download: boolean) => string} FileUrl */

/** @param {string} tag @param {string} cls @param {string} [text] */
function node(tag, cls, text) {
  const n = document.createElement(tag);
  n.className = cls;
  if (text !== undefined) n.textContent = text;
  return n;
}

/** @param {Post} post */
function codeBlock(post) {
  const copy = node('button', 'copy', 'Copy');
  copy.setAttribute('type', 'button');
  copy.setAttribute('aria-label', `Copy ${post.language ?? ''} code`);
  copy.addEventListener('click', async () => {
    copy.textContent = (await copyText(post.contents)) ? 'Copied' : 'Copy failed';
    setTimeout(() => { copy.textContent = 'Copy'; }, 2000);
  });
  const bar = node('figcaption', 'code-bar');
  bar.append(node('span', 'language', post.language ?? 'code'), copy);
  const code = node('div', 'code');
  if (post.content_html) insertServerHighlightedCode(code, post.content_html);
  else code.append(node('pre', '', post.contents));
  const box = node('figure', 'code-card');
  box.append(bar, code);
  return box;
}

/** @param {Post} post @param {FileUrl} fileUrl */
function image(post, fileUrl) {
  const file = post.attachments?.[0];
  const src = file ? fileUrl(file, false) : safeHref(post.url ?? '');
  if (!src) return null;
  const img = node('img', 'image');
  img.setAttribute('src', src);
  img.setAttribute('alt', file ? `Image: ${file.name}` : 'Image');
  img.setAttribute('loading', 'lazy');
  // An online image is another site's: it must not learn where it is shown (the agent's local bridge,
  // its port) nor the page's address.
  img.setAttribute('referrerpolicy', 'no-referrer');
  const open = externalLink(src, '');
  open.className = 'image-link';
  open.title = 'Open the full-size image';
  open.append(img);
  return open;
}

/**
 * A file name as two spans, so CSS can cut it in the middle: the head ellipsizes, the tail (the last
 * few characters and the extension) always shows — "a-very-long-dimm…guide.pdf". Together the spans
 * hold the whole name, so copying and screen readers get all of it.
 * @param {string} name
 */
function fileName(name) {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 8 ? name.length - dot : 0;
  const cut = name.length - ext - 5;
  const box = node('span', 'file-name');
  box.title = name;
  if (cut < 4) box.append(node('span', 'file-name-head', name));
  else box.append(node('span', 'file-name-head', name.slice(0, cut)), node('span', 'file-name-tail', name.slice(cut)));
  return box;
}

/** @param {FileInfo} file @param {FileUrl} fileUrl */
function fileCard(file, fileUrl) {
  const fileIcon = node('span', 'file-icon');
  fileIcon.append(icon('file', 24));
  const meta = node('div', 'file-meta');
  meta.append(fileName(file.name), node('span', 'file-size', formatBytes(file.size)));
  const link = node('a', 'file-download', 'Download');
  link.setAttribute('href', fileUrl(file, true));
  link.dataset.fileId = file.id;
  link.setAttribute('download', file.name);
  link.setAttribute('aria-label', `Download ${file.name} (${formatBytes(file.size)})`);
  link.title = `Download ${file.name}`;
  const card = node('div', 'file-card');
  card.append(fileIcon, meta, link);
  return card;
}

/** @param {Post} post @param {FileUrl} fileUrl */
export function renderPostBody(post, fileUrl) {
  if (post.kind === 'CODE') return codeBlock(post);
  if (post.kind === 'URL') {
    const href = safeHref(post.url ?? '');
    const box = node('div', 'link-card');
    const text = post.contents || href || '';
    // One line: an email address reads without its "mailto:"; the whole address is in the tooltip.
    const link = href ? externalLink(href, text.replace(/^mailto:/i, '')) : node('span', '', text);
    link.title = text;
    box.append(icon('globe', 16), link);
    return box;
  }
  if (post.kind === 'IMAGE') {
    const img = image(post, fileUrl);
    if (img) return img;
  }
  if (post.kind === 'FILE' && post.attachments?.[0]) return fileCard(post.attachments[0], fileUrl);
  const text = node('p', 'text');
  text.append(linkify(post.contents));
  return text;
}
