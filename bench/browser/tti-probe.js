// Browser side of the time-to-interactive benchmark (plain JS, added as an init script): once the page
// has loaded and the stage navigation is visible, waits for a frame and then for the main thread to go
// idle, and records those moments (ms since navigation start) in window.__benchTti.
(() => {
  const navVisible = () => {
    const nav = document.querySelector('nav');
    return nav !== null && nav.getBoundingClientRect().height > 0;
  };
  const check = () => {
    if (document.readyState !== 'complete' || !navVisible()) return requestAnimationFrame(check);
    const visible = performance.now();
    requestAnimationFrame(() =>
      requestIdleCallback(() => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const timing = performance.getEntriesByType('navigation')[0];
        window.__benchTti = {
          navVisible: visible,
          interactive: performance.now(),
          firstContentfulPaint: paint ? paint.startTime : null,
          domContentLoaded: timing ? timing.domContentLoadedEventEnd : null,
        };
      }),
    );
  };
  requestAnimationFrame(check);
})();
