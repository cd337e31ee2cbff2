// @ts-check
/** The Visitors table's rows: display values, filtering by free text and chat state, and sorting. */

/** @typedef {import('../../shared/protocol.js').Visitor} Visitor */

export const COLUMNS = [
  { key: 'name', label: 'Visitor' },
  { key: 'location', label: 'Location' },
  { key: 'page', label: 'Current page' },
  { key: 'referrer', label: 'Referrer' },
  { key: 'browser', label: 'Browser / OS' },
  { key: 'time', label: 'Time on site' },
  { key: 'views', label: 'Pages' },
  { key: 'chat', label: 'Chat' },
];

/** @param {Visitor} v */
export function locationText(v) {
  const loc = v.location;
  const parts = [loc?.city, loc?.country].filter(Boolean);
  return parts.length ? parts.join(', ') : 'Unknown';
}

/** @param {Visitor} v */
export function chatText(v) {
  if (!v.chat_status) return 'Browsing';
  if (v.chat_status === 'NEW') return 'Waiting';
  if (v.chat_status === 'OPEN') return v.chat_agent ? `Chatting with ${v.chat_agent.full_name}` : 'Chatting';
  return 'Chat ended';
}

/** The department of the visitor's chat, for the filter: '' when none. @param {Visitor} v */
export function teamOf(v) {
  return v.chat_team && (v.chat_status === 'NEW' || v.chat_status === 'OPEN') ? v.chat_team.title : '';
}

/** Seconds since the visit started. @param {Visitor} v @param {number} now */
export function secondsOnSite(v, now) {
  return Math.max(0, Math.round((now - Date.parse(v.session_started_at ?? v.first_seen)) / 1000));
}

/** "4m 05s", "1h 12m". @param {number} s */
export function duration(s) {
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Referrer as its host (full URL in the tooltip). @param {string|null|undefined} ref */
export function referrerHost(ref) {
  if (!ref) return 'Direct';
  try { return new URL(ref).host || ref; } catch { return ref; }
}

const CHAT_ORDER = { NEW: 0, OPEN: 1, COMPLETED: 3 };

/** @param {Visitor} v @param {string} key @param {number} now @returns {string|number} */
function sortValue(v, key, now) {
  switch (key) {
    case 'location': return locationText(v).toLowerCase();
    case 'page': return (v.current_title || v.current_url || '').toLowerCase();
    case 'referrer': return referrerHost(v.referrer).toLowerCase();
    case 'browser': return `${v.browser ?? ''} ${v.os ?? ''}`.toLowerCase();
    case 'time': return secondsOnSite(v, now);
    case 'views': return v.page_views;
    case 'chat': return v.chat_status ? CHAT_ORDER[v.chat_status] : 2;
    default: return v.name.toLowerCase();
  }
}

/**
 * @param {Iterable<Visitor>} visitors
 * @param {{text: string, state: 'all'|'chatting'|'waiting'|'browsing', team?: string, sort: string, dir: 1|-1}} opts
 * @param {number} now
 */
export function visibleRows(visitors, opts, now) {
  const needle = opts.text.trim().toLowerCase();
  const rows = [];
  for (const v of visitors) {
    if (!v.online) continue;
    if (opts.state === 'chatting' && v.chat_status !== 'OPEN') continue;
    if (opts.state === 'waiting' && v.chat_status !== 'NEW') continue;
    if (opts.state === 'browsing' && (v.chat_status === 'NEW' || v.chat_status === 'OPEN')) continue;
    if (opts.team && teamOf(v) !== opts.team) continue;
    if (needle) {
      const hay = [v.name, v.email, locationText(v), v.current_url, v.current_title, v.referrer, v.browser, v.os,
        v.chat_agent?.full_name, v.ip, teamOf(v)].filter(Boolean).join(' ').toLowerCase();
      if (!hay.includes(needle)) continue;
    }
    rows.push(v);
  }
  const keyed = rows.map((v) => ({ v, k: sortValue(v, opts.sort, now) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.v.id - b.v.id) * opts.dir);
  return keyed.map((x) => x.v);
}
