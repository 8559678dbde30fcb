// Coordinates the tabs that share one database: an exclusive Web Lock per database around every write (so two
// tabs never write at once), and a BroadcastChannel on which each write is announced to the other tabs.
// Where Web Locks are missing (Node: tests, CLI), a lock of the same name in this process stands in.
import { changeFrom, type ChangeMessage, type CorpusChange } from '../core/tabs';

type LockManagerLike = { request<T>(name: string, options: { mode: 'exclusive' | 'shared' }, work: () => Promise<T>): Promise<T> };

/** The in-process stand-in: one queue per lock name, shared by every TabSync of this process (like tabs). */
const queues = new Map<string, Promise<unknown>>();

function localLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const before = queues.get(name) ?? Promise.resolve();
  const run = before.then(work, work);
  const tail = run.catch(() => undefined);
  queues.set(name, tail);
  void tail.then(() => {
    if (queues.get(name) === tail) queues.delete(name);
  });
  return run;
}

export class TabSync {
  /** This tab's id on the channel. */
  readonly id = crypto.randomUUID();
  readonly #channel: BroadcastChannel | null;
  readonly #locks: LockManagerLike | null;

  /** `database`: the IndexedDB name; `onChange` hears every other tab's write. */
  constructor(
    private readonly database: string,
    onChange: (message: ChangeMessage) => void,
  ) {
    this.#locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks ?? null;
    this.#channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(`${database}:changes`);
    // NOTE: in Node an open channel keeps the process alive; the CLI must still exit when done.
    (this.#channel as { unref?: () => void } | null)?.unref?.();
    this.#channel?.addEventListener('message', (event) => {
      const message = changeFrom(event.data, this.id);
      if (message) onChange(message);
    });
  }

  /** Runs `work` holding the lock `name` of this database (waits while another tab holds it). */
  exclusive<T>(name: 'write' | 'index', work: () => Promise<T>): Promise<T> {
    const lock = `${this.database}:${name}`;
    return this.#locks ? this.#locks.request(lock, { mode: 'exclusive' }, work) : localLock(lock, work);
  }

  /** Tells the other tabs that `what` changed (they read the database again). */
  announce(what: CorpusChange): void {
    this.#channel?.postMessage({ kind: 'changed', from: this.id, what } satisfies ChangeMessage);
  }

  close(): void {
    this.#channel?.close();
  }
}
