// @ts-check
/**
 * Which rows of a long list to render: measured heights where known, an estimate elsewhere, prefix
 * sums for offsets, and a binary search for the first visible row. No DOM here.
 */

export class VirtualWindow {
  /** @param {number} estimate default row height in px */
  constructor(estimate = 64) {
    this.estimate = estimate;
    /** @type {Map<string|number, number>} measured heights by row key */
    this.heights = new Map();
    /** @type {number[]} offsets[i] = top of row i; offsets[n] = total height */
    this.offsets = [0];
    /** @type {Array<string|number>} */
    this.keys = [];
  }

  /** Recompute offsets for the rows' keys, in order. @param {Array<string|number>} keys */
  layout(keys) {
    this.keys = keys;
    const offsets = new Array(keys.length + 1);
    offsets[0] = 0;
    for (let i = 0; i < keys.length; i += 1) offsets[i + 1] = offsets[i] + (this.heights.get(keys[i]) ?? this.estimate);
    this.offsets = offsets;
  }

  get total() { return this.offsets[this.offsets.length - 1]; }

  /** Record a measured height; returns true when it changed. @param {string|number} key @param {number} h */
  measure(key, h) {
    if (h <= 0 || this.heights.get(key) === h) return false;
    this.heights.set(key, h);
    return true;
  }

  /** First row whose bottom is below y. @param {number} y */
  indexAt(y) {
    let lo = 0;
    let hi = this.keys.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid + 1] <= y) lo = mid + 1; else hi = mid;
    }
    return Math.max(0, lo);
  }

  /** @param {number} scrollTop @param {number} viewport @param {number} [overscan] */
  range(scrollTop, viewport, overscan = 6) {
    const n = this.keys.length;
    if (!n) return { start: 0, end: 0 };
    const start = Math.max(0, this.indexAt(scrollTop) - overscan);
    const end = Math.min(n, this.indexAt(scrollTop + viewport) + 1 + overscan);
    return { start, end };
  }
}
