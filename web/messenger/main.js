// @ts-check
/** Wiring only: read the embed settings, get stored state from the loader, start, track pages. */
import { MessengerController } from './state/controller.js';
import { MessengerModel } from './state/model.js';
import { initStorage } from './state/storage.js';
import './elements/messenger-app.js';

/** Settings from the loader (in the fragment, so they never reach server logs). */
function readConfig() {
  /** @type {Record<string, any>} whatever the host page put there */
  let cfg = {};
  try {
    cfg = JSON.parse(decodeURIComponent(location.hash.slice(1)) || '{}');
  } catch {
    cfg = {};
  }
  const accent = /^#[0-9a-fA-F]{3,8}$/.test(cfg.accent ?? '') ? cfg.accent : '#2563eb';
  const title = typeof cfg.title === 'string' && cfg.title.trim() ? cfg.title.trim().slice(0, 60) : 'Chat with us';
  return { title, accent, position: cfg.position === 'left' ? 'left' : 'right' };
}

/** The loader answers 'ready' with the state it keeps for us in the host page's own storage. */
function hostState() {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), window.parent === window ? 0 : 1500);
    window.addEventListener('message', function onInit(event) {
      if (event.source !== window.parent || event.data?.type !== 'kayako:init') return;
      window.removeEventListener('message', onInit);
      clearTimeout(timer);
      resolve(event.data.state && typeof event.data.state === 'object' ? event.data.state : {});
    });
    window.parent.postMessage({ type: 'kayako:ready' }, '*');
  });
}

const config = readConfig();
document.documentElement.style.setProperty('--accent', config.accent);
document.documentElement.dataset.position = config.position;
document.title = config.title;

/** @type {((page: {url: string, title: string, referrer: string}) => void)|null} */
let track = null;
/** @type {Array<{url: string, title: string, referrer: string}>} */
const early = [];
window.addEventListener('message', (event) => {
  // Only the page that embeds us may report its navigation.
  if (event.source !== window.parent) return;
  if (event.data?.type === 'kayako:layout') {
    document.documentElement.dataset.fullscreen = String(event.data.fullscreen === true);
    return;
  }
  if (event.data?.type !== 'kayako:page') return;
  const { url, title, referrer } = event.data;
  if (typeof url !== 'string') return;
  const page = { url, title: String(title ?? ''), referrer: String(referrer ?? '') };
  if (track) track(page); else early.push(page);
});

const fromHost = await hostState();
initStorage(fromHost, (key, value) => window.parent.postMessage({ type: 'kayako:store', key, value }, '*'));
const model = new MessengerModel();
const controller = new MessengerController(model);
/** @type {any} */ (document.querySelector('messenger-app')).setup(model, controller, config);
document.addEventListener('visibilitychange', () => { if (!document.hidden) controller.markRead(); });
// Signed file links expire after an hour: a Download clicked later gets a fresh link first.
document.addEventListener('click', async (e) => {
  const link = /** @type {HTMLElement} */ (e.target).closest?.('a.file-download');
  const id = link instanceof HTMLAnchorElement ? link.dataset.fileId : undefined;
  if (!link || !id || (controller.api.links.get(id)?.expires ?? 0) > Date.now() + 30_000) return;
  e.preventDefault();
  await controller.api.ensureLinks([{ attachments: [{ id }] }]);
  /** @type {HTMLAnchorElement} */ (link).href = controller.api.fileUrl({ id }, true);
  /** @type {HTMLAnchorElement} */ (link).click();
}, true);

// The launcher needs nothing from the server: it is painted first, then the widget says hello (the
// timer covers a hidden tab, where frames are not drawn).
await new Promise((resolve) => { requestAnimationFrame(() => setTimeout(resolve, 0)); setTimeout(resolve, 100); });
try {
  await controller.start();
  track = (page) => controller.pageView(page.url, page.title, page.referrer);
  for (const page of early.splice(0)) track(page);
} catch (err) {
  if (!model.unavailable) {  // when it is, the panel says so already, in the server's neutral words
    model.error = `Chat is unavailable right now (${err instanceof Error ? err.message : err}).`;
    model.changed();
  }
}
