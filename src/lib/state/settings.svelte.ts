// User settings (theme, compute backend, Hub downloads, language models held in memory), persisted in localStorage under one
// versioned key and applied to the page as they change.
import type { DevicePreference } from '../core/models';
import { parseThreadsPreference, type ThreadsPreference } from '../core/threads';
import { parseStoredObject, safeLocalStorage } from './storage';

export type Theme = 'system' | 'light' | 'dark';
/** `both`: the base and fine-tuned models stay loaded side by side; `one`: only the one in use is held. */
export type LanguageModelMemory = 'both' | 'one';

/** NOTE: DO NOT CHANGE WITHOUT A MIGRATION: stored settings are read back under this key. */
export const SETTINGS_KEY = 'raft-playground:settings:v1';

export interface SettingsData {
  theme: Theme;
  /** Where models run: `auto` prefers WebGPU and falls back to WASM. */
  device: DevicePreference;
  /** When false only the app's own origin and local folders are read. */
  allowHub: boolean;
  /** How many language models are held in memory at once. */
  languageModels: LanguageModelMemory;
  /** ONNX Runtime Web's threads: 0 automatic (cores, at most 8), else 1..16. */
  threads: ThreadsPreference;
}

export const DEFAULT_SETTINGS: SettingsData = { theme: 'system', device: 'auto', allowHub: true, languageModels: 'both', threads: 0 };

const THEMES: readonly Theme[] = ['system', 'light', 'dark'];
const DEVICES: readonly DevicePreference[] = ['auto', 'webgpu', 'wasm'];
const MEMORY: readonly LanguageModelMemory[] = ['both', 'one'];

/** Reads stored settings, keeping defaults for anything missing or invalid. */
export function parseSettings(raw: string | null): SettingsData {
  const stored: Partial<Record<keyof SettingsData, unknown>> = parseStoredObject(raw);
  return {
    theme: THEMES.includes(stored.theme as Theme) ? (stored.theme as Theme) : DEFAULT_SETTINGS.theme,
    device: DEVICES.includes(stored.device as DevicePreference) ? (stored.device as DevicePreference) : DEFAULT_SETTINGS.device,
    allowHub: typeof stored.allowHub === 'boolean' ? stored.allowHub : DEFAULT_SETTINGS.allowHub,
    languageModels: MEMORY.includes(stored.languageModels as LanguageModelMemory) ? (stored.languageModels as LanguageModelMemory) : DEFAULT_SETTINGS.languageModels,
    threads: parseThreadsPreference(stored.threads),
  };
}

export class Settings {
  #data = $state<SettingsData>(DEFAULT_SETTINGS);
  /** The thread preference this page started with: what every worker of this visit runs (ORT fixes it once). */
  readonly threadsAtStart: ThreadsPreference;

  constructor(private readonly storage: Storage | null = safeLocalStorage()) {
    this.#data = parseSettings(this.storage?.getItem(SETTINGS_KEY) ?? null);
    this.threadsAtStart = this.#data.threads;
    applyTheme(this.#data.theme);
  }

  get theme(): Theme {
    return this.#data.theme;
  }
  set theme(theme: Theme) {
    this.#update({ theme });
    applyTheme(theme);
  }

  get device(): DevicePreference {
    return this.#data.device;
  }
  set device(device: DevicePreference) {
    this.#update({ device });
  }

  get allowHub(): boolean {
    return this.#data.allowHub;
  }
  set allowHub(allowHub: boolean) {
    this.#update({ allowHub });
  }

  get languageModels(): LanguageModelMemory {
    return this.#data.languageModels;
  }
  set languageModels(languageModels: LanguageModelMemory) {
    this.#update({ languageModels });
  }

  /** Applies from the next page load (see threadsAtStart). */
  get threads(): ThreadsPreference {
    return this.#data.threads;
  }
  set threads(threads: ThreadsPreference) {
    this.#update({ threads });
  }

  #update(change: Partial<SettingsData>): void {
    this.#data = { ...this.#data, ...change };
    try {
      this.storage?.setItem(SETTINGS_KEY, JSON.stringify(this.#data));
    } catch {
      // Storage full or blocked: the setting still applies for this visit.
    }
  }
}

/** `system` follows prefers-color-scheme; `light`/`dark` override it through `data-theme`. */
function applyTheme(theme: Theme): void {
  if (typeof document === 'undefined') return;
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}
