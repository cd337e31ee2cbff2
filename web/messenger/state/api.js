// @ts-check
/** The widget's REST client (same origin as the server): Kayako envelopes in, readable errors out. */

export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export class MessengerApi {
  /** @param {() => string|null} token */
  constructor(token) {
    this.token = token;
  }

  /** @param {string} method @param {string} path @param {any} [body] */
  async call(method, path, body) {
    /** @type {Record<string, string>} */
    const headers = { Accept: 'application/json' };
    const token = this.token();
    if (token) headers['X-Visitor-Token'] = token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let resp;
    try {
      resp = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'NETWORK', 'No connection. Check your internet and try again.');
    }
    const json = await resp.json().catch(() => ({}));
    if (!resp.ok) {
      const err = json.errors?.[0] ?? {};
      throw new ApiError(resp.status, err.code ?? 'UNKNOWN', err.message ?? `Request failed (${resp.status})`);
    }
    return json.data;
  }

  /** @param {string} path */
  get(path) { return this.call('GET', path); }
  /** @param {string} path @param {Record<string, any>} [body] */
  post(path, body = {}) { return this.call('POST', path, body); }
  /** @param {string} path @param {Record<string, any>} [body] */
  put(path, body = {}) { return this.call('PUT', path, body); }

  /** A file's URL that works in <img src> and download links (they cannot send headers). @param {string} url */
  fileUrl(url, download = false) {
    const u = new URL(url, location.origin);
    u.searchParams.set('visitor_token', this.token() ?? '');
    if (download) u.searchParams.set('download', '1');
    return u.pathname + u.search;
  }
}
