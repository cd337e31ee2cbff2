// @ts-check
/*
 * Kayako Messenger loader: the one script a site owner adds to every page,
 *   <script src="https://chat.example.com/messenger.js" async data-title="…" data-accent="#0f766e"
 *           data-position="right"></script>
 * It puts the widget in an iframe (the host page's CSS and scripts can neither break nor read it),
 * sizes that iframe, and reports page views, including history-API navigations.
 */
(function () {
  'use strict';
  var host = /** @type {Window & {__kayakoMessenger?: boolean}} */ (window);
  if (host.__kayakoMessenger) return;
  host.__kayakoMessenger = true;
  var script = /** @type {HTMLScriptElement|null} */ (document.currentScript || document.querySelector('script[src$="/messenger.js"]'));
  if (!script) return;
  var origin = new URL(script.src, location.href).origin;
  // The widget's page. The production build (scripts/build-widget.mjs) points this at the content-hashed
  // frame page in dist/; the source serves the unbundled one.
  var FRAME = '/messenger/frame.html';
  var data = script.dataset || {};
  /** @type {{title: string, accent: string, position: 'left'|'right'}} */
  var config = { title: data.title || 'Chat with us', accent: data.accent || '#2563eb',
                 position: data.position === 'left' ? 'left' : 'right' };
  var frame = document.createElement('iframe');
  frame.src = origin + FRAME + '#' + encodeURIComponent(JSON.stringify(config));
  frame.title = config.title;
  frame.setAttribute('allow', 'clipboard-write');
  var s = frame.style;
  s.position = 'fixed'; s.bottom = '0'; s[config.position] = '0'; s.border = '0'; s.zIndex = '2147483000';
  s.background = 'transparent'; s.colorScheme = 'normal'; s.maxWidth = '100%'; s.maxHeight = '100%';
  var state = { open: false, invitation: false };

  function size() {
    var full = state.open && Math.min(window.innerWidth, screen.width || window.innerWidth) < 480;
    if (full) { s.width = '100%'; s.height = '100%'; }
    else if (state.open) { s.width = '400px'; s.height = Math.min(680, window.innerHeight) + 'px'; }
    else { s.width = '96px'; s.height = '96px'; }
    if (frame.contentWindow) frame.contentWindow.postMessage({ type: 'kayako:layout', fullscreen: full }, origin);
  }

  /** @type {string|null} */
  var lastUrl = null;
  function page() {
    if (location.href === lastUrl) return;
    var referrer = lastUrl === null ? document.referrer : lastUrl;
    lastUrl = location.href;
    // Titles often change just after a client-side navigation: read it on the next tick.
    setTimeout(function () {
      frame.contentWindow && frame.contentWindow.postMessage(
        { type: 'kayako:page', url: location.href, title: document.title, referrer: referrer }, origin);
    }, 50);
  }

  /** @type {Array<'pushState'|'replaceState'>} */ (['pushState', 'replaceState']).forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, /** @type {any} */ (arguments));
      page();
      return result;
    };
  });
  window.addEventListener('popstate', page);
  window.addEventListener('hashchange', page);
  window.addEventListener('resize', size);
  // The widget's state (visitor token, last seq, unsent messages) lives in this site's own storage:
  // browsers often block storage inside third-party iframes.
  var PREFIX = 'kayako.messenger.';
  function stored() {
    /** @type {Record<string, any>} */
    var out = {};
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key && key.indexOf(PREFIX) === 0) out[key.slice(PREFIX.length)] = JSON.parse(/** @type {string} */ (localStorage.getItem(key)));
      }
    } catch (e) { /* storage blocked: the widget keeps state for this page only */ }
    return out;
  }
  /** @param {string} key @param {any} value */
  function store(key, value) {
    try {
      if (value === null || value === undefined) localStorage.removeItem(PREFIX + key);
      else localStorage.setItem(PREFIX + key, JSON.stringify(value));
    } catch (e) { /* full or blocked */ }
  }

  window.addEventListener('message', function (event) {
    var widget = frame.contentWindow;
    if (!widget || event.source !== widget || event.origin !== origin || !event.data) return;
    var msg = event.data;
    if (msg.type === 'kayako:ready') {
      widget.postMessage({ type: 'kayako:init', state: stored() }, origin);
      lastUrl = null;
      page();
    } else if (msg.type === 'kayako:store' && typeof msg.key === 'string' && /^[a-zA-Z]{1,32}$/.test(msg.key)) {
      store(msg.key, msg.value);
    } else if (msg.type === 'kayako:resize') {
      state.open = !!msg.open;
      size();
    }
  });
  size();
  (document.body || document.documentElement).appendChild(frame);
})();
