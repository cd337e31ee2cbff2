// @ts-check
/**
 * <history-page>: Chat History — full-text search with filters, paged results, and the transcript, which
 * opens at the first post that matched with the search words marked.
 */
import { formatDateTime, initials } from '../../shared/format.js';
import { Timeline } from '../state/timeline.js';
import { firstMatch, termsPattern } from '../state/search-terms.js';
import { el } from './dom.js';
import { markedText } from './marks.js';
import { icon } from '../../shared/icons.js';
import './chat-timeline.js';
import { Intent, Topic } from '../state/names.js';
import { Running } from './running.js';

const PAGE = 25;

export class HistoryPageElement extends HTMLElement {
  /**
   * @param {import('../state/app-store.js').AppStore} store
   * @param {import('../state/actions.js').Actions} actions
   */
  setup(store, actions) {
    this.store = store;
    this.actions = actions;
    const f = (/** @type {string} */ label, /** @type {HTMLElement} */ control) => el('label', { class: 'filter' }, el('span', { text: label }), control);
    this.q = /** @type {HTMLInputElement} */ (el('input', { type: 'search', name: 'q', placeholder: 'Search words in chats…', 'aria-label': 'Search chat history' }));
    this.agent = /** @type {HTMLSelectElement} */ (el('select', { name: 'agent_id' }));
    const opts = (/** @type {string[][]} */ list) => list.map(([v, t]) => el('option', { value: v, text: t }));
    this.form = /** @type {HTMLFormElement} */ (el('form', { class: 'history-form', role: 'search' },
      el('div', { class: 'search-row' }, icon('search', 18), this.q, el('button', { type: 'submit', class: 'primary', text: 'Search' })),
      el('div', { class: 'filters' },
        f('Status', el('select', { name: 'status' }, ...opts([['', 'Any'], ['OPEN', 'Active'], ['NEW', 'Waiting'], ['COMPLETED', 'Completed']]))),
        f('Agent', this.agent),
        f('Rating', el('select', { name: 'rating' }, ...opts([['', 'Any'], ['GOOD', 'Good'], ['BAD', 'Bad']]))),
        f('From', el('input', { type: 'date', name: 'created_after' })),
        f('To', el('input', { type: 'date', name: 'created_before' })))));
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.search(0); });
    this.form.addEventListener('change', () => this.search(0));
    this.summary = el('p', { class: 'muted result-summary', role: 'status' });
    this.results = el('ul', { class: 'results', 'aria-label': 'Chats found' });
    this.more = el('button', { type: 'button', class: 'ghost more', text: 'Load more', hidden: true, onclick: () => this.search(this.offset) });
    this.transcriptHead = el('header', { class: 'transcript-head' });
    this.transcript = /** @type {import('./chat-timeline.js').ChatTimelineElement} */ (el('chat-timeline', { class: 'transcript' }));
    this.side = el('section', { class: 'transcript-pane', 'aria-label': 'Transcript', hidden: true }, this.transcriptHead, this.transcript);
    this.replaceChildren(
      el('header', { class: 'page-head' }, el('h1', { text: 'Chat History' })),
      this.form,
      el('div', { class: 'history-split' }, el('div', { class: 'results-col' }, this.summary, this.results, this.more), this.side));
    this.offset = 0;
    this.running = new Running(() => [store.subscribe((what) => { if (what.has(Topic.PAGE) && store.page === 'history') this.enter(); })]);
  }

  connectedCallback() { this.running?.start(); }
  disconnectedCallback() { this.running?.stop(); }

  enter() {
    const inst = this.store?.current;
    if (!inst || this.instanceId === inst.id) return;
    this.instanceId = inst.id;
    const agents = [...inst.agents.values()].sort((a, b) => a.full_name.localeCompare(b.full_name));
    this.agent?.replaceChildren(el('option', { value: '', text: 'Anyone' }), ...agents.map((a) => el('option', { value: String(a.id), text: a.full_name })));
    if (this.side) this.side.hidden = true;
    this.search(0);
  }

  /** @param {number} offset */
  async search(offset) {
    const inst = this.store?.current;
    if (!inst || !this.actions) return;
    const data = Object.fromEntries(new FormData(/** @type {HTMLFormElement} */ (this.form)));
    /** @type {Record<string, any>} */
    const params = { ...data, offset, limit: PAGE };
    if (params.created_after) params.created_after = new Date(`${params.created_after}T00:00:00`).toISOString();
    if (params.created_before) params.created_before = new Date(`${params.created_before}T23:59:59`).toISOString();
    const summary = /** @type {HTMLElement} */ (this.summary);
    summary.textContent = 'Searching…';
    const ticket = (this.searching = (this.searching ?? 0) + 1); // an older search answering late is dropped
    try {
      const page = await this.actions.search(inst.id, params);
      if (ticket !== this.searching) return;
      const hits = page.data ?? [];
      if (!offset) this.results?.replaceChildren();
      this.results?.append(...hits.map((/** @type {any} */ h) => this.hit(h, String(data.q ?? ''))));
      this.offset = offset + hits.length;
      const total = page.total_count ?? this.offset;
      summary.textContent = total ? `${total} chat${total === 1 ? '' : 's'} found` : 'No chats match. Try fewer words or other filters.';
      /** @type {HTMLElement} */ (this.more).hidden = this.offset >= total;
    } catch (err) {
      if (ticket === this.searching) summary.textContent = `Search failed: ${err instanceof Error ? err.message : err}`;
    }
  }

  /** @param {import('../../shared/protocol.js').SearchHit} hit @param {string} q */
  hit(hit, q) {
    const c = hit.conversation;
    const owner = c.assigned_agent?.full_name ?? c.participants.find((p) => p.role === 'OWNER')?.agent.full_name ?? 'Nobody';
    return el('li', null, el('button', { type: 'button', class: 'hit', onclick: (/** @type {Event} */ e) => this.open(c, /** @type {HTMLElement} */ (e.currentTarget), q) },
      el('span', { class: 'avatar', 'aria-hidden': 'true', text: initials(c.requester.name) }),
      el('span', { class: 'hit-text' },
        el('span', { class: 'hit-top' }, el('strong', { text: c.requester.name }), el('span', { class: 'muted', text: ` · ${c.subject}` })),
        el('span', { class: 'snippet' }, highlight(hit.snippet, q)),
        el('small', { class: 'muted', text: `${formatDateTime(c.created_at)} · ${owner} · ${c.post_count} messages` })),
      el('span', { class: `chip ${c.status.type.toLowerCase()}`, text: c.status.type === 'COMPLETED' ? 'Completed' : c.status.type === 'OPEN' ? 'Active' : 'Waiting' }),
      c.rating ? el('span', { class: `rating ${c.rating.toLowerCase()}`, title: `Rated ${c.rating.toLowerCase()}`, text: c.rating === 'GOOD' ? '👍' : '👎' }) : null));
  }

  /** @param {import('../../shared/protocol.js').Conversation} c @param {HTMLElement} button @param {string} q the search it was found by */
  async open(c, button, q) {
    const inst = this.store?.current;
    if (!inst || !this.actions) return;
    const ticket = (this.opening = (this.opening ?? 0) + 1); // a later click wins over a slower load
    this.results?.querySelectorAll('.hit.current').forEach((b) => b.classList.remove('current'));
    button.classList.add('current');
    /** @type {HTMLElement} */ (this.side).hidden = false;
    /** @type {HTMLElement} */ (this.transcriptHead).replaceChildren(el('h2', { text: `${c.requester.name} — ${c.subject}` }),
      el('p', { class: 'muted', text: `${formatDateTime(c.created_at)}${c.last_completed_at ? ` – ${formatDateTime(c.last_completed_at)}` : ''}` }),
      el('div', { class: 'transcript-actions' },
        el('button', { type: 'button', class: 'ghost small', onclick: () => this.dispatchEvent(new CustomEvent(Intent.CHAT_TRANSCRIPT,
          { bubbles: true, detail: { instance: inst.id, cid: c.id, conversation: c } })) }, 'E-mail transcript'),
        ...(/** @type {const} */ ([['html', 'Download HTML'], ['text', 'Download text']])).map(([format, label]) =>
          el('button', { type: 'button', class: 'ghost small', title: `Save the transcript as ${format === 'html' ? 'a web page' : 'plain text'}`,
            onclick: () => this.dispatchEvent(new CustomEvent(Intent.CHAT_TRANSCRIPT_DOWNLOAD,
              { bubbles: true, detail: { instance: inst.id, cid: c.id, format } })) }, label))));
    const t = new Timeline(c.id);
    const posts = [];
    let after = 0;
    for (;;) {
      const page = await this.actions.api(inst.id).page(`cases/${c.id}/posts?after_id=${after}&limit=500`);
      const rows = [...(page.data ?? [])].reverse(); // the 500 just after `after`, newest first
      posts.push(...rows);
      if (rows.length < 500) break;
      after = posts[posts.length - 1].id;
    }
    if (ticket !== this.opening) return;
    t.addMany(posts);
    // Open where the search words are (the first post that has one), else at the start of the chat.
    const marks = termsPattern(q);
    const at = (marks && firstMatch(posts, marks)) || posts[0];
    this.transcript?.show({ timeline: t, meId: inst.me?.id, files: this.actions.api(inst.id), retry: () => {}, cancel: () => {},
      focusKey: at?.id ?? null, marks });
  }
}

/** The snippet as text with the query's words marked. @param {string} text @param {string} q */
function highlight(text, q) {
  const pattern = termsPattern(q);
  return pattern ? markedText(text, pattern) : text;
}

customElements.define('history-page', HistoryPageElement);
