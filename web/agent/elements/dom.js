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
