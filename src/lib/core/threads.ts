// How many threads ONNX Runtime Web may use: from the cores the browser reports, whether the page is
// cross-origin isolated (threads need SharedArrayBuffer, which only an isolated page has) and the user's
// Settings override. Pure, so the page (status bar) and every model worker decide the same way.

/** Auto never asks for more: past 8 threads the small models here gain little and the page's own work starves. */
export const MAX_AUTO_THREADS = 8;
/** The most the Settings override offers. */
export const MAX_THREADS = 16;

/** `0`: automatic; `1..MAX_THREADS`: exactly that many (still 1 on a page that is not isolated). */
export type ThreadsPreference = number;

export interface ThreadsInput {
  /** navigator.hardwareConcurrency, when the browser reports it. */
  cores?: number;
  /** globalThis.crossOriginIsolated. */
  isolated: boolean;
  preference: ThreadsPreference;
}

export interface ThreadsChoice {
  threads: number;
  /** Why only one thread, when that was not the user's choice. */
  limit?: string;
}

export const NOT_ISOLATED = 'page not cross-origin isolated';

/** The thread count ORT gets, and why it is 1 when the user did not ask for 1. */
export function chooseThreads({ cores, isolated, preference }: ThreadsInput): ThreadsChoice {
  if (!isolated) return { threads: 1, limit: NOT_ISOLATED };
  const wanted = Math.floor(preference);
  if (wanted >= 1) return { threads: Math.min(wanted, MAX_THREADS) };
  const known = typeof cores === 'number' && cores >= 1 ? Math.floor(cores) : 1;
  return { threads: Math.min(known, MAX_AUTO_THREADS) };
}

/** "2 threads", "1 thread (page not cross-origin isolated)". */
export function describeThreads(choice: ThreadsChoice): string {
  const count = `${choice.threads} thread${choice.threads === 1 ? '' : 's'}`;
  return choice.limit ? `${count} (${choice.limit})` : count;
}

/** Reads a stored preference; anything else is automatic. */
export function parseThreadsPreference(value: unknown): ThreadsPreference {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_THREADS ? value : 0;
}
