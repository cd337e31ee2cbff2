// @ts-check
/**
 * <language-combobox>: the Push code dialog's Language drop-down — an editable combobox with a list
 * popup (WAI-ARIA APG combobox pattern). Typing filters and marks the first match; ↓ / ↑ move, Enter
 * picks, Esc closes (a second Esc reaches the dialog); "Auto-detect (<guess>)" is always first. Emits
 * Intent.LANGUAGE_CHANGE with the chosen alias ('' = auto-detect).
 */
import { el, emit } from './dom.js';
import { matchLanguages } from '../state/languages.js';
import { Intent } from '../state/names.js';

/** @typedef {import('../state/languages.js').Language} Language */

const AUTO = '';

export class LanguageComboboxElement extends HTMLElement {
  constructor() {
    super();
    /** @type {Language[]} */
    this.languages = [];
    /** @type {Language[]} the options shown after Auto-detect */
    this.shown = [];
    this.value = AUTO;
    /** @type {string|null} */
    this.guess = null;
    this.active = 0;
    /** @type {string|null} words typed and Entered before the languages arrived */
    this.pendingQuery = null;
  }

  connectedCallback() {
    if (this.input) return;
    const id = this.getAttribute('input-id') ?? 'language-combobox';
    this.listId = `${id}-list`;
    this.input = /** @type {HTMLInputElement} */ (el('input', { id, type: 'text', class: 'combo-input', role: 'combobox', autocomplete: 'off',
      spellcheck: 'false', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': this.listId }));
    this.list = el('ul', { id: this.listId, class: 'combo-list', role: 'listbox', 'aria-label': 'Languages', hidden: true });
    // Not in the tab order (the input is the one stop); a pointer convenience, as in the APG example.
    this.toggle = el('button', { type: 'button', class: 'combo-toggle', tabindex: '-1', 'aria-label': 'Show languages',
      'aria-controls': this.listId, 'aria-expanded': 'false', onmousedown: (/** @type {Event} */ e) => e.preventDefault(),
      onclick: () => { this.input?.focus(); if (this.isOpen()) this.close(); else this.open(''); } });
    this.append(el('div', { class: 'combo' }, this.input, this.toggle, this.list));
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('input', () => this.open(this.input?.value ?? '', true));
    this.input.addEventListener('click', () => { if (!this.isOpen()) this.open(''); });
    this.input.addEventListener('focus', () => this.input?.select());
    this.input.addEventListener('blur', () => this.close());
  }

  /** Back to Auto-detect with no guess and no languages yet (the dialog opens again). */
  reset() {
    this.pendingQuery = null;
    this.languages = [];
    this.value = AUTO;
    this.guess = null;
    this.close();
  }

  /** @param {Language[]} list */
  setLanguages(list) {
    this.languages = list;
    const pending = this.pendingQuery;
    this.pendingQuery = null;
    if (pending !== null) {
      // Enter came before the list did: pick what the typed words match first, as if it had been there.
      this.open(pending, true);
      this.pick(this.shown[0]?.alias ?? AUTO);
    } else if (this.isOpen()) this.open(this.input?.value ?? '', true);
  }

  /** What Auto-detect would pick for the code now (shown as "Auto-detect (Python)"). @param {string|null} name */
  setGuess(name) {
    this.guess = name;
    if (this.isOpen()) this.paint(); else this.showChosen();
  }

  label() {
    if (this.value === AUTO) return this.guess ? `Auto-detect (${this.guess})` : 'Auto-detect';
    return this.languages.find((l) => l.alias === this.value)?.name ?? this.value;
  }

  isOpen() {
    return !this.list?.hidden;
  }

  /** Show the list filtered by `query`. @param {string} query @param {boolean} [typed] the agent typed it: mark the first match */
  open(query, typed = false) {
    const q = typed && query !== this.label() ? query : '';
    this.shown = matchLanguages(this.languages, q);
    const at = this.shown.findIndex((l) => l.alias === this.value);
    this.active = q ? (this.shown.length ? 1 : 0) : at + 1;
    /** @type {HTMLElement} */ (this.list).hidden = false;
    this.input?.setAttribute('aria-expanded', 'true');
    this.toggle?.setAttribute('aria-expanded', 'true');
    this.place();
    this.paint();
  }

  /** Open where there is room inside the dialog (it clips what sticks out): below, or else above. */
  place() {
    const list = /** @type {HTMLElement} */ (this.list);
    const frame = (this.closest('dialog') ?? document.documentElement).getBoundingClientRect();
    const at = /** @type {HTMLElement} */ (this.input).getBoundingClientRect();
    const below = Math.min(frame.bottom, window.innerHeight) - at.bottom - 16;
    const above = at.top - Math.max(frame.top, 0) - 16;
    const up = below < 180 && above > below;
    list.classList.toggle('up', up);
    list.style.maxHeight = `${Math.max(120, Math.min(280, up ? above : below))}px`;
  }

  close() {
    if (this.list) this.list.hidden = true;
    this.input?.setAttribute('aria-expanded', 'false');
    this.toggle?.setAttribute('aria-expanded', 'false');
    this.input?.removeAttribute('aria-activedescendant');
    this.showChosen();
  }

  /** The closed box shows what is chosen (whatever was typed to filter is dropped). */
  showChosen() {
    if (this.input) this.input.value = this.label();
  }

  paint() {
    const list = /** @type {HTMLElement} */ (this.list);
    const options = [{ alias: AUTO, name: this.guess ? `Auto-detect (${this.guess})` : 'Auto-detect' }, ...this.shown];
    list.replaceChildren(...options.map((l, i) => el('li', {
      id: `${this.listId}-${i}`, role: 'option', 'aria-selected': String(i === this.active),
      class: `${i === this.active ? 'active' : ''}${l.alias === this.value ? ' chosen' : ''}`,
      onmousedown: (/** @type {Event} */ e) => e.preventDefault(), // keep focus in the input
      onclick: () => this.pick(l.alias),
    }, l.name)));
    if (this.shown.length === 0 && this.languages.length) list.append(el('li', { class: 'muted combo-empty', role: 'presentation', text: 'No language matches' }));
    this.input?.setAttribute('aria-activedescendant', `${this.listId}-${this.active}`);
    list.children[this.active]?.scrollIntoView({ block: 'nearest' });
  }

  /** Move the marked option without rebuilding the list (hundreds of rows). @param {number} at */
  moveTo(at) {
    const items = /** @type {HTMLElement} */ (this.list).children;
    items[this.active]?.classList.remove('active');
    items[this.active]?.setAttribute('aria-selected', 'false');
    this.active = at;
    items[at]?.classList.add('active');
    items[at]?.setAttribute('aria-selected', 'true');
    this.input?.setAttribute('aria-activedescendant', `${this.listId}-${at}`);
    items[at]?.scrollIntoView({ block: 'nearest' });
  }

  /** @param {string} alias */
  pick(alias) {
    const changed = alias !== this.value;
    this.value = alias;
    this.close();
    this.input?.select();
    if (changed) emit(this, Intent.LANGUAGE_CHANGE, alias);
  }

  /** @param {KeyboardEvent} e */
  onKey(e) {
    const open = this.isOpen();
    const count = this.shown.length + 1;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open || e.altKey) { if (!open) this.open(''); return; }
      this.moveTo((this.active + (e.key === 'ArrowDown' ? 1 : -1) + count) % count);
    } else if (e.key === 'Enter') {
      e.preventDefault(); // never sends the dialog from here
      const typed = this.input?.value ?? '';
      if (!this.languages.length && typed && typed !== this.label()) this.pendingQuery = typed; // still loading
      else if (open) this.pick(this.active === 0 ? AUTO : this.shown[this.active - 1].alias);
    } else if (e.key === 'Escape' && (open || this.input?.value !== this.label())) {
      e.preventDefault(); // the first Esc closes the list, not the dialog
      e.stopPropagation();
      this.close();
      this.input?.select();
    } else if (e.key === 'Tab' && open) {
      this.close();
    }
  }
}

customElements.define('language-combobox', LanguageComboboxElement);
