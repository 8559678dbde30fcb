// One loader card's state: the chosen source, device and dtype, the current load (progress, errors,
// what got loaded), keeping a picked folder in the browser, remembering the last load across reloads,
// and releasing the model's worker to save memory (it reloads from the same source when needed).
import type { Embedder } from '../clients/embedder';
import { MODEL_DEFAULTS, type ModelDefaults, type ModelRole } from '../config/models';
import { CancelledError, isCancelled, messageOf, ModelLoadError, WorkerCrashedError } from '../core/errors';
import { availableDtypes, DTYPES, onnxFileFor, parseHubId, type DevicePreference, type Dtype, type LoadOptions, type ModelFile, type ModelSource } from '../core/models';
import { formatSize } from '../core/onnx/model-fit';
import type { LoadedModel, LoadProgress } from '../core/model-status';
import type { Environment } from './environment.svelte';
import type { ModelStore } from './model-store.svelte';
import { canLoadAgain, type RememberedLoad, type RememberedModels, type RememberedSource } from './remembered-models';
import type { Settings } from './settings.svelte';

/** Where the card loads from: the three kinds of source, plus folders saved in this browser. */
export type SourceKind = ModelSource['kind'] | 'saved';
export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'error';

/** The part of a model client the loader needs. */
export type LoadableClient = Pick<Embedder, 'load' | 'setHubAllowed' | 'terminate'>;

export interface SlotDeps<C> {
  create: () => C;
  settings: Settings;
  env: Environment;
  store: ModelStore;
  remembered: RememberedModels;
  /** Runs before a load starts (e.g. releasing the other language model under "one at a time"); `signal` aborts when the load is cancelled. */
  beforeLoad?: (signal: AbortSignal) => Promise<void>;
  /** Words a load failure for the card (e.g. adds advice on memory). */
  explain?: (error: unknown) => string;
}

/** A load ready to run: the source, how to run it, and how to remember it. */
interface Plan {
  source: ModelSource;
  options: LoadOptions;
  remember: RememberedSource;
  /** Keep the picked files in the browser once loaded. */
  keep: boolean;
}

export class ModelSlot<C extends LoadableClient> {
  readonly defaults: ModelDefaults;
  sourceKind = $state<SourceKind>('hub');
  hubId = $state('');
  revision = $state('');
  folderUrl = $state('');
  folder = $state.raw<{ name: string; files: ModelFile[] } | null>(null);
  savedId = $state('');
  dtypeChoice = $state<Dtype | null>(null);
  deviceChoice = $state<DevicePreference | null>(null);
  /** "Keep this model in the browser" (local folders). */
  keep = $state(false);
  /** Dtypes a folder URL offers, once probed; null before. */
  urlDtypes = $state.raw<{ url: string; dtypes: Dtype[] } | null>(null);
  status = $state<LoadStatus>('idle');
  progress = $state.raw<LoadProgress | null>(null);
  error = $state('');
  notice = $state('');
  loaded = $state.raw<LoadedModel | null>(null);
  /** The model's worker was stopped to save memory; it reloads from the same source when needed. */
  released = $state(false);
  /** What this card loaded last, possibly in an earlier visit. */
  remembered = $state.raw<RememberedLoad | null>(null);
  #controller: AbortController | null = null;
  #client: C | null = null;
  #last: Plan | null = null;
  #pending: Promise<void> | null = null;
  #busy = 0;
  #idle: (() => void)[] = [];

  constructor(
    readonly role: ModelRole,
    private readonly deps: SlotDeps<C>,
  ) {
    this.defaults = MODEL_DEFAULTS[role];
    this.hubId = this.defaults.hubId;
    this.sourceKind = this.defaults.source;
    this.remembered = deps.remembered.get(role);
    if (this.remembered) this.#fillForm(this.remembered);
  }

  /** The card's device, or the Settings default until the user picks one. */
  get device(): DevicePreference {
    return this.deviceChoice ?? this.deps.settings.device;
  }
  set device(device: DevicePreference) {
    this.deviceChoice = device;
  }

  /** Dtypes the chosen folder has an ONNX file for; null when unknown (the Hub, an unprobed URL). */
  get availableDtypes(): Dtype[] | null {
    switch (this.sourceKind) {
      case 'files':
        return this.folder ? availableDtypes(this.folder.files.map((f) => f.path)) : null;
      case 'saved': {
        const saved = this.deps.store.saved.find((s) => s.id === this.savedId);
        return saved ? availableDtypes(saved.files.map((f) => f.path)) : null;
      }
      case 'url':
        return this.urlDtypes && this.urlDtypes.url === this.folderUrl.trim() ? this.urlDtypes.dtypes : null;
      case 'hub':
        return null;
    }
  }

