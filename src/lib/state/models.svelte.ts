// The models the app runs (the embedder and two language models): one loader slot each, the "Try it"
// boxes, the model manager, and the memory rule for language models: both held side by side, or one
// at a time (using one releases the other's worker, and a released one reloads when it is needed).
// Clients are created lazily: the embedder loads into the corpus worker, each language model into
// its own worker.
import { GeneratorClient, type Generator } from '../clients/generator';
import { demoModelUrl } from '../config/demo-models';
import { LANGUAGE_MODEL_ROLES, type LanguageModelRole } from '../config/models';
import { messageOf, ModelLoadError, NotReadyError, WorkerCrashedError } from '../core/errors';
import { DEFAULT_GENERATION, type GenerationResult } from '../core/generation';
import { browserModelStorage, type ModelStorage } from '../store/model-storage';
import type { Environment } from './environment.svelte';
import { ModelSlot, type LoadableClient } from './model-slot.svelte';
import { ModelStore } from './model-store.svelte';
import { RememberedModels } from './remembered-models';
import type { Settings } from './settings.svelte';

export { ModelSlot, type LoadableClient, type LoadStatus, type SourceKind } from './model-slot.svelte';

/** The "Try it" box: one user message, the streamed reply and its timing figures. */
export class GenerationTrial {
  message = $state('Explain in two sentences what a distractor document is.');
  output = $state('');
  running = $state(false);
  result = $state.raw<GenerationResult | null>(null);
  error = $state('');
  #controller: AbortController | null = null;

  constructor(private readonly generator: () => Pick<Generator, 'generate'>) {}

  async generate(): Promise<void> {
    const text = this.message.trim();
    if (!text || this.running) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.running = true;
    this.output = '';
    this.result = null;
    this.error = '';
    try {
      this.result = await this.generator().generate([{ role: 'user', content: text }], DEFAULT_GENERATION, {
        signal: controller.signal,
        onToken: (t) => (this.output += t.text),
      });
      this.output = this.result.text;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.running = false;
      this.#controller = null;
    }
  }

  stop(): void {
    this.#controller?.abort();
  }
}

/** Failures that more memory would have avoided. */
function isMemoryFailure(error: unknown): boolean {
  // NOTE: the worker words raw runtime failures as ModelLoadErrors (workers/models/load.ts), and a worker that died
  // while loading (usually memory) rejects with WorkerCrashedError: both are told by type, never by their text.
  return (error instanceof ModelLoadError && error.problem === 'out-of-memory') || error instanceof WorkerCrashedError;
}

export interface ModelsFactories {
  /** Usually `() => corpus.embedderClient()`: one copy of the model, in the corpus worker. */
  embedder: () => LoadableClient;
  generator?: () => Generator;
  /** Where models are kept in the browser; defaults to this origin's Cache Storage (none in Node). */
  storage?: ModelStorage | null;
  remembered?: RememberedModels;
}

