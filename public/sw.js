/*
 * Purposeboard's service worker: keeps the app shell (index.html and the
 * built /assets) on the device so a board can be reloaded while offline.
 * The board itself is kept by the app in IndexedDB (src/collab/device-copy.ts);
 * this worker never touches /api or /ws.
 *
 *   pages (navigations): network first; offline, the cached index.html (every
 *     app address is served by index.html, so it starts any page);
 *   /assets/*: cache first (Vite puts a content hash in every name, so a
 *     cached asset is never stale); each fresh index.html names the assets to
 *     keep, the others are dropped. index.html names every chunk of the build
 *     (a <meta name="purposeboard-assets"> tag, vite.config.ts), including
 *     the screens loaded on demand, so all of them are cached at install.
 */
const CACHE = 'purposeboard-shell-v1';
const SHELL = '/index.html';

/** The /assets/ files an index.html refers to. */
function assetsOf(html) {
  return [...new Set(html.match(/\/assets\/[A-Za-z0-9._-]+/g) || [])];
}

/** Stores a fresh index.html and makes sure its assets are cached; drops assets of older builds. */
async function keepShell(response) {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  await cache.put(SHELL, response);
  const wanted = assetsOf(html);
  await Promise.all(
    wanted.map(async (asset) => {
      if (await cache.match(asset)) return;
      const fresh = await fetch(asset);
      if (fresh.ok) await cache.put(asset, fresh);
    }),
  );
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith('/assets/') && !wanted.includes(path)) await cache.delete(request);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    fetch('/', { cache: 'no-cache' })
      .then((response) => (response.ok ? keepShell(response) : undefined))
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

function isHtml(response) {
  return response.ok && (response.headers.get('Content-Type') || '').startsWith('text/html');
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/ws') || url.pathname === '/healthz') return;

  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (isHtml(response)) event.waitUntil(keepShell(response.clone()).catch(() => undefined));
          return response;
        })
        .catch(async () => (await caches.match(SHELL)) || Response.error()),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/') || url.pathname === '/favicon.svg') {
    event.respondWith(
      caches.match(request, { ignoreSearch: true }).then(
        (cached) =>
          cached ||
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              event.waitUntil(caches.open(CACHE).then((cache) => cache.put(url.pathname, copy)));
            }
            return response;
          }),
      ),
    );
  }
});
