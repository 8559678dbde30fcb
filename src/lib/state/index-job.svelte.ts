// Embedding the corpus's chunks that lack vectors, in the corpus worker: progress (done, rate, time
// left), cancel (the vectors so far are kept, and the next run resumes from there) and errors.
import type { CorpusClient } from '../clients/corpus';
import { MAX_PASSES } from '../config/tunables';
import { isCancelled, messageOf } from '../core/errors';
import type { CorpusSummary, IndexProgress } from '../core/corpus/reports';

/** What the job needs from the corpus state. */
export interface IndexHost {
  readonly client: CorpusClient;
  summary: CorpusSummary | null;
  /** A model is loaded and adopted for the corpus. */
  readonly canIndex: boolean;
  /** Chunks without a vector. */
  readonly missing: number;
  refresh(): Promise<void>;
}

export class IndexJob {
  running = $state(false);
  progress = $state.raw<IndexProgress | null>(null);
  error = $state('');
  /** Left by a cancel: how far it got, and that the next run resumes. */
  notice = $state('');
  #controller: AbortController | null = null;
  #run: Promise<void> | null = null;

  constructor(private readonly host: IndexHost) {}

  /** Embeds every chunk that lacks a vector; does nothing when already running or no model is adopted. */
  async start(): Promise<void> {
    if (this.running || !this.host.canIndex) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.running = true;
    this.progress = null;
    this.error = '';
    this.notice = '';
    this.#run = this.#passes(controller.signal);
    await this.#run;
  }

  cancel(): void {
    this.#controller?.abort();
  }

  /** Cancels and waits for the worker to stop, leaving no notice (the caller explains what follows). */
  async stop(): Promise<void> {
    this.cancel();
    await this.#run;
    this.notice = '';
  }

  async #passes(signal: AbortSignal): Promise<void> {
    const host = this.host;
    try {
      for (let pass = 0; pass < MAX_PASSES && host.missing > 0 && host.canIndex; pass++) {
        host.summary = await host.client.call('index', undefined, { signal, onProgress: (p) => (this.progress = p) });
      }
    } catch (error) {
      if (!isCancelled(error)) {
        // The counts come from the corpus: vectors stored before the failure are kept and counted.
        await host.refresh();
        const s = host.summary;
        this.error = `Indexing stopped with ${(s?.embeddedCount ?? 0).toLocaleString('en')} of ${(s?.chunkCount ?? 0).toLocaleString('en')} chunks embedded (their vectors are saved): ${messageOf(error)}`;
      } else {
        await host.refresh();
        const s = host.summary;
        this.notice = `Indexing paused with ${s?.embeddedCount ?? 0} of ${s?.chunkCount ?? 0} chunks embedded. Their vectors are saved: indexing resumes from there when you start it again.`;
      }
    } finally {
      this.running = false;
      this.progress = null;
      this.#controller = null;
    }
  }
}
