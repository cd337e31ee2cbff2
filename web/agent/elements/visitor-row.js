// @ts-check
/** One row of the Visitors table, built from nodes; the time-on-site cells tick in place. */
import { externalLink, initials, safeHref } from '../../shared/format.js';
import { chatText, duration, locationText, referrerHost, secondsOnSite, teamOf } from '../state/visitor-rows.js';
import { el } from './dom.js';

/** @typedef {import('../../shared/protocol.js').Visitor} Visitor */

/** What the row shows apart from the ticking time: rebuild only when this changes. @param {Visitor} v */
export function rowSignature(v) {
  return [v.name, v.email, locationText(v), v.current_url, v.current_title, v.referrer, v.browser, v.os, v.page_views,
    v.chat_status, v.chat_agent?.id, v.session_started_at, teamOf(v), v.highlight, (v.rules ?? []).join(',')].join('\u0001');
}

/** @param {Visitor} v @param {number} now @param {boolean} focused */
export function buildRow(v, now, focused) {
  const href = safeHref(v.current_url ?? '');
  const page = el('td', { class: 'cur-page' });
  if (v.current_title || v.current_url) {
    const title = v.current_title || v.current_url || '';
    page.append(href ? externalLink(href, title) : el('span', { text: title }),
      el('small', { class: 'muted url', text: v.current_url ?? '' }));
    page.title = v.current_url ?? '';
  }
  const state = v.chat_status === 'OPEN' ? 'chatting' : v.chat_status === 'NEW' ? 'waiting' : 'browsing';
  const tr = /** @type {HTMLTableRowElement} */ (el('tr', { tabindex: focused ? '0' : '-1', dataset: { id: String(v.id), state } },
    el('td', null, el('div', { class: 'who' },
      el('span', { class: `avatar small ${state}`, 'aria-hidden': 'true', text: initials(v.name) }),
      el('span', { class: 'who-text' }, el('span', { class: 'name', text: v.name }),
        v.email ? el('small', { class: 'muted', text: v.email }) : null,
        v.rules?.length ? el('small', { class: 'rule-tags', title: 'Visitor rules this visitor matches', text: v.rules.join(' · ') }) : null))),
    // The browser line under the location shows only in narrow windows, where the Browser / OS column is hidden.
    el('td', null, el('span', { text: locationText(v) }),
      el('small', { class: 'muted narrow-only', text: [v.browser || 'Unknown', v.os].filter(Boolean).join(' · ') })),
    page,
    el('td', { class: 'ref', title: v.referrer ?? '', text: referrerHost(v.referrer) }),
    el('td', null, el('span', { text: v.browser || 'Unknown' }), el('small', { class: 'muted', text: v.os || '' })),
    el('td', { class: 'time num', text: duration(secondsOnSite(v, now)) }),
    el('td', { class: 'num', text: String(v.page_views) }),
    el('td', null, el('span', { class: `chip ${state}`, text: chatText(v) }),
      teamOf(v) ? el('small', { class: 'muted team', text: teamOf(v) }) : null)));
  if (v.highlight && /^#[0-9a-f]{6}$/i.test(v.highlight)) {
    tr.classList.add('highlighted');
    tr.style.setProperty('--rule', v.highlight);
  }
  /** @type {any} */ (tr).startedAt = Date.parse(v.session_started_at ?? v.first_seen);
  return tr;
}

/** @param {Map<number, {tr: HTMLTableRowElement}>} rows @param {number} now */
export function refreshTimes(rows, now) {
  for (const { tr } of rows.values()) {
    const cell = /** @type {HTMLElement|null} */ (tr.cells[5]);
    const text = duration(Math.max(0, Math.round((now - /** @type {any} */ (tr).startedAt) / 1000)));
    if (cell && cell.textContent !== text) cell.textContent = text;
  }
}
