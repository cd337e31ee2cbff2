// @ts-check
/**
 * The Visitors table's body, virtualised: only the rows in view (plus a margin) are in the DOM, between
 * two spacer rows that keep the scrollbar right. The focused row is always kept (roving tabindex, and the
 * context menu returns focus to it); aria-rowcount / aria-rowindex place the rendered rows for screen readers.
 */
import { COLUMNS } from '../state/visitor-rows.js';
import { VirtualWindow } from '../state/virtual-window.js';
import { el } from './dom.js';
import { buildRow, rowSignature } from './visitor-row.js';

/** @typedef {import('../../shared/protocol.js').Visitor} Visitor */

/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN = 8;

export class VisitorBody {
  /** @param {HTMLTableElement} table @param {HTMLTableSectionElement} body @param {HTMLElement} scroller */
  constructor(table, body, scroller) {
    this.table = table;
    this.body = body;
    this.scroller = scroller;
    this.win = new VirtualWindow(56);
    /** @type {Map<number, {tr: HTMLTableRowElement, sig: string}>} rendered rows by visitor id */
    this.rows = new Map();
    /** @type {Visitor[]} */
    this.list = [];
    /** @type {Map<number, number>} visitor id → position in `list` */
    this.index = new Map();
    /** @type {number|null} */
    this.focusId = null;
    this.topPad = spacer();
    this.bottomPad = spacer();
  }

  /** The filtered, sorted rows (cheap: no DOM). @param {Visitor[]} list */
  setList(list) {
    this.list = list;
    this.index = new Map(list.map((v, i) => [v.id, i]));
    this.win.layout(list.map((v) => v.id));
    if (this.focusId === null || !this.index.has(this.focusId)) this.focusId = list[0]?.id ?? null;
    this.table.setAttribute('aria-rowcount', String(list.length + 1));
  }

  /** Bring the DOM in line with the list and the scroll position. @param {number} now */
  draw(now) {
    const win = this.win;
    const hadFocus = this.body.contains(document.activeElement);
    const view = this.scroller.clientHeight || 800;
    const { start, end } = win.range(Math.max(0, this.scroller.scrollTop - this.body.offsetTop), view, OVERSCAN);
    const f = this.focusId === null ? -1 : this.index.get(this.focusId) ?? -1;
    const above = f >= 0 && f < start;
    const below = f >= end;
    const h = (/** @type {number} */ i) => win.offsets[i + 1] - win.offsets[i];
    const pads = () => [win.offsets[start] - (above ? h(f) : 0), win.total - win.offsets[end] - (below ? h(f) : 0)];
    // Spacers are left out when empty, so a short list is a plain table of rows.
    const [topH, bottomH] = pads();
    const order = [];
    if (above) order.push(this.rowAt(f, now));
    if (topH > 0) order.push(this.topPad);
    for (let i = start; i < end; i += 1) order.push(this.rowAt(i, now));
    if (bottomH > 0) order.push(this.bottomPad);
    if (below) order.push(this.rowAt(f, now));
    const keep = new Set(order);
    /** @type {ChildNode|null} */
    let prev = null;
    for (const node of order) {
      /** @type {ChildNode|null} */
      const want = prev ? prev.nextSibling : this.body.firstChild;
      if (want !== node) this.body.insertBefore(node, want);
      prev = node;
    }
    for (const [id, entry] of this.rows) if (!keep.has(entry.tr)) { entry.tr.remove(); this.rows.delete(id); }
    for (const pad of [this.topPad, this.bottomPad]) if (!keep.has(pad)) pad.remove();
    this.measure();
    const [top, bottom] = pads();
    setHeight(this.topPad, top);
    setHeight(this.bottomPad, bottom);
    if (hadFocus && !this.body.contains(document.activeElement)) this.focusedRow()?.focus({ preventScroll: true });
  }

  /** The row for list[i], built or patched in place (its element survives updates). @param {number} i @param {number} now */
  rowAt(i, now) {
    const v = this.list[i];
    const sig = rowSignature(v);
    let entry = this.rows.get(v.id);
    if (!entry) {
      entry = { tr: buildRow(v, now, false), sig };
      this.rows.set(v.id, entry);
    } else if (entry.sig !== sig) {
      const fresh = buildRow(v, now, false);
      entry.tr.replaceChildren(...fresh.childNodes);
      entry.tr.dataset.state = fresh.dataset.state;
      entry.tr.className = fresh.className;  // a visitor rule's colour comes and goes
      entry.tr.style.setProperty('--rule', fresh.style.getPropertyValue('--rule'));
      /** @type {any} */ (entry.tr).startedAt = /** @type {any} */ (fresh).startedAt;
      entry.sig = sig;
    }
    const tr = entry.tr;
    const rowIndex = String(i + 2); // the header row is 1
    if (tr.getAttribute('aria-rowindex') !== rowIndex) tr.setAttribute('aria-rowindex', rowIndex);
    tr.tabIndex = v.id === this.focusId ? 0 : -1;
    return tr;
  }

  /** Measured heights replace the estimate (the first one becomes the estimate for rows not yet seen). */
  measure() {
    if (!this.scroller.clientHeight) return;
    let changed = false;
    for (const [id, { tr }] of this.rows) {
      const h = tr.offsetHeight;
      if (!this.win.heights.size && h > 0) this.win.estimate = h;
      changed = this.win.measure(id, h) || changed;
    }
    if (changed) this.win.layout(this.list.map((v) => v.id));
  }

  focusedRow() {
    return this.focusId === null ? null : this.rows.get(this.focusId)?.tr ?? null;
  }

  /** Move the roving focus to row i, scrolled into view below the sticky header. @param {number} i @param {number} now */
  focusIndex(i, now) {
    if (!this.list.length) return;
    const at = Math.max(0, Math.min(this.list.length - 1, i));
    this.focusId = this.list[at].id;
    const s = this.scroller;
    const top = this.win.offsets[at];
    const bottom = this.body.offsetTop + this.win.offsets[at + 1];
    if (top < s.scrollTop) s.scrollTop = top;
    else if (bottom > s.scrollTop + s.clientHeight) s.scrollTop = bottom - s.clientHeight;
    this.draw(now);
    this.focusedRow()?.focus({ preventScroll: true });
  }

  /** Rows that fit in the viewport (for PageUp / PageDown). */
  pageSize() {
    return Math.max(1, Math.floor((this.scroller.clientHeight - this.body.offsetTop) / (this.win.estimate || 56)) - 1);
  }
}

function spacer() {
  return /** @type {HTMLTableRowElement} */ (el('tr', { class: 'vt-pad', 'aria-hidden': 'true' }, el('td', { colspan: String(COLUMNS.length) })));
}

/** @param {HTMLTableRowElement} pad @param {number} px */
function setHeight(pad, px) {
  const h = Math.max(0, Math.round(px));
  const cell = /** @type {HTMLElement} */ (pad.firstChild);
  if (cell.style.height !== `${h}px`) cell.style.height = `${h}px`;
}
