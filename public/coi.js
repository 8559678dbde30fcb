// Runs before the app (a classic script in index.html): where the host sent no COOP/COEP headers, registers
// coi-sw.js, which adds them, and reloads once so this page is served through it. Where the page is already
// cross-origin isolated (npm run dev, npm run preview, a host that sends the headers) it does nothing.
(function () {
  if (window.crossOriginIsolated || !window.isSecureContext || !('serviceWorker' in navigator)) return;
  var KEY = 'raft-playground:coi-reloaded';
  var script = document.currentScript;
  var url = new URL('coi-sw.js', script && script.src ? script.src : location.href);
  function reloadOnce() {
    // NOTE: once per tab: a browser that ignores the worker's headers must not reload forever.
    if (sessionStorage.getItem(KEY)) return;
    sessionStorage.setItem(KEY, '1');
    location.reload();
  }
  navigator.serviceWorker.register(url).then(
    function () {
      if (navigator.serviceWorker.controller) reloadOnce();
      else navigator.serviceWorker.addEventListener('controllerchange', reloadOnce, { once: true });
    },
    function (error) {
      console.warn('Cross-origin isolation worker not registered (models run on one thread): ' + error);
    },
  );
})();
