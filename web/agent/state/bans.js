// @ts-check
/**
 * What the ban dialog offers for a visitor's address: the address itself, or the network around it
 * (IPv4: Kayako Classic's class C/B/A = /24, /16, /8; IPv6: /64, /48), each shown as the CIDR the server
 * will store, and how long a ban lasts. The server decides (and checks) the network; this only previews it.
 */

/** @typedef {{prefix: number, label: string, network: string}} BanScope */

/** How long a ban lasts: seconds, or null for "until an administrator lifts it". */
export const BAN_LENGTHS = /** @type {const} */ ([
  [3600, '1 hour'], [86400, '1 day'], [7 * 86400, '7 days'], [30 * 86400, '30 days'], [null, 'Until lifted']]);

/** @param {string} ip @returns {number[]|null} the address's 4 bytes (IPv4) or 8 groups (IPv6) */
function parts(ip) {
  const v4 = ip.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (v4) {
    const bytes = v4.slice(1).map(Number);
    return bytes.every((b) => b <= 255) ? bytes : null;
  }
  if (!ip.includes(':')) return null;
  const [head, tail, extra] = ip.split('::');
  if (extra !== undefined) return null;
  const groups = (/** @type {string} */ s) => (s ? s.split(':') : []);
  const h = groups(head), t = groups(tail ?? '');
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const all = [...h, ...Array(tail === undefined ? 0 : missing).fill('0'), ...t];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  return all.map((g) => parseInt(g, 16));
}

/** The network of `ip` with `prefix` bits, as the server writes it (203.0.113.0/24, 2001:db8:1:2::/64). @param {string} ip @param {number} prefix */
export function networkOf(ip, prefix) {
  const p = parts(ip);
  if (!p) return null;
  const width = p.length === 4 ? 8 : 16;
  const masked = p.map((value, i) => {
    const keep = Math.max(0, Math.min(width, prefix - i * width));
    return keep === 0 ? 0 : value & (((1 << keep) - 1) << (width - keep));
  });
  if (width === 8) return `${masked.join('.')}/${prefix}`;
  // The shortest form: the longest run of zero groups (two or more) becomes "::".
  let best = [-1, 0], run = [-1, 0];
  masked.forEach((g, i) => {
    if (g !== 0) { run = [-1, 0]; return; }
    run = run[0] < 0 ? [i, 1] : [run[0], run[1] + 1];
    if (run[1] > best[1]) best = [...run];
  });
  const hex = masked.map((g) => g.toString(16));
  const text = best[1] >= 2
    ? `${hex.slice(0, best[0]).join(':')}::${hex.slice(best[0] + best[1]).join(':')}`
    : hex.join(':');
  return `${text}/${prefix}`;
}

/** The choices for banning a visitor at `ip`, narrowest first; [] when the address is not known. @param {string|null|undefined} ip @returns {BanScope[]} */
export function banScopes(ip) {
  const p = ip ? parts(ip) : null;
  if (!ip || !p) return [];
  const v4 = p.length === 4;
  const scopes = v4 ? [[32, 'This address'], [24, 'Its /24 network'], [16, 'Its /16 network'], [8, 'Its /8 network']]
    : [[128, 'This address'], [64, 'Its /64 network'], [48, 'Its /48 network']];
  return scopes.map(([prefix, label]) => ({ prefix: Number(prefix), label: String(label), network: String(networkOf(ip, Number(prefix))) }));
}
