// @ts-check
/**
 * Pushing media to a visitor, without the DOM: which files go as images, link checks that mirror the
 * server's (so a bad link is refused before it is sent, with the same words), size checks against the
 * server's limit, and an upload with progress that can be cancelled.
 */
import { authHeaders } from './bridge-auth.js';
import { formatBytes } from '../../shared/format.js';

/** Types the server shows inline as images (SVG and HTML never are). */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
export const IMAGE_ACCEPT = IMAGE_TYPES.join(',');
const IMAGE_EXT = /\.(png|jpe?g|gif|webp)$/i;

/** @param {{name: string, type?: string}} file */
export function isImageFile(file) {
  return file.type ? IMAGE_TYPES.includes(file.type) : IMAGE_EXT.test(file.name);
}

/**
 * The link as it will be sent, or an Error whose message the agent sees. `example.com` → `https://example.com`.
 * @param {string} raw @param {{allowMailto?: boolean}} [opts]
 */
export function normaliseUrl(raw, { allowMailto = true } = {}) {
  const text = raw.trim();
  if (!text) throw new Error('Type or paste a link first');
  if (/\s/.test(text)) throw new Error('A link cannot contain spaces');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  const names = allowMailto ? 'http, https or mailto' : 'http or https';
  // "host:port/path" looks like a scheme to the URL parser; only real schemes are judged as schemes.
  const hasScheme = scheme !== undefined && !/^[a-z0-9.-]+:\d+(\/|$)/i.test(text);
  if (hasScheme && !(scheme === 'http' || scheme === 'https' || (allowMailto && scheme === 'mailto'))) {
    throw new Error(`Only ${names} links can be sent (not “${scheme}:”)`);
  }
  if (scheme === 'mailto' && hasScheme) {
    if (!/^mailto:[^@\s]+@[^@\s]+$/i.test(text)) throw new Error('mailto: needs an email address');
    return text;
  }
  let url;
  try {
    url = new URL(hasScheme ? text : `https://${text}`);
  } catch {
    throw new Error('That does not look like a web address');
  }
  if (!url.hostname || !/^[^.]+(\.[^.]+)*$/.test(url.hostname) || (!url.hostname.includes('.') && url.hostname !== 'localhost')) {
    throw new Error('That does not look like a web address');
  }
  return url.href;
}

/** Why a file cannot be sent, naming the limit; null when it can. @param {{name: string, size: number}} file @param {number|null} limit */
export function sizeProblem(file, limit) {
  if (file.size === 0) return `“${file.name}” is empty`;
  if (limit && file.size > limit) return `“${file.name}” is ${formatBytes(file.size)}; files are limited to ${formatBytes(limit)}`;
  return null;
}

/**
 * POST a file to the bridge as a raw streamed body with progress; `abort()` cancels it.
 * Resolves with the server's file info; rejects with {code, message, retryable}.
 * @param {string} url @param {Blob & {name: string}} file @param {(loaded: number, total: number) => void} onProgress
 */
export function uploadWithProgress(url, file, onProgress) {
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('X-Filename', encodeURIComponent(file.name));
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      if (xhr.status >= 200 && xhr.status < 300 && body?.data?.id) { resolve(body.data); return; }
      reject(uploadError(xhr.status, body));
    };
    xhr.onerror = () => reject({ code: 'NETWORK', message: 'Lost the connection while uploading', retryable: true });
    xhr.onabort = () => reject({ code: 'CANCELLED', message: 'Cancelled', retryable: false });
    xhr.send(file);
  });
  return { promise, abort: () => xhr.abort() };
}

/** A Kayako or bridge error body as {code, message, retryable}. @param {number} status @param {any} body */
export function uploadError(status, body) {
  const err = body?.errors?.[0] ?? body?.error ?? {};
  const retryable = status === 0 || status === 502 || status === 503 || status === 504 || err.code === 'UPSTREAM_UNAVAILABLE';
  const fallback = retryable ? 'Lost the connection to the chat server; it is retried when the server is back' : `The upload failed (HTTP ${status})`;
  return { code: err.code ?? `HTTP_${status}`, message: err.message ?? fallback, retryable };
}
