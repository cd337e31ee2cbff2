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

/** What the server answers a visitor who may not chat from where they are. */
export const NOT_AVAILABLE = 'CHAT_NOT_AVAILABLE';

export class MessengerApi {
  /** @param {() => string|null} token @param {() => void} [onUnavailable] called when the server says chat is not available here */
  constructor(token, onUnavailable) {
    this.token = token;
    this.onUnavailable = onUnavailable;
    /** @type {Map<string, {view: string|null, download: string, expires: number}>} */
    this.links = new Map();
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
      resp = await fetch(`/api/v1${path}${path.includes('?') ? '&' : '?'}include=*`, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'NETWORK', 'No connection. Check your internet and try again.');
    }
    const json = await resp.json().catch(() => ({}));
    if (!resp.ok) {
      const err = json.errors?.[0] ?? {};
      if (err.code === NOT_AVAILABLE) this.onUnavailable?.();
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

  /**
   * Signed links for the files in these posts (GET /files/{id}/links), fetched before the posts are shown:
   * an <img> or a download cannot send the visitor token, and the token never goes in a URL, where it would
   * land in access logs. Links expire after an hour; ones about to are fetched again.
   * @param {Array<{attachments?: Array<{id: string}>}>} posts
   */
  async ensureLinks(posts) {
    const soon = Date.now() + 5 * 60_000;
    const ids = new Set(posts.flatMap((p) => (p.attachments ?? []).map((f) => f.id)));
    await Promise.all([...ids].filter((id) => (this.links.get(id)?.expires ?? 0) < soon).map(async (id) => {
      try {
        const l = await this.get(`/files/${encodeURIComponent(id)}/links`);
        this.links.set(id, { view: l.view, download: l.download, expires: Date.parse(l.expires_at) });
      } catch { /* shown without a link for now; asked again with the next message */ }
    }));
  }

  /** The signed link for a file ('' until ensureLinks has it). @param {{id: string}} file @param {boolean} [download] */
  fileUrl(file, download = false) {
    const l = this.links.get(file.id);
    return (download ? l?.download : l?.view ?? l?.download) ?? '';
  }
}
