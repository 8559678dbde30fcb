// The browser's localStorage as the state classes reach it: null where there is none (Node, tests) or the site may not use it.

/** `localStorage`, or null when it is missing (Node) or access throws (storage disabled for this site). */
export function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // e.g. storage disabled for this site
  }
}
