// @ts-check
/** Node builders for the elements: text always goes in as text, never parsed as HTML. */

/**
 * el('button', {class: 'x', type: 'button', onclick: fn}, 'Label', child)
 * @param {string} tag @param {Record<string, any>|null} [attrs] @param {...(Node|string|null|undefined|false)} children
 * @returns {HTMLElement}
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

/** Fire an event that bubbles out of the element (events flow up; no closest() lookups). @param {Element} from @param {import('../state/names.js').IntentName} name @param {any} [detail] */
export function emit(from, name, detail) {
  from.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

/**
 * Keep `parent`'s children in step with `items`: a child is built again only when its signature changed;
 * the others stay (moved if the order changed). Lists that change on every message must not be redrawn
 * whole: each rebuilt node is garbage, and the desktop's engine collects it late (state/memory.js).
 * Children not made here (an empty-state line) are removed.
 * @template T
 * @param {Element} parent
 * @param {Map<string, {node: Element, sig: string}>} cache one per parent, kept by the caller
 * @param {readonly T[]} items
 * @param {(item: T, index: number) => [key: string, sig: string]} identify
 * @param {(item: T, index: number) => Element} build
 */
export function reconcile(parent, cache, items, identify, build) {
  const ids = items.map((item, index) => identify(item, index));
  const kept = new Set(ids.map(([key]) => key));
  // What goes, goes first: left in place, it would make everything after it move.
  for (const [key, entry] of cache) if (!kept.has(key)) { entry.node.remove(); cache.delete(key); }
  const owned = new Set([...cache.values()].map((e) => e.node));
  for (const child of [...parent.children]) if (!owned.has(child)) child.remove();
  /** @type {Element|null} */
  let prev = null;
  items.forEach((item, index) => {
    const [key, sig] = ids[index];
    let entry = cache.get(key);
    if (!entry || entry.sig !== sig) {
      const node = build(item, index);
      entry?.node.replaceWith(node);
      entry = { node, sig };
      cache.set(key, entry);
    }
    const want = prev ? prev.nextElementSibling : parent.firstElementChild;
    if (want !== entry.node) parent.insertBefore(entry.node, want);
    prev = entry.node;
  });
}

/** A textarea that grows with its text up to `max` pixels (it starts as one line). @param {HTMLTextAreaElement} input @param {number} max */
export function growTextarea(input, max) {
  input.style.height = 'auto';
  input.style.height = `${Math.min(max, input.scrollHeight)}px`;
}

/**
 * Run `render` only when `sig` differs from the last one (for parts drawn whole but changed rarely).
 * @param {{lastSig?: string}} holder @param {string} sig @param {() => void} render
 */
export function whenChanged(holder, sig, render) {
  if (holder.lastSig === sig) return;
  holder.lastSig = sig;
  render();
}
