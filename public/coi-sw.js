// Cross-origin isolation for static hosts that cannot send headers (GitHub Pages and the like): this service
// worker adds COOP/COEP to every same-origin response, the page and its workers included, so the page gets
// SharedArrayBuffer and ONNX Runtime Web can use threads. public/coi.js registers it before the app starts.
// NOTE: the same values as ISOLATION_HEADERS in scripts/vite/headers.ts; change both together.
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  // Other origins (the Hub, remote endpoints) go straight to the network: they are CORS requests, which COEP allows.
  if (new URL(request.url).origin !== self.location.origin) return;
  // NOTE: Chromium throws on fetch() of this combination (DevTools asks for it); leave it to the browser.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(
    fetch(request).then((response) => {
      if (response.type === 'opaque' || response.type === 'opaqueredirect') return response;
      const headers = new Headers(response.headers);
      for (const [name, value] of Object.entries(ISOLATION)) headers.set(name, value);
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
});