export class ModelsState {
  readonly store: ModelStore;
  readonly embedder: ModelSlot<LoadableClient>;
  /** The model before fine-tuning: it also writes synthetic questions. */
  readonly base: ModelSlot<Generator>;
  /** The RAFT fine-tuned model, loaded back from the recipe's ONNX export. */
  readonly tuned: ModelSlot<Generator>;
  readonly trials: Record<LanguageModelRole, GenerationTrial>;
  readonly #generators: Record<LanguageModelRole, Generator>;
  /** Memory changes (release, reload) run one after another. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly settings: Settings,
    env: Environment,
    factories: ModelsFactories,
  ) {
    const storage = factories.storage === undefined ? browserModelStorage() : factories.storage;
    this.store = new ModelStore(storage, () => void env.refreshStorage());
    const remembered = factories.remembered ?? new RememberedModels();
    const generator = factories.generator ?? (() => new GeneratorClient());
    const common = { settings, env, store: this.store, remembered };
    this.embedder = new ModelSlot('embedder', { ...common, create: factories.embedder });
    // Each language model has a worker of its own, so both can be held and run side by side.
    const languageSlot = (role: LanguageModelRole) =>
      new ModelSlot<Generator>(role, {
        ...common,
        create: generator,
        beforeLoad: (signal) =>
          this.#serial(async () => {
            if (!signal.aborted) await this.#makeRoomFor(role);
          }),
        explain: (error) => this.#explain(role, error),
      });
    this.base = languageSlot('base');
    this.tuned = languageSlot('tuned');
    this.#generators = { base: this.#tracked('base'), tuned: this.#tracked('tuned') };
    this.trials = { base: new GenerationTrial(() => this.#generators.base), tuned: new GenerationTrial(() => this.#generators.tuned) };
  }

  /**
   * Loads the demo models shipped with the app (sft as the base, raft as the fine-tuned model) on WASM at q8:
   * nothing to download or pick. Each card shows its own progress and error; resolves once both loads end.
   */
  async loadDemo(page: string = location.href): Promise<void> {
    for (const role of LANGUAGE_MODEL_ROLES) {
      const slot = this.languageModel(role);
      slot.sourceKind = 'url';
      slot.folderUrl = demoModelUrl(role, page);
      slot.device = 'wasm';
      slot.dtype = 'q8';
      await slot.load();
    }
  }

  languageModel(role: LanguageModelRole): ModelSlot<Generator> {
    return role === 'base' ? this.base : this.tuned;
  }

  /**
   * The language model of `role`, ready to generate: under "one at a time" the other one is released
   * (once its running generations end) and this one reloads if it was released. Throws a
   * NotReadyError saying what to load when nothing was ever loaded in that slot.
   */
  async acquire(role: LanguageModelRole): Promise<Generator> {
    await this.#ensure(role, false);
    return this.#generators[role];
  }

  /** A Generator that stays valid across releases: each call makes sure the model is held first. */
  #tracked(role: LanguageModelRole): Generator {
    const slot = () => this.languageModel(role);
    const held = async <T>(work: () => Promise<T>): Promise<T> => {
      await this.#ensure(role, true);
      try {
        return await work();
      } finally {
        slot().unhold();
      }
    };
    return {
      load: (source, options, hooks) => slot().client.load(source, options, hooks),
      generate: (messages, settings, hooks) => held(() => slot().client.generate(messages, settings, hooks)),
      applyTemplate: (messages) => held(() => slot().client.applyTemplate(messages)),
      configure: (settings) => slot().client.configure(settings),
      terminate: () => void slot().release(),
    };
  }

  /** Makes sure `role` is loaded and held in memory; `hold` marks it in use until `unhold()`. */
  async #ensure(role: LanguageModelRole, hold: boolean): Promise<void> {
    const slot = this.languageModel(role);
    // NOTE: wait outside the queue: a load in progress may itself be queued to make room.
    await slot.settled();
    return this.#serial(async () => {
      if (!slot.loaded) throw new NotReadyError(`Load the ${slot.defaults.name} on the Models page first.`);
      await this.#makeRoomFor(role);
      if (slot.released) await slot.reload();
      if (hold) slot.hold();
    });
  }

  /**
   * Under "one at a time", releases the other language model once its running generations end; a load
   * of it in progress is cancelled (the latest request wins).
   */
  async #makeRoomFor(role: LanguageModelRole): Promise<void> {
    if (this.settings.languageModels !== 'one') return;
    const other = this.languageModel(role === 'base' ? 'tuned' : 'base');
    if (other.status === 'loading') other.cancel();
    await other.release();
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** A load failure; when memory ran out while the other model is held, says how to hold one at a time. */
  #explain(role: LanguageModelRole, error: unknown): string {
    const message = messageOf(error);
    const other = this.languageModel(role === 'base' ? 'tuned' : 'base');
    if (this.settings.languageModels === 'both' && other.loaded && !other.released && isMemoryFailure(error)) {
      return `${message} The ${other.defaults.name} is held in memory too, and both do not fit: in Settings, set “Language models in memory” to “One at a time”, so the other is released while this one runs.`;
    }
    return message;
  }
}
