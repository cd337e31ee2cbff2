// @ts-check
/** Small inline SVG icons (built as nodes; no icon font, no emoji that a system may lack). */

const PATHS = {
  file: 'M6 2h8l6 6v14H6zM14 2v6h6',
  up: 'M7 10v11H3V10zM7 10l5-8c1.5 0 2.5 1 2.5 2.5L14 9h6a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 18.6 21H7',
  down: 'M7 14V3H3v11zM7 14l5 8c1.5 0 2.5-1 2.5-2.5L14 15h6a2 2 0 0 0 2-2.3l-1.4-8A2 2 0 0 0 18.6 3H7',
};

/** @param {keyof typeof PATHS} name @param {number} [size] */
export function icon(name, size = 20) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', `icon icon-${name}`);
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', PATHS[name]);
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '1.8');
  path.setAttribute('stroke-linejoin', 'round');
  svg.append(path);
  return svg;
}
