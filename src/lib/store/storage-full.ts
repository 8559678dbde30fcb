// A quota refusal from IndexedDB or Cache Storage, named as such with this site's usage (the worker and the
// page both read navigator.storage); any other error passes through unchanged.
import { isStorageFull, StorageFullError, storageFullMessage } from '../core/errors';

/** `error` as a StorageFullError with the usage and quota when it is a quota refusal, else `error` itself. */
export async function namedStorageError(error: unknown): Promise<unknown> {
  if (!isStorageFull(error) || error instanceof StorageFullError) return error;
  let estimate: { usage?: number; quota?: number } | undefined;
  try {
    estimate = await globalThis.navigator?.storage?.estimate?.();
  } catch {
    // NOTE: the usage is a courtesy: without it the message still names the problem and the way out.
  }
  const named = new StorageFullError(storageFullMessage(estimate));
  named.cause = error;
  return named;
}
