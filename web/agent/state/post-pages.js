// @ts-check
/**
 * Fetching a chat's timeline newest page first (`before_id`; each page comes newest first, as Kayako's case
 * posts do), so a 10,000-post chat paints at once;
 * older pages follow when the agent scrolls up. One request per chat and direction at a time.
 */
import { query } from './bridge-api.js';
import { Topic } from './names.js';

/** Posts in the first page: enough to fill a tall window several times over. */
export const NEWEST_PAGE = 150;
/** Posts per older page, fetched when the agent nears the top of what is loaded. */
export const OLDER_PAGE = 300;

export class PostPages {
  /**
   * @param {import('./app-store.js').AppStore} store
   * @param {(id: string) => import('./bridge-api.js').InstanceApi} api
   */
  constructor(store, api) {
    this.store = store;
    this.api = api;
    /** @type {Map<string, Promise<void>>} requests under way, by instance:chat:direction */
    this.inflight = new Map();
  }

  /** The newest page (also after a re-join: events may have been missed). @param {string} id @param {number} cid */
  newest(id, cid) {
    return this.once(`${id}:${cid}:newest`, id, cid, () => Number.MAX_SAFE_INTEGER, NEWEST_PAGE);
  }

  /** The page just before the oldest post loaded so far, if any is left. @param {string} id @param {number} cid */
  older(id, cid) {
    const t = this.store.get(id)?.timeline(cid);
    if (!t?.hasOlder || t.cursor === null) return Promise.resolve();
    return this.once(`${id}:${cid}:older`, id, cid, () => t.cursor ?? 1, OLDER_PAGE);
  }

  /**
   * @param {string} key @param {string} id @param {number} cid
   * @param {() => number} before the `before_id` (read when the request starts) @param {number} limit
   */
  once(key, id, cid, before, limit) {
    const running = this.inflight.get(key);
    if (running) return running;
    const job = this.fetch(id, cid, before(), limit).finally(() => this.inflight.delete(key));
    this.inflight.set(key, job);
    return job;
  }

  /** @param {string} id @param {number} cid @param {number} before @param {number} limit */
  async fetch(id, cid, before, limit) {
    const page = await this.api(id).page(`cases/${cid}/posts${query({ before_id: before, limit })}`);
    const t = this.store.get(id)?.timeline(cid);
    if (!t) return;
    t.addPage([...(page.data ?? [])].reverse(), limit); // the server gives a case's posts newest first
    this.store.emit([Topic.POSTS], id);
  }
}
