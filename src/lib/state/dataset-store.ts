// Keeps the Dataset page's last build across reloads: opens the dataset database lazily (a failed open is
// retried on the next use), says why a stored build no longer matches its inputs, and turns a build into
// the record that is stored; and the oracle texts the example viewer looks up.
import type { RaftExample } from '../core/raft/types';
import { DatasetRepo } from '../store/dataset-repo';
import { LAST_BUILD_KEY, openDatasetDatabase, type DatasetDatabase, type DatasetInputs, type StoredBuild } from '../store/dataset-db';

import { blockedMessage, closedMessage } from '../core/tabs';
import type { Corpus } from './corpus.svelte';
import { databaseNotices } from './db-notices.svelte';
import { plural } from '../core/words';

export type { DatasetInputs, StoredBuild };

/** Opens the repo once; `onProblem` hears about another tab blocking an upgrade or closing this connection. */
export class DatasetStore {
  #repo: Promise<DatasetRepo> | null = null;

  constructor(
    private readonly openDb: () => Promise<DatasetDatabase> = () =>
      openDatasetDatabase(undefined, {
        onBlocked: () => (this.onProblem(blockedMessage('dataset')), databaseNotices.blocked('dataset')),
        onVersionChange: () => (this.onProblem(closedMessage('dataset', 'versionchange')), databaseNotices.closed('dataset', 'versionchange')),
        onTerminated: () => (this.onProblem(closedMessage('dataset', 'terminated')), databaseNotices.closed('dataset', 'terminated')),
      }).then((db) => (databaseNotices.opened('dataset'), db)),
    private readonly onProblem: (message: string) => void = () => {},
  ) {}

  repo(): Promise<DatasetRepo> {
    this.#repo ??= this.openDb().then((db) => new DatasetRepo(db));
    this.#repo.catch(() => (this.#repo = null));
    return this.#repo;
  }
}

/** The oracle chunks' texts of examples, also of an oracle left out of the example (read once from the corpus). */
export class OracleTexts {
  #known = new Map<string, string>();

  constructor(private readonly corpus: Pick<Corpus, 'client' | 'chunksOf'>) {}

  async of(example: RaftExample): Promise<(chunkId: string) => string> {
    const texts = new Map<string, string>();
    for (const chunkId of example.oracleChunkIds) {
      const shown = example.documents.find((d) => d.chunkId === chunkId);
      texts.set(chunkId, shown ? shown.text : await this.#chunkText(chunkId));
    }
    return (chunkId) => texts.get(chunkId) ?? '';
  }

  /** Forgets what was read (a new build may come from a changed corpus). */
  clear(): void {
    this.#known.clear();
  }

  async #chunkText(chunkId: string): Promise<string> {
    const known = this.#known.get(chunkId);
    if (known !== undefined) return known;
    const [path] = await this.corpus.client.call('chunkArticles', { ids: [chunkId] });
    const chunk = path ? (await this.corpus.chunksOf(path)).find((c) => c.id === chunkId) : undefined;
    const text = chunk?.text ?? '';
    this.#known.set(chunkId, text);
    return text;
  }
}

/** Why a build made from `before` no longer matches `now` ("The questions changed since the last build (…)"), or null. */
export function inputsChange(before: DatasetInputs, now: DatasetInputs): string | null {
  const corpus = before.corpusFingerprint !== now.corpusFingerprint;
  const questions = before.questionsFingerprint !== now.questionsFingerprint;
  if (!corpus && !questions) return null;
  const counts = (then: number, current: number, what: string) =>
    then === current ? `the same ${plural(current, what)}, other content` : `${plural(then, what)} then, ${current.toLocaleString('en')} now`;
  const parts = [corpus ? counts(before.chunks, now.chunks, 'chunk') : '', questions ? counts(before.questions, now.questions, 'resolved question') : ''].filter(Boolean);
  const what = corpus && questions ? 'The corpus and the questions' : corpus ? 'The corpus' : 'The questions';
  return `${what} changed since the last build (${parts.join('; ')})`;
}

/** The stored form of a build (one record under LAST_BUILD_KEY). */
export function storedBuild(build: Omit<StoredBuild, 'id'>): StoredBuild {
  return { id: LAST_BUILD_KEY, ...build };
}
