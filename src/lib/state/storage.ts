// The browser's localStorage as the state classes reach it (null where there is none, in Node and tests, or the site
// may not use it), and its entries read back tolerantly.

/** `localStorage`, or null when it is missing (Node) or access throws (storage disabled for this site). */
export function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // e.g. storage disabled for this site
  }
}

/** `sessionStorage` (kept until the tab closes), or null where it is missing or blocked, as `safeLocalStorage`. */
export function safeSessionStorage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/**
 * A stored entry read back as a JSON object; {} when there is none, it is corrupt or it is not an object, so a
 * reader keeps each field's default and the next save overwrites the entry.
 */
export function parseStoredObject(raw: string | null): Record<string, unknown> {
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
