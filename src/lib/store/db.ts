// Opens the app's database: creates stores (idempotent), runs record migrations, and handles
// other tabs holding an older or newer version.
import { openDB, type IDBPDatabase } from 'idb';
import { vectorRecordV3, type VectorBatchRecordV2 } from './migrations';
import { DB_NAME, DB_VERSION, type RaftDB } from './schema';

export type RaftDatabase = IDBPDatabase<RaftDB>;

export interface OpenHooks {
  /** Another tab keeps an older version open: ask the user to close it. */
  onBlocked?: () => void;
  /** This tab's connection was closed for a newer version in another tab: reload. */
  onVersionChange?: () => void;
  /** The browser closed this tab's connection (site data cleared, disk error): reload. */
  onTerminated?: () => void;
}

/**
 * `openDB`'s blocked/blocking/terminated handlers for `hooks`, the same for every database of the app: a newer
 * version in another tab closes this connection (so it is not blocked) and says to reload.
 */
export function connectionHooks(hooks: OpenHooks): {
  blocked: () => void;
  blocking: (current: number, next: number | null, event: IDBVersionChangeEvent) => void;
  terminated: () => void;
} {
  return {
    blocked: () => hooks.onBlocked?.(),
    terminated: () => hooks.onTerminated?.(),
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
      hooks.onVersionChange?.();
    },
  };
}

export function openDatabase(name = DB_NAME, hooks: OpenHooks = {}): Promise<RaftDatabase> {
  return openDB<RaftDB>(name, DB_VERSION, {
    async upgrade(db, oldVersion, _newVersion, tx) {
      // NOTE: only creates what is missing, so it is safe to rerun at any version.
      if (!db.objectStoreNames.contains('articles')) db.createObjectStore('articles', { keyPath: 'path' });
      if (!db.objectStoreNames.contains('chunks')) {
        db.createObjectStore('chunks', { keyPath: 'id' }).createIndex('by-article', 'articlePath');
      }
      if (!db.objectStoreNames.contains('vectors')) {
        const vectors = db.createObjectStore('vectors', { keyPath: 'key', autoIncrement: true });
        vectors.createIndex('by-articles', 'articlePaths', { multiEntry: true });
        vectors.createIndex('by-model', 'modelKey');
      }
      if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta', { keyPath: 'key' });
      // Version 2: question/answer pairs. Earlier records need no change.
      if (!db.objectStoreNames.contains('questions')) db.createObjectStore('questions', { keyPath: 'id' }).createIndex('by-status', 'status');
      // Version 3: vector records list their articles. NOTE: only IDB requests are awaited here.
      if (oldVersion > 0 && oldVersion < 3) {
        const vectors = tx.objectStore('vectors');
        const old = vectors as unknown as { indexNames: DOMStringList; deleteIndex(name: string): void };
        if (old.indexNames.contains('by-article')) old.deleteIndex('by-article');
        if (!vectors.indexNames.contains('by-articles')) vectors.createIndex('by-articles', 'articlePaths', { multiEntry: true });
        for (let cursor = await vectors.openCursor(); cursor; cursor = await cursor.continue()) {
          const record = cursor.value as unknown as VectorBatchRecordV2 | RaftDB['vectors']['value'];
          if ('articlePath' in record) await cursor.update(vectorRecordV3(record));
        }
      }
    },
    ...connectionHooks(hooks),
  });
}
