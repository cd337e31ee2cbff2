// @ts-check
/**
 * <bans-dialog> (administrators): the bans to review — active, ended (lifted or expired) or all — with who
 * made each, why and until when, and a Lift button on active ones. Lifting asks first; the list follows
 * every agent's bans live while open (the app reloads it on ban.created / ban.lifted).
 */
import { formatTime } from '../../shared/format.js';
import { el } from './dom.js';

export class BansDialogElement extends HTMLElement {
  connectedCallback() {
    if (this.dialog) return;
    this.state = /** @type {HTMLSelectElement} */ (el('select', { 'aria-label': 'Which bans' },
      ...[['ACTIVE', 'Active'], ['ENDED', 'Lifted or expired'], ['ALL', 'All']].map(([v, t]) => el('option', { value: v, text: t }))));
    this.state.addEventListener('change', () => this.reload());
    this.body = el('div', { class: 'bans', 'aria-live': 'polite' });
    const close = el('button', { type: 'button', class: 'primary', text: 'Close', onclick: () => this.dialog?.close() });
    this.dialog = /** @type {HTMLDialogElement} */ (el('dialog', { class: 'dialog wide', 'aria-labelledby': 'bans-title' },
      el('div', { class: 'dialog-body' },
        el('div', { class: 'dialog-head' }, el('h2', { id: 'bans-title', text: 'Banned visitors' }), this.state),
        this.body, el('div', { class: 'dialog-actions' }, close))));
    this.append(this.dialog);
  }

  /**
   * @param {{load: (state: string) => Promise<import('../../shared/protocol.js').Ban[]>,
   *   lift: (ban: import('../../shared/protocol.js').Ban) => Promise<boolean>}} opts
   */
  show(opts) {
    this.opts = opts;
    /** @type {HTMLSelectElement} */ (this.state).value = 'ACTIVE';
    this.dialog?.showModal();
    return this.reload();
  }

  get isOpen() { return Boolean(this.dialog?.open); }

  async reload() {
    const opts = this.opts;
    const body = /** @type {HTMLElement} */ (this.body);
    if (!opts) return;
    if (!body.firstChild) body.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
    try {
      const bans = await opts.load(/** @type {HTMLSelectElement} */ (this.state).value);
      if (!bans.length) { body.replaceChildren(el('p', { class: 'muted', text: 'No bans here.' })); return; }
      body.replaceChildren(el('table', { class: 'bans-table' },
        el('thead', null, el('tr', null, ...['Network', 'Reason', 'Banned by', 'Until', ''].map((t) => el('th', { scope: 'col', text: t })))),
        el('tbody', null, ...bans.map((b) => el('tr', { 'data-id': String(b.id) },
          el('td', null, el('code', { text: b.network })),
          el('td', { text: b.reason || '—' }),
          el('td', null, el('span', { text: b.created_by.full_name }), el('br'), el('time', { class: 'muted', datetime: b.created_at, text: formatTime(b.created_at) })),
          el('td', { text: b.lifted_at ? `Lifted${b.lifted_by ? ` by ${b.lifted_by.full_name}` : ''}` : b.expires_at ? (b.is_active ? formatTime(b.expires_at) : 'Expired') : 'Until lifted' }),
          el('td', null, b.is_active ? el('button', { type: 'button', class: 'ghost small', 'aria-label': `Lift the ban on ${b.network}`, text: 'Lift',
            onclick: async () => { if (await opts.lift(b)) this.reload(); } }) : null))))));
    } catch (err) {
      body.replaceChildren(el('p', { class: 'form-error', role: 'alert', text: err instanceof Error ? err.message : String(err) }));
    }
  }
}

customElements.define('bans-dialog', BansDialogElement);
