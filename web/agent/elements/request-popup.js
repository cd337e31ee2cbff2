// @ts-check
/**
 * <request-popup>: ringing chat requests from every server — visitor name and subject, a countdown ring
 * to the offer's expiry, Accept / Decline, a chime (repeated until every request is answered, unless the
 * agent turned that off), and an announcement for screen readers. The same card as the desktop pop-up
 * (app/kayako_desktop/desktop/popup.html): Alt+A / Alt+D anywhere, and Enter / Esc while the card has focus.
 */
import { el, emit } from './dom.js';
import { icon } from '../../shared/icons.js';
import { chime } from './chime.js';
import { Running, every } from './running.js';
import { Intent, Topic } from '../state/names.js';

const RING = 2 * Math.PI * 20;

export class RequestPopupElement extends HTMLElement {
  constructor() {
    super();
    /** @type {Map<string, HTMLElement>} */
    this.cards = new Map();
    this.repeat = { on: true, ms: 10_000 };
    this.lastChime = 0;
  }

  /** @param {import('../state/app-store.js').AppStore} store */
  setup(store) {
    this.store = store;
    this.setAttribute('aria-label', 'Chat requests');
    this.setAttribute('role', 'region');
    this.stack = el('div', { class: 'request-stack' });
    this.live = el('div', { class: 'sr-only', 'aria-live': 'assertive', 'aria-atomic': 'true' });
    this.replaceChildren(this.live, this.stack);
    this.running = new Running(() => [
      store.subscribe((what) => { if (what.has(Topic.OFFERS) || what.has(Topic.INSTANCES)) this.render(); }),
      every(250, () => this.tick()),
    ]);
  }

  connectedCallback() { this.running?.start(); }
  disconnectedCallback() { this.running?.stop(); }

  /** All ringing offers, oldest first. */
  offers() {
    const out = [];
    for (const inst of this.store?.instances ?? []) {
      for (const offer of inst.offers.values()) out.push({ inst, offer, key: `${inst.id}:${offer.id}` });
    }
    return out.sort((a, b) => a.offer.created_at.localeCompare(b.offer.created_at));
  }

  /** @param {boolean} on @param {number} seconds */
  setRepeat(on, seconds) {
    this.repeat = { on, ms: Math.max(3, seconds) * 1000 };
  }

  /** The first ringing request (for Alt+A / Alt+D). */
  first() {
    return this.offers()[0] ?? null;
  }

  render() {
    const cards = this.cards;
    const list = this.offers();
    const keep = new Set(list.map((x) => x.key));
    for (const [key, card] of cards) if (!keep.has(key)) { card.remove(); cards.delete(key); }
    for (const { inst, offer, key } of list) {
      if (cards.has(key)) continue;
      const card = this.card(inst, offer);
      cards.set(key, card);
      this.stack?.append(card);
      const c = offer.conversation;
      /** @type {HTMLElement} */ (this.live).textContent = `New chat request from ${c.requester.name}: ${c.subject}. Alt+A to accept, Alt+D to decline.`;
      chime();
      this.lastChime = Date.now();
    }
    this.hidden = cards.size === 0;
  }

  /** @param {import('../state/instance-state.js').InstanceState} inst @param {import('../../shared/protocol.js').Offer} offer */
  card(inst, offer) {
    const c = offer.conversation;
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 48 48');
    svg.setAttribute('class', 'ring');
    svg.setAttribute('aria-hidden', 'true');
    for (const cls of ['track', 'arc']) {
      const circle = document.createElementNS(ns, 'circle');
      for (const [k, v] of Object.entries({ cx: '24', cy: '24', r: '20', class: cls })) circle.setAttribute(k, v);
      svg.append(circle);
    }
    const seconds = el('span', { class: 'ring-seconds' });
    const headingId = `req-${inst.id}-${offer.id}`;
    const detail = { instance: inst.id, cid: c.id };
    const card = el('article', { class: 'request-card', tabindex: '0', 'aria-labelledby': headingId, 'aria-describedby': `${headingId}-keys`,
      dataset: { expires: offer.expires_at, created: offer.created_at } },
      el('div', { class: 'ring-box' }, svg, seconds),
      el('div', { class: 'request-text' },
        el('p', { class: 'eyebrow', text: offer.transfer_from ? `Transfer from ${offer.transfer_from.full_name}` : `Chat request${(this.store?.instances.length ?? 0) > 1 ? ` · ${inst.info.name || inst.info.url}` : ''}` }),
        el('h2', { id: headingId, text: c.requester.name }),
        el('p', { class: 'subject', text: [c.assigned_team?.title, c.skill?.title, c.subject].filter(Boolean).join(' · ') })),
      el('div', { class: 'request-actions' },
        el('button', { type: 'button', class: 'ghost', onclick: () => emit(this, Intent.OFFER_DECLINE, detail) }, 'Decline', el('kbd', { text: 'Alt+D' })),
        el('button', { type: 'button', class: 'accept', onclick: () => emit(this, Intent.OFFER_ACCEPT, detail) }, icon('check', 16), 'Accept', el('kbd', { text: 'Alt+A' }))),
      el('p', { id: `${headingId}-keys`, class: 'sr-only', text: 'Enter accepts, Escape declines.' }));
    // Focus on the card (Tab or a click on it): Enter accepts and Esc declines, as in the desktop pop-up.
    // On a button Enter presses that button, so Enter on Decline still declines.
    card.addEventListener('keydown', (e) => {
      if (e.repeat || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (e.key === 'Escape') { e.preventDefault(); emit(this, Intent.OFFER_DECLINE, detail); }
      else if (e.key === 'Enter' && e.target === card) { e.preventDefault(); emit(this, Intent.OFFER_ACCEPT, detail); }
    });
    this.paint(card, Date.now());
    return card;
  }

  tick() {
    const now = Date.now();
    for (const inst of this.store?.instances ?? []) {
      if (inst.pruneOffers(now)) this.store?.emit([Topic.OFFERS, Topic.BADGES], inst.id);
    }
    for (const card of this.cards.values()) this.paint(card, now);
    if (this.cards.size && this.repeat.on && now - this.lastChime >= this.repeat.ms) { chime(); this.lastChime = now; }
  }

  /** @param {HTMLElement} card @param {number} now */
  paint(card, now) {
    const end = Date.parse(card.dataset.expires ?? '');
    const start = Date.parse(card.dataset.created ?? '');
    const total = Math.max(1, end - start);
    const left = Math.max(0, end - now);
    const arc = /** @type {SVGCircleElement|null} */ (card.querySelector('.arc'));
    arc?.setAttribute('stroke-dasharray', String(RING));
    arc?.setAttribute('stroke-dashoffset', String(RING * (1 - left / total)));
    const s = card.querySelector('.ring-seconds');
    if (s) s.textContent = String(Math.ceil(left / 1000));
    card.classList.toggle('urgent', left < 8000);
  }
}

customElements.define('request-popup', RequestPopupElement);
