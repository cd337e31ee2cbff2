// @ts-check
/** Text-safe rendering helpers: every user string becomes text nodes; links are built, never parsed. */

const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
const URL_IN_TEXT = /\b(?:https?:\/\/|www\.)[^\s<>"']+[^\s<>"'.,;:!?)\]]/gi;

/** The URL if it is http, https or mailto; otherwise null. @param {string} raw */
export function safeHref(raw) {
  try {
    const url = new URL(raw, 'https://invalid.example');
    if (!SAFE_SCHEMES.has(url.protocol) || url.hostname === 'invalid.example') return null;
    return url.href;
  } catch {
    return null;
  }
}

/** An <a> that opens in a new tab without giving the page access to us. @param {string} href @param {string} text */
export function externalLink(href, text) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

/** Text with its http(s) links made clickable. @param {string} text */
export function linkify(text) {
  const frag = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const start = match.index ?? 0;
    const href = safeHref(match[0].startsWith('www.') ? `https://${match[0]}` : match[0]);
    if (!href) continue;
    frag.append(text.slice(last, start), externalLink(href, match[0]));
    last = start + match[0].length;
  }
  frag.append(text.slice(last));
  return frag;
}

/** @param {number} bytes */
export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) { value /= 1024; i += 1; }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[i]}`;
}

// The one clock format for every screen (agent timeline, chat list, History, the widget): the OS/browser
// locale decides 12- or 24-hour and padding ("2:41 PM", "14:41"). Each is built once, on first use: the
// first formatter loads the locale's data (tens of ms), which a page should not pay before it first shows.
const CLOCK = /** @type {const} */ ({ hour: 'numeric', minute: 'numeric' });
const DAY = /** @type {const} */ ({ year: 'numeric', month: 'short', day: 'numeric' });
// The same clock inside a date, joined the locale's way ("Nov 30, 2026, 2:41 PM", "30 Nov 2026, 14:41").
const FORMATS = { time: CLOCK, date: DAY, dateTime: { ...DAY, ...CLOCK } };
/** @type {Partial<Record<keyof FORMATS, Intl.DateTimeFormat>>} */
const made = {};
/** @param {keyof FORMATS} kind */
function formatter(kind) {
  return (made[kind] ??= new Intl.DateTimeFormat(undefined, FORMATS[kind]));
}

/** The time of day, e.g. "2:41 PM". @param {string} iso */
export function formatTime(iso) {
  return formatter('time').format(new Date(iso));
}

/** A date with the same clock, e.g. "Nov 30, 2026, 2:41 PM". @param {string} iso */
export function formatDateTime(iso) {
  return formatter('dateTime').format(new Date(iso));
}

/** For lists: today's times as a time, older ones as a date. @param {string} iso @param {Date} [now] */
export function formatWhen(iso, now = new Date()) {
  const d = new Date(iso);
  return formatter(d.toDateString() === now.toDateString() ? 'time' : 'date').format(d);
}

/** Up to two initials for an avatar. @param {string} name */
export function initials(name) {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join('') || '?';
}

/**
 * The one place HTML from the server is inserted: Pygments output for code posts, sanitised with nh3
 * on the server before it was stored. Nothing else may use innerHTML.
 * @param {HTMLElement} el @param {string} html
 */
export function insertServerHighlightedCode(el, html) {
  el.innerHTML = html; // eslint-disable-line no-unsanitized/property -- sanitised server-side (nh3)
}

/** Copy text to the clipboard; falls back to a hidden textarea where the API is unavailable. @param {string} text */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/** A random id for client_id (idempotent retries). */
export function newClientId() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}