  /** The picked dtype, else the backend's default, moved to one the folder has when it lacks that one. */
  get dtype(): Dtype {
    const preferred = this.dtypeChoice ?? this.defaults.dtype(this.deps.env.deviceFor(this.device));
    const available = this.availableDtypes;
    return !available?.length || available.includes(preferred) ? preferred : available[0];
  }
  set dtype(dtype: Dtype) {
    this.dtypeChoice = dtype;
  }

  /** The dtypes the dtype list offers. */
  get dtypeOptions(): readonly Dtype[] {
    const available = this.availableDtypes;
    return available?.length ? available : DTYPES;
  }

  /** The client, created on first use: no worker starts before the user loads something. */
  get client(): C {
    this.#client ??= this.deps.create();
    return this.#client;
  }

  /** Whether "Load again" can reload the last model without the user picking anything. */
  get canLoadAgain(): boolean {
    return !!this.#last || (!!this.remembered && canLoadAgain(this.remembered.source));
  }

  /** Asks a folder URL which dtypes it has (HEAD requests), for the dtype list. */
  async probeUrl(): Promise<void> {
    const url = this.folderUrl.trim();
    if (!url) return void (this.urlDtypes = null);
    try {
      const base = new URL(url.replace(/\/*$/, '/'), location.href);
      const found = await Promise.all(
        DTYPES.map(async (dtype) => ((await fetch(new URL(onnxFileFor(dtype), base), { method: 'HEAD' }).catch(() => null))?.ok ? dtype : null)),
      );
      if (this.folderUrl.trim() === url) this.urlDtypes = { url, dtypes: found.filter((d): d is Dtype => d !== null) };
    } catch {
      this.urlDtypes = null; // not a URL yet: Load will say so
    }
  }

  /** Loads what the form describes. */
  load(): Promise<void> {
    return this.#start(() => this.#planFromForm(), { rethrow: false, makeRoom: true });
  }

  /** Loads the last model again: the same files in this visit, else the remembered Hub id, URL or saved folder. */
  loadAgain(): Promise<void> {
    return this.#start(() => this.#planAgain(), { rethrow: false, makeRoom: true });
  }

  /**
   * Reloads a released model; rejects with the load's error. For the memory rule, which has already
   * made room: it does not run `beforeLoad`.
   */
  reload(): Promise<void> {
    return this.#start(() => this.#planAgain(), { rethrow: true, makeRoom: false });
  }

  /** Resolves once the load in progress (if any) is over. */
  async settled(): Promise<void> {
    await this.#pending?.catch(() => undefined);
  }

  cancel(): void {
    this.#controller?.abort();
  }

  /** Marks the model in use (a generation); release() waits until it is not. */
  hold(): void {
    this.#busy++;
  }
  unhold(): void {
    this.#busy = Math.max(0, this.#busy - 1);
    if (this.#busy === 0) this.#idle.splice(0).forEach((resolve) => resolve());
  }

  /** Stops the model's worker once it is idle, to free its memory; `loaded` stays to say what it was. */
  async release(): Promise<void> {
    if (!this.loaded || this.released) return;
    if (this.#busy > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    this.#client?.terminate();
    this.#client = null;
    this.released = true;
  }

  #start(prepare: () => Promise<Plan>, how: { rethrow: boolean; makeRoom: boolean }): Promise<void> {
    const run = this.#run(prepare, how);
    this.#pending = run;
    return run;
  }

  async #run(prepare: () => Promise<Plan>, { rethrow, makeRoom }: { rethrow: boolean; makeRoom: boolean }): Promise<void> {
    this.cancel();
    const controller = new AbortController();
    this.#controller = controller;
    this.status = 'loading';
    this.progress = null;
    this.error = '';
    this.notice = '';
    try {
      // 1. Validate the form (or read the saved folder) before starting any worker.
      const plan = await prepare();
      // 2. Make room if memory is short, tell the worker whether it may reach the Hub, then load.
      if (makeRoom) await this.deps.beforeLoad?.(controller.signal);
      if (controller.signal.aborted) throw new CancelledError('Model loading was cancelled.');
      await this.client.setHubAllowed(this.deps.settings.allowHub);
      const loaded = await this.client.load(plan.source, plan.options, {
        signal: controller.signal,
        onProgress: (p) => {
          if (this.#controller === controller) this.progress = p;
        },
      });
      if (this.#controller !== controller) return; // a newer load took over
      this.loaded = loaded;
      this.released = false;
      this.status = 'loaded';
      // 3. Keep the picked folder if asked, and remember the load for this visit and the next.
      const remember = plan.keep ? await this.#keep(plan) : plan.remember;
      this.#last = { ...plan, remember, keep: false };
      if (loaded.warning) this.notice = [this.notice, loaded.warning].filter(Boolean).join(' ');
      this.remembered = { source: remember, dtype: plan.options.dtype, device: plan.options.device, label: loaded.label };
      this.deps.remembered.set(this.role, this.remembered);
    } catch (error) {
      if (this.#controller !== controller) return;
      // NOTE: a cancelled load may fail otherwise first (its worker released to make room): it is still a cancel.
      if (isCancelled(error) || controller.signal.aborted) {
        this.notice = 'Loading cancelled.';
        this.status = this.loaded && !this.released ? 'loaded' : 'idle';
      } else {
        this.#dropCrashedWorker(error);
        this.error = this.deps.explain ? this.deps.explain(error) : messageOf(error);
        this.status = 'error';
      }
      if (rethrow) throw error;
    } finally {
      if (this.#controller === controller) this.#controller = null;
      void this.deps.env.refreshStorage();
    }
  }

  /** A worker that crashed (often out of memory) holds nothing: the next load starts a fresh one. */
  #dropCrashedWorker(error: unknown): void {
    if (!(error instanceof WorkerCrashedError)) return;
    this.#client?.terminate();
    this.#client = null;
    this.loaded = null;
  }

  async #keep(plan: Plan): Promise<RememberedSource> {
    if (plan.source.kind !== 'files') return plan.remember;
    try {
      const saved = await this.deps.store.save(plan.source.name, plan.source.files);
      this.notice = `Kept in this browser (${formatSize(saved.bytes)}): next time, choose it under “Saved in this browser”.`;
      this.savedId = saved.id;
      return { kind: 'saved', id: saved.id, name: saved.name };
    } catch (error) {
      this.notice = `Loaded, but not kept in the browser: ${messageOf(error)}`;
      return plan.remember;
    }
  }

  async #planFromForm(): Promise<Plan> {
    const options: LoadOptions = { device: this.device, dtype: this.dtype };
    switch (this.sourceKind) {
      case 'hub': {
        const parsed = parseHubId(this.hubId);
        if (!parsed) throw new ModelLoadError(`"${this.hubId.trim()}" is not a Hub model id: write it as owner/name, e.g. ${this.defaults.hubId || MODEL_DEFAULTS.base.hubId}.`, 'invalid-source');
        const revision = this.revision.trim() || parsed.revision;
        const source: ModelSource = revision ? { kind: 'hub', id: parsed.id, revision } : { kind: 'hub', id: parsed.id };
        return { source, options, remember: source as RememberedSource, keep: false };
      }
      case 'url': {
        const url = this.folderUrl.trim();
        if (!url) throw new ModelLoadError('Enter the URL of a model folder first.', 'invalid-source');
        return { source: { kind: 'url', url }, options, remember: { kind: 'url', url }, keep: false };
      }
      case 'files': {
        if (!this.folder || this.folder.files.length === 0) throw new ModelLoadError('Choose or drop a model folder first.', 'invalid-source');
        const { name, files } = this.folder;
        return { source: { kind: 'files', name, files }, options, remember: { kind: 'files', name }, keep: this.keep };
      }
      case 'saved':
        if (!this.savedId) throw new ModelLoadError('Choose a model saved in this browser first.', 'invalid-source');
        return this.#savedPlan(this.savedId, options);
    }
  }

  async #planAgain(): Promise<Plan> {
    if (this.#last) return this.#last;
    const last = this.remembered;
    if (!last || !canLoadAgain(last.source)) throw new ModelLoadError('Nothing to load again: choose a model first.', 'invalid-source');
    const options: LoadOptions = { device: last.device, dtype: last.dtype };
    if (last.source.kind === 'saved') return this.#savedPlan(last.source.id, options);
    return { source: last.source as ModelSource, options, remember: last.source, keep: false };
  }

  async #savedPlan(id: string, options: LoadOptions): Promise<Plan> {
    const { name, files } = await this.deps.store.read(id);
    return { source: { kind: 'files', name, files }, options, remember: { kind: 'saved', id, name }, keep: false };
  }

  #fillForm(last: RememberedLoad): void {
    const { source } = last;
    this.sourceKind = source.kind;
    if (source.kind === 'hub') {
      this.hubId = source.id;
      this.revision = source.revision ?? '';
    } else if (source.kind === 'url') {
      this.folderUrl = source.url;
    } else if (source.kind === 'saved') {
      this.savedId = source.id;
    }
    this.dtypeChoice = last.dtype;
    if (last.device !== this.deps.settings.device) this.deviceChoice = last.device;
  }
}
