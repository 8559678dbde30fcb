// A loader card's form: the source (Hub id and revision, folder URL, picked folder, folder saved in this browser),
// device and dtype, the dtypes a folder offers, and turning the form, or a remembered load, into a plan to load,
// with errors that say what to fill in. ModelSlot adds the load itself to this.
import { MODEL_DEFAULTS, type ModelDefaults, type ModelRole } from '../config/models';
import { ModelLoadError } from '../core/errors';
import { defaultDtype, dtypeSizes } from '../core/dtype-choice';
import { availableDtypes, DTYPES, onnxFileFor, parseHubId, type DevicePreference, type Dtype, type LoadOptions, type ModelFile, type ModelSource } from '../core/models';
import type { DtypeOrigin, LoadChoice } from '../core/load-choice';
import type { Environment } from './environment.svelte';
import type { ModelStore } from './model-store.svelte';
import type { RememberedLoad, RememberedSource } from './remembered-models';
import type { Settings } from './settings.svelte';

/** Where the card loads from: the three kinds of source, plus folders saved in this browser. */
export type SourceKind = ModelSource['kind'] | 'saved';

/** What the form reads besides its own fields. */
export interface FormDeps {
  settings: Settings;
  env: Environment;
  store: ModelStore;
}

/** A load ready to run: the source, how to run it, and how to remember it. */
export interface Plan {
  source: ModelSource;
  options: LoadOptions;
  remember: RememberedSource;
  /** Keep the picked files in the browser once loaded. */
  keep: boolean;
}

export class ModelSourceForm {
  readonly defaults: ModelDefaults;
  #sourceKind = $state<SourceKind>('hub');
  hubId = $state('');
  revision = $state('');
  folderUrl = $state('');
  #folder = $state.raw<{ name: string; files: ModelFile[] } | null>(null);
  savedId = $state('');
  dtypeChoice = $state<Dtype | null>(null);
  /** Whether `dtypeChoice` was picked on the card or came from the last load. */
  #dtypeFrom = $state<'card' | 'remembered'>('card');
  deviceChoice = $state<DevicePreference | null>(null);
  /** "Keep this model in the browser" (local folders). */
  keep = $state(false);
  /** Dtypes a folder URL offers, once probed, with their ONNX files' sizes where the server says (else 0); null before. */
  urlDtypes = $state.raw<{ url: string; dtypes: Dtype[]; sizes: { dtype: Dtype; bytes: number }[] } | null>(null);
  readonly #deps: FormDeps;

  constructor(
    readonly role: ModelRole,
    deps: FormDeps,
  ) {
    this.#deps = deps;
    this.defaults = MODEL_DEFAULTS[role];
    this.hubId = this.defaults.hubId;
    // NOTE: the field, not the setter: a subclass's sourceChanged() must not run before its own fields exist.
    this.#sourceKind = this.defaults.source;
  }

  /** Where the card loads from; choosing another source drops what the old one's failure said. */
  get sourceKind(): SourceKind {
    return this.#sourceKind;
  }
  set sourceKind(kind: SourceKind) {
    if (kind !== this.#sourceKind) this.sourceChanged();
    this.#sourceKind = kind;
  }

  /** The folder picked on the device (Local folder). */
  get folder(): { name: string; files: ModelFile[] } | null {
    return this.#folder;
  }
  set folder(folder: { name: string; files: ModelFile[] } | null) {
    if (folder !== this.#folder) this.sourceChanged();
    this.#folder = folder;
  }

  /** Called when the source changes, before it does (ModelSlot clears a stale error there). */
  protected sourceChanged(): void {}

  /** The card's device, or the Settings default until the user picks one. */
  get device(): DevicePreference {
    return this.deviceChoice ?? this.#deps.settings.device;
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
        const saved = this.#deps.store.saved.find((s) => s.id === this.savedId);
        return saved ? availableDtypes(saved.files.map((f) => f.path)) : null;
      }
      case 'url':
        return this.urlDtypes && this.urlDtypes.url === this.folderUrl.trim() ? this.urlDtypes.dtypes : null;
      case 'hub':
        return null;
    }
  }

