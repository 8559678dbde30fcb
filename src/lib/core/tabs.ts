// Several tabs of the app on one origin share its IndexedDB databases: the message one tab's writer sends the
// others after a change, what a worker tells its page unasked (blocked, closed, changed elsewhere), and how the
// page words each of them. Pure: the locks and channels themselves live in workers/tab-sync.ts.
import type { CorpusSummary } from './corpus/reports';

/** The app's databases, as the user knows them. */
export type DatabaseLabel = 'corpus' | 'evaluation' | 'dataset';

/** What a writer changed in the corpus database. */
export type CorpusChange = 'files' | 'remove' | 'clear' | 'index' | 'settings' | 'embedder' | 'questions';

/** Sent on the database's BroadcastChannel after each write, to every other tab. */
export interface ChangeMessage {
  kind: 'changed';
  /** The writing tab's id: a tab ignores its own messages. */
  from: string;
  what: CorpusChange;
}

const CHANGES: readonly CorpusChange[] = ['files', 'remove', 'clear', 'index', 'settings', 'embedder', 'questions'];

/**
 * `data` as a change message from another tab, or null (its own, or a shape this version does not know: another
 * version of the app may share the channel).
 */
export function changeFrom(data: unknown, self: string): ChangeMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const { kind, from, what } = data as Record<string, unknown>;
  if (kind !== 'changed' || typeof from !== 'string' || from === self) return null;
  return CHANGES.includes(what as CorpusChange) ? { kind, from, what: what as CorpusChange } : null;
}

/** Why a tab's connection to a database ended: a newer version opened elsewhere, or the browser closed it. */
export type ClosedReason = 'versionchange' | 'terminated';

/** What the corpus worker tells its page unasked. */
export type CorpusEvent =
  | { kind: 'blocked' }
  | { kind: 'closed'; reason: ClosedReason }
  | { kind: 'changed'; what: CorpusChange; summary: CorpusSummary };

/** This tab's connection to a database is gone; only a reload opens it again. */
export class DatabaseClosedError extends Error {
  override name = 'DatabaseClosedError';
}

/** Opening `db` waits on another tab that keeps an older version of the app open. */
export function blockedMessage(db: DatabaseLabel): string {
  return `Another tab of this app, an older version, keeps the ${db} database open, so this page cannot open it. Close that tab (or reload it) and this page continues.`;
}

/** This tab's connection to `db` ended: what happened, and that reloading is the way out. */
export function closedMessage(db: DatabaseLabel, reason: ClosedReason): string {
  const why =
    reason === 'versionchange'
      ? `A newer version of this app opened in another tab and took over the ${db} database`
      : `The browser closed the ${db} database (its data may have been cleared)`;
  return `${why}: nothing more can be saved from this page. Reload this page to continue.`;
}

/** This tab runs an older version than the database was upgraded to by another tab. */
export function tooOldMessage(db: DatabaseLabel): string {
  return `A newer version of this app has upgraded the ${db} database in another tab: reload this page to use it.`;
}

const CHANGED: Record<CorpusChange, string> = {
  files: 'added files to the corpus',
  remove: 'removed an article',
  clear: 'cleared the corpus',
  index: 'indexed the corpus',
  settings: 'changed the corpus settings',
  embedder: 'switched the embedding model',
  questions: 'changed the questions',
};

/** The line shown after another tab changed the corpus and this page caught up with it. */
export function changedMessage(what: CorpusChange): string {
  return `Another tab ${CHANGED[what]}; this page now shows the result.`;
}

/** Whether `error` says an IndexedDB open asked for a version older than the stored one. */
export function isVersionError(error: unknown): boolean {
  return error instanceof Error && error.name === 'VersionError';
}
