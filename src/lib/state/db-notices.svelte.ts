// What the page says about the app's databases and the other tabs that share them: opening waits on an older
// version in another tab (close it), this tab's connection is gone (reload), or another tab changed the corpus
// and this page caught up. One instance for the app; the shell shows it above every page.
import type { OpenHooks } from '../store/db';
import type { CorpusSummary } from '../core/corpus/reports';
import { blockedMessage, changedMessage, closedMessage, type ClosedReason, type CorpusChange, type CorpusEvent, type DatabaseLabel } from '../core/tabs';

export interface DatabaseProblem {
  message: string;
  /** Only a reload helps: the page offers a Reload button. */
  reload: boolean;
}

export class DatabaseNotices {
  /** What stops this page from saving, or null. */
  problem = $state.raw<DatabaseProblem | null>(null);
  /** The last change another tab made that this page now shows. */
  changed = $state('');

  blocked(db: DatabaseLabel): void {
    if (!this.problem?.reload) this.problem = { message: blockedMessage(db), reload: false };
  }

  /** Opening `db` went through: a notice that it waited on another tab is over. */
  opened(db: DatabaseLabel): void {
    if (this.problem?.message === blockedMessage(db)) this.problem = null;
  }

  closed(db: DatabaseLabel, reason: ClosedReason): void {
    this.problem = { message: closedMessage(db, reason), reload: true };
  }

  /** A failure that only a reload cures (a DatabaseClosedError's message says so). */
  reloadNeeded(message: string): void {
    if (!this.problem?.reload) this.problem = { message, reload: true };
  }

  changedElsewhere(what: CorpusChange): void {
    this.changed = changedMessage(what);
  }

  /** Takes in what the corpus worker said unasked; returns the corpus as another tab left it, if that is what it said. */
  heard(event: CorpusEvent): CorpusSummary | null {
    if (event.kind === 'blocked') this.blocked('corpus');
    else if (event.kind === 'closed') this.closed('corpus', event.reason);
    else {
      this.changedElsewhere(event.what);
      return event.summary;
    }
    return null;
  }
}

export const databaseNotices = new DatabaseNotices();

/** The open hooks of database `db` that tell `notices` (blocked by an older tab, closed for a newer one or by the browser). */
export function noticeHooks(db: DatabaseLabel, notices: DatabaseNotices = databaseNotices): OpenHooks {
  return {
    onBlocked: () => notices.blocked(db),
    onVersionChange: () => notices.closed(db, 'versionchange'),
    onTerminated: () => notices.closed(db, 'terminated'),
  };
}