  /** The dtypes the chosen folder has with the bytes of each; null when unknown (the Hub, an unprobed URL). */
  get folderDtypes(): { dtype: Dtype; bytes: number }[] | null {
    switch (this.sourceKind) {
      case 'files':
        return this.folder ? dtypeSizes(this.folder.files.map((f) => ({ path: f.path, size: f.blob.size }))) : null;
      case 'saved': {
        const saved = this.#deps.store.saved.find((s) => s.id === this.savedId);
        return saved ? dtypeSizes(saved.files) : null;
      }
      case 'url':
        return this.urlDtypes && this.urlDtypes.url === this.folderUrl.trim() ? this.urlDtypes.sizes : null;
      case 'hub':
        return null;
    }
  }

  /** The picked dtype (when the folder has it), else the default for the device and the sizes the folder has. */
  get dtype(): Dtype {
    const device = this.#deps.env.deviceFor(this.device);
    const folder = this.folderDtypes;
    if (this.dtypeChoice && (!folder?.length || folder.some((f) => f.dtype === this.dtypeChoice))) return this.dtypeChoice;
    return defaultDtype(device, this.defaults.dtype(device), folder);
  }
  set dtype(dtype: Dtype) {
    this.dtypeChoice = dtype;
    this.#dtypeFrom = 'card';
  }

  /** Where the device and dtype a load from the form would use come from, for the card to say. */
  get choice(): LoadChoice {
    const backend = this.#deps.env.deviceFor(this.device);
    const wanted = this.dtypeChoice ?? this.defaults.dtype(backend);
    const dtype = this.dtype;
    const dtypeFrom: DtypeOrigin = dtype !== wanted ? 'folder' : this.dtypeChoice === null ? 'default' : this.#dtypeFrom;
    return { device: this.device, deviceFrom: this.deviceChoice === null ? 'settings' : 'card', dtype, dtypeFrom, backend, ...(dtypeFrom === 'folder' ? { wanted } : {}) };
  }

  /** The dtypes the dtype list offers. */
  get dtypeOptions(): readonly Dtype[] {
    const available = this.availableDtypes;
    return available?.length ? available : DTYPES;
  }

  /** Asks a folder URL which dtypes it has (HEAD requests), for the dtype list. */
  async probeUrl(): Promise<void> {
    const url = this.folderUrl.trim();
    if (!url) return void (this.urlDtypes = null);
    try {
      const base = new URL(url.replace(/\/*$/, '/'), location.href);
      const found = await Promise.all(
        DTYPES.map(async (dtype) => {
          const head = await fetch(new URL(onnxFileFor(dtype), base), { method: 'HEAD' }).catch(() => null);
          return head?.ok ? { dtype, bytes: Number(head.headers.get('content-length')) || 0 } : null;
        }),
      );
      const sizes = found.filter((f): f is { dtype: Dtype; bytes: number } => f !== null);
      if (this.folderUrl.trim() === url) this.urlDtypes = { url, dtypes: sizes.map((f) => f.dtype), sizes };
    } catch {
      this.urlDtypes = null; // not a URL yet: Load will say so
    }
  }

  /** The form as a plan; a ModelLoadError ('invalid-source') says what to fill in. */
  protected async planFromForm(): Promise<Plan> {
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
        return this.savedPlan(this.savedId, options);
    }
  }

  /** A folder saved in this browser, read back as picked files. */
  protected async savedPlan(id: string, options: LoadOptions): Promise<Plan> {
    const { name, files } = await this.#deps.store.read(id);
    return { source: { kind: 'files', name, files }, options, remember: { kind: 'saved', id, name }, keep: false };
  }

  /** Puts a remembered load back into the form. */
  protected fillForm(last: RememberedLoad): void {
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
    this.#dtypeFrom = 'remembered';
    if (last.device !== this.#deps.settings.device) this.deviceChoice = last.device;
  }
}
