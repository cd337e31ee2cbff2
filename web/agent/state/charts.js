// @ts-check
/**
 * Small SVG bar charts for the dashboard, built as nodes (no library, no canvas): one bar a day, a <title> on
 * each for the pointer. The numbers themselves are always in a table beside the chart; the SVG is its picture.
 */

const NS = 'http://www.w3.org/2000/svg';

/** @param {string} tag @param {Record<string, string|number>} attrs */
function svg(tag, attrs) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/**
 * @param {{label: string, values: (number|null)[], days: string[], unit?: string, max?: number|undefined}} spec
 * @returns {SVGSVGElement}
 */
export function barChart({ label, values, days, unit = '', max }) {
  const width = 600, height = 150, pad = 18;
  const top = max ?? Math.max(1, ...values.map((v) => v ?? 0));
  const slot = (width - 2 * pad) / Math.max(1, values.length);
  const chart = /** @type {SVGSVGElement} */ (svg('svg', { viewBox: `0 0 ${width} ${height + 20}`, role: 'img', class: 'bar-chart',
    'aria-label': `${label}, one bar a day (the table beside has the numbers)` }));
  chart.append(svg('line', { x1: pad, y1: height, x2: width - pad, y2: height, class: 'axis' }));
  values.forEach((v, i) => {
    const h = v == null ? 0 : Math.max(v > 0 ? 2 : 0, (v / top) * (height - 10));
    const bar = svg('rect', { x: pad + i * slot + slot * 0.15, y: height - h, width: Math.max(1, slot * 0.7), height: h,
      class: v == null ? 'bar empty' : 'bar' });
    const title = svg('title', {});
    title.textContent = `${days[i]}: ${v == null ? 'no data' : `${v}${unit}`}`;
    bar.append(title);
    chart.append(bar);
  });
  for (const [i, anchor] of /** @type {const} */ ([[0, 'start'], [values.length - 1, 'end']])) {
    if (i < 0 || (i === 0 && values.length === 0)) continue;
    const text = svg('text', { x: anchor === 'start' ? pad : width - pad, y: height + 15, 'text-anchor': anchor, class: 'tick' });
    text.textContent = days[i] ?? '';
    chart.append(text);
  }
  return chart;
}
