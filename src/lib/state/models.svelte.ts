// The two models the app runs (embedder and language model): where each comes from, its loading
// progress, errors and what got loaded, plus the language model's "Try it" box. Clients are created
// lazily, on the first load: the embedder loads into the corpus worker (where chunks and queries are
// embedded), the language model into its own worker.
import type { Embedder } from '../clients/embedder';
import { GeneratorClient, type Generator } from '../clients/generator';
import { MODEL_DEFAULTS, type LanguageModelRole, type ModelDefaults, type ModelRole } from '../config/models';
import { isCancelled, ModelLoadError, NotReadyError } from '../core/errors';
import { DEFAULT_GENERATION, type GenerationResult } from '../core/generation';
import { parseHubId, type Dtype, type ModelFile, type ModelSource } from '../core/models';
import type { LoadedModel, LoadProgress } from '../workers/models/protocol';
import type { Environment } from './environment.svelte';
import type { Settings } from './settings.svelte';

export type SourceKind = ModelSource['kind'];
export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'error';

/** The part of a model client the loader needs. */
export type LoadableClient = Pick<Embedder, 'load' | 'setHubAllowed' | 'terminate'>;

interface SlotDeps<C> {
  create: () => C;
  settings: Settings;
  env: Environment;
}

/** One loader card: the chosen source, its dtype, and the state of the current load. */
export class ModelSlot<C extends LoadableClient> {
  readonly defaults: ModelDefaults;
  sourceKind = $state<SourceKind>('hub');
  hubId = $state('');
  revision = $state('');
  folderUrl = $state('');
  folder = $state.raw<{ name: string; files: ModelFile[] } | null>(null);
  dtypeChoice = $state<Dtype | null>(null);
  status = $state<LoadStatus>('idle');
  progress = $state.raw<LoadProgress | null>(null);
  error = $state('');
  notice = $state('');
  loaded = $state.raw<LoadedModel | null>(null);
  #controller: AbortController | null = null;
  #client: C | null = null;

  constructor(
    readonly role: ModelRole,
    private readonly deps: SlotDeps<C>,
  ) {
    this.defaults = MODEL_DEFAULTS[role];
    this.hubId = this.defaults.hubId;
    this.sourceKind = this.defaults.source;
  }

  /** The picked dtype, or the default for the backend the models will likely run on. */
  get dtype(): Dtype {
    return this.dtypeChoice ?? this.defaults.dtype(this.deps.env.deviceFor(this.deps.settings.device));
  }
  set dtype(dtype: Dtype) {
    this.dtypeChoice = dtype;
  }

  /** The client, created on first use: no worker starts before the user loads something. */
  get client(): C {
    this.#client ??= this.deps.create();
    return this.#client;
  }

  /** The source the form describes; throws a ModelLoadError saying what to fix. */
  source(): ModelSource {
    switch (this.sourceKind) {
      case 'hub': {
        const parsed = parseHubId(this.hubId);
        if (!parsed) throw new ModelLoadError(`"${this.hubId.trim()}" is not a Hub model id: write it as owner/name, e.g. ${this.defaults.hubId || MODEL_DEFAULTS.base.hubId}.`, 'invalid-source');
        const revision = this.revision.trim() || parsed.revision;
        return revision ? { kind: 'hub', id: parsed.id, revision } : { kind: 'hub', id: parsed.id };
      }
      case 'url': {
        const url = this.folderUrl.trim();
        if (!url) throw new ModelLoadError('Enter the URL of a model folder first.', 'invalid-source');
        return { kind: 'url', url };
      }
      case 'files':
        if (!this.folder || this.folder.files.length === 0) throw new ModelLoadError('Choose or drop a model folder first.', 'invalid-source');
        return { kind: 'files', name: this.folder.name, files: this.folder.files };
    }
  }

  async load(): Promise<void> {
    this.cancel();
    const controller = new AbortController();
    this.#controller = controller;
    this.status = 'loading';
    this.progress = null;
    this.error = '';
    this.notice = '';
    try {
      // 1. Validate the form before starting any worker.
      const source = this.source();
      // 2. Tell the worker whether it may reach the Hub, then load with progress.
      await this.client.setHubAllowed(this.deps.settings.allowHub);
      const loaded = await this.client.load(
        source,
        { device: this.deps.settings.device, dtype: this.dtype },
        {
          signal: controller.signal,
          onProgress: (p) => {
            if (this.#controller === controller) this.progress = p;
          },
        },
      );
      if (this.#controller !== controller) return; // a newer load took over
      this.loaded = loaded;
      this.status = 'loaded';
    } catch (error) {
      if (this.#controller !== controller) return;
      if (isCancelled(error)) {
        this.notice = 'Loading cancelled.';
        this.status = this.loaded ? 'loaded' : 'idle';
      } else {
        this.error = error instanceof Error ? error.message : String(error);
        this.status = 'error';
      }
    } finally {
      if (this.#controller === controller) this.#controller = null;
      void this.deps.env.refreshStorage();
    }
  }

  cancel(): void {
    this.#controller?.abort();
  }
}

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
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.running = false;
      this.#controller = null;
    }
  }

  stop(): void {
    this.#controller?.abort();
  }
}

export class ModelsState {
  readonly embedder: ModelSlot<LoadableClient>;
  /** The model before fine-tuning: it also writes synthetic questions. */
  readonly base: ModelSlot<Generator>;
  /** The RAFT fine-tuned model, loaded back from the recipe's ONNX export. */
  readonly tuned: ModelSlot<Generator>;
  readonly trials: Record<LanguageModelRole, GenerationTrial>;

  /** `factories.embedder` is usually `() => corpus.embedderClient()`: one copy of the model, in the corpus worker. */
  constructor(
    settings: Settings,
    env: Environment,
    factories: { embedder: () => LoadableClient; generator?: () => Generator },
  ) {
    const generator = factories.generator ?? (() => new GeneratorClient());
    this.embedder = new ModelSlot('embedder', { create: factories.embedder, settings, env });
    // Each language model has a worker of its own, so both can be held and run side by side.
    this.base = new ModelSlot('base', { create: generator, settings, env });
    this.tuned = new ModelSlot('tuned', { create: generator, settings, env });
    this.trials = { base: new GenerationTrial(() => this.base.client), tuned: new GenerationTrial(() => this.tuned.client) };
  }

  languageModel(role: LanguageModelRole): ModelSlot<Generator> {
    return role === 'base' ? this.base : this.tuned;
  }

  /** The language model of `role`, ready to generate; throws a NotReadyError saying what to load. */
  async acquire(role: LanguageModelRole): Promise<Generator> {
    const slot = this.languageModel(role);
    if (!slot.loaded) throw new NotReadyError(`Load the ${slot.defaults.title.toLowerCase()} on the Models page first.`);
    return slot.client;
  }
}
