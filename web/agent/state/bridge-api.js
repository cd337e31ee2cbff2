// @ts-check
/**
 * HTTP calls to the local bridge: its own instance endpoints, the snapshot, and the chat server's REST
 * API proxied per instance (Kayako envelopes come back unchanged; errors become ApiError).
 */

import { authHeaders, filesKey } from './bridge-auth.js';

export class ApiError extends Error {
  /** @param {string} code @param {string} message @param {number} status */
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** @param {Response} res */
async function parse(res) {
  if (res.status === 204) return null;
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    // Bridge errors: {error: {code, message}}; Kayako errors: {errors: [{code, message}]}.
    const err = body?.error ?? body?.errors?.[0] ?? {};
    throw new ApiError(err.code ?? `HTTP_${res.status}`, err.message ?? res.statusText ?? 'Request failed', res.status);
  }
  return body;
}

/** @param {string} method @param {string} url @param {any} [body] */
async function call(method, url, body) {
  /** @type {RequestInit} */
  const init = { method, credentials: 'omit', headers: { ...authHeaders(), Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers = { ...init.headers, 'Content-Type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(url, init);
  } catch {
    throw new ApiError('NETWORK', 'The desktop bridge is not answering', 0);
  }
  return parse(res);
}

/** Query string from an object, skipping empty values. @param {Record<string, any>} params */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const bridge = {
  listInstances: () => call('GET', '/api/instances').then((b) => b.instances),
  /** @param {{url: string, email: string, password: string, name?: string}} input */
  addInstance: (input) => call('POST', '/api/instances', input).then((b) => b.instance),
  /** @param {string} id @param {string} name */
  renameInstance: (id, name) => call('PATCH', `/api/instances/${encodeURIComponent(id)}`, { name }),
  /** @param {string} id @param {{name?: string, password?: string}} changes */
  updateInstance: (id, changes) => call('PATCH', `/api/instances/${encodeURIComponent(id)}`, changes),
  /** @param {string} id */
  removeInstance: (id) => call('DELETE', `/api/instances/${encodeURIComponent(id)}`),
  /** @param {string[]} ids */
  reorder: (ids) => call('PUT', '/api/instances/order', { ids }).then((b) => b.instances),
  snapshot: () => call('GET', '/api/snapshot'),
};

/**
 * The chat server's REST API for one instance. Resolves with the envelope's `data`
 * (collections: the whole envelope via `page`). Every call asks for nested resources whole (`include=*`):
 * the app draws the requester's name, the assigned agent, a post's creator and attachments from them.
 */
export class InstanceApi {
  /** @param {string} instanceId */
  constructor(instanceId) {
    this.base = `/api/i/${encodeURIComponent(instanceId)}`;
  }

  /** @param {string} method @param {string} path @param {any} [body] */
  async rest(method, path, body) {
    const envelope = await call(method, this.url(path), body);
    return envelope?.data;
  }

  /** A collection with its paging fields. @param {string} path */
  page(path) {
    return call('GET', this.url(path));
  }

  /** @param {string} path */
  url(path) {
    return `${this.base}/rest/${path}${path.includes('?') ? '&' : '?'}include=*`;
  }

  /** @param {string} path */
  get(path) { return this.rest('GET', path); }

  /** @param {string} path @param {any} [body] */
  post(path, body = {}) { return this.rest('POST', path, body); }

  /** @param {string} path @param {any} body */
  put(path, body) { return this.rest('PUT', path, body); }

  /** @param {string} path */
  del(path) { return this.rest('DELETE', path); }

  /** A document that is not a JSON envelope (a transcript), as text; errors as for every call. @param {string} path */
  async text(path) {
    let res;
    try {
      res = await fetch(`${this.base}/rest/${path}`, { credentials: 'omit', headers: { ...authHeaders(), Accept: 'text/html, text/plain, application/json' } });
    } catch {
      throw new ApiError('NETWORK', 'The desktop bridge is not answering', 0);
    }
    if (!res.ok) await parse(res);
    return res.text();
  }

  /** Upload a file as a raw streamed body. @param {File} file */
  async upload(file) {
    const res = await fetch(`${this.base}/files`, {
      method: 'POST',
      credentials: 'omit',
      headers: { ...authHeaders(), 'X-Filename': encodeURIComponent(file.name), 'Content-Type': file.type || 'application/octet-stream' },
      body: file,
    });
    return (await parse(res))?.data;
  }

  /** A bridge URL for a file's content (server-side `/api/v1/files/<id>/content`). @param {string} fileId */
  fileUrl(fileId) {
    return `${this.base}/files/${encodeURIComponent(fileId)}/content?k=${encodeURIComponent(filesKey())}`;
  }
}
