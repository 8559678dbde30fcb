// One loader card's state: the load itself (progress, errors, what got loaded), keeping a picked folder in the
// browser, remembering the last load across reloads, and releasing the model's worker to save memory (it reloads
// from the same source when needed). The form it loads from (source, device, dtype) is ModelSourceForm.
import type { LoadableModel } from '../clients/model-client';
import { isDemoModelUrl } from '../config/demo-models';
import type { ModelRole } from '../config/models';
import { CancelledError, isCancelled, messageOf, ModelLoadError, WorkerCrashedError } from '../core/errors';
import type { LoadOptions, ModelFile, ModelSource } from '../core/models';
import { formatSize } from '../core/onnx/model-fit';
import { describeChoice, dtypeChange, type LoadChoice } from '../core/load-choice';
import type { LoadedModel, LoadProgress } from '../core/model-status';
import { ModelSourceForm, type FormDeps, type Plan } from './model-source-form.svelte';
import { canLoadAgain, type RememberedLoad, type RememberedModels, type RememberedSource } from './remembered-models';

export type { SourceKind } from './model-source-form.svelte';
export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'error';

/** The part of a model client the loader needs. */
export type LoadableClient = LoadableModel;

export interface SlotDeps<C> extends FormDeps {
  create: () => C;
  remembered: RememberedModels;
  /** Runs before a load starts (e.g. releasing the other language model under "one at a time"); `signal` aborts when the load is cancelled. */
  beforeLoad?: (signal: AbortSignal) => Promise<void>;
  /** Words a load failure for the card (e.g. adds advice on memory). */
  explain?: (error: unknown) => string;
}

/** How a load runs: rethrow its error (the memory rule), make room first, and the form's choice (null: the last load's). */
type RunHow = { rethrow: boolean; makeRoom: boolean; choice: LoadChoice | null };

export class ModelSlot<C extends LoadableClient> extends ModelSourceForm {
  status = $state<LoadStatus>('idle');
  progress = $state.raw<LoadProgress | null>(null);
  error = $state('');
  notice = $state('');
  loaded = $state.raw<LoadedModel | null>(null);
  /** The model's worker was stopped to save memory; it reloads from the same source when needed. */
  released = $state(false);
  /** Where the loaded model's device and dtype came from, in words ("Device Auto, from Settings; dtype q8, …"). */
  chosen = $state('');
  /** What this card loaded last, possibly in an earlier visit. */
  remembered = $state.raw<RememberedLoad | null>(null);
  #controller: AbortController | null = null;
  #client: C | null = null;
  #last: Plan | null = null;
  #pending: Promise<void> | null = null;
  #busy = 0;
  #idle: (() => void)[] = [];

  constructor(
    role: ModelRole,
    private readonly deps: SlotDeps<C>,
  ) {
    super(role, deps);
    this.remembered = deps.remembered.get(role);
    if (this.remembered) this.fillForm(this.remembered);
  }

  /** The client, created on first use: no worker starts before the user loads something. */
  get client(): C {
    this.#client ??= this.deps.create();
    return this.#client;
  }

  /** The loaded model is one of the demo models shipped with the app (the card says what they are). */
  get isDemo(): boolean {
    const source = this.remembered?.source;
    return !!this.loaded && source?.kind === 'url' && isDemoModelUrl(source.url);
  }

  /** Whether "Load again" can reload the last model without the user picking anything. */
  get canLoadAgain(): boolean {
    return !!this.#last || (!!this.remembered && canLoadAgain(this.remembered.source));
  }

  /** Loads what the form describes. */
  load(): Promise<void> {
    const choice = this.choice;
    return this.#start(() => this.planFromForm(), { rethrow: false, makeRoom: true, choice });
  }

  /** Loads the last model again: the same files in this visit, else the remembered Hub id, URL or saved folder. */
  loadAgain(): Promise<void> {
    return this.#start(() => this.#planAgain(), { rethrow: false, makeRoom: true, choice: null });
  }

  /**
   * Reloads a released model; rejects with the load's error. For the memory rule, which has already
   * made room: it does not run `beforeLoad`.
   */
  reload(): Promise<void> {
    return this.#start(() => this.#planAgain(), { rethrow: true, makeRoom: false, choice: null });
  }

  /**
   * The files of this card's last model when the user kept it in the browser and it is labelled `label`, else
   * null (not kept, or the kept copy was deleted in the model manager): what may load again by itself.
   */
  async keptFiles(label: string): Promise<ModelFile[] | null> {
    const last = this.remembered;
    if (last?.source.kind !== 'saved' || last.label !== label) return null;
    // NOTE: a copy that cannot be read is as good as not kept: the page then asks for the folder again.
    return this.deps.store.read(last.source.id).then(
      (saved) => saved.files,
      () => null,
    );
  }

  /** An error of the previous source (e.g. the Hub refused) does not belong to the new one. */
  protected override sourceChanged(): void {
    if (this.status !== 'error') return;
    this.error = '';
    this.status = this.loaded && !this.released ? 'loaded' : 'idle';
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

  #start(prepare: () => Promise<Plan>, how: RunHow): Promise<void> {
    const run = this.#run(prepare, how);
    this.#pending = run;
    return run;
  }

  async #run(prepare: () => Promise<Plan>, { rethrow, makeRoom, choice }: RunHow): Promise<void> {
    const previous = this.remembered?.dtype;
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
      await this.client.configure({ allowHub: this.deps.settings.allowHub, threads: this.deps.settings.threadsAtStart });
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
      // Say where the device and dtype came from, and when the dtype is not the last load's.
      const chose: LoadChoice = { ...(choice ?? { device: plan.options.device, deviceFrom: 'remembered', dtypeFrom: 'remembered', backend: loaded.device.device }), dtype: plan.options.dtype };
      this.chosen = describeChoice(chose);
      const notes = [loaded.warning, dtypeChange(previous, chose)];
      this.notice = [this.notice, ...notes].filter(Boolean).join(' ');
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

  async #planAgain(): Promise<Plan> {
    if (this.#last) return this.#last;
    const last = this.remembered;
    if (!last || !canLoadAgain(last.source)) throw new ModelLoadError('Nothing to load again: choose a model first.', 'invalid-source');
    const options: LoadOptions = { device: last.device, dtype: last.dtype };
    if (last.source.kind === 'saved') return this.savedPlan(last.source.id, options);
    return { source: last.source as ModelSource, options, remember: last.source, keep: false };
  }
}
