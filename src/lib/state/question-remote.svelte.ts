// Settings of the optional remote generator (an OpenAI-compatible endpoint): base URL and model in one
// localStorage entry, the API key in its own entry so nothing that saves or exports settings ever carries it.
import { RemoteGenerator, type RemoteConfig } from '../clients/remote-generator';
import { safeLocalStorage } from './storage';

/** NOTE: DO NOT CHANGE WITHOUT A MIGRATION: stored settings are read back under these keys. */
export const REMOTE_SETTINGS_KEY = 'raft-playground:remote-generator:v1';
export const REMOTE_API_KEY_KEY = 'raft-playground:remote-generator-api-key:v1';

/** A local Ollama, the most common OpenAI-compatible server on a laptop. */
export const DEFAULT_REMOTE_URL = 'http://localhost:11434/v1';

export class RemoteSettings {
  #baseUrl = $state(DEFAULT_REMOTE_URL);
  #model = $state('');
  #apiKey = $state('');

  constructor(private readonly storage: Storage | null = safeLocalStorage()) {
    try {
      const stored: unknown = JSON.parse(this.storage?.getItem(REMOTE_SETTINGS_KEY) ?? '{}');
      if (stored && typeof stored === 'object') {
        const { baseUrl, model } = stored as Record<string, unknown>;
        if (typeof baseUrl === 'string') this.#baseUrl = baseUrl;
        if (typeof model === 'string') this.#model = model;
      }
    } catch {
      // A corrupt entry: the defaults stand and the next change overwrites it.
    }
    this.#apiKey = this.storage?.getItem(REMOTE_API_KEY_KEY) ?? '';
  }

  get baseUrl(): string {
    return this.#baseUrl;
  }
  set baseUrl(value: string) {
    this.#baseUrl = value;
    this.#saveSettings();
  }

  get model(): string {
    return this.#model;
  }
  set model(value: string) {
    this.#model = value;
    this.#saveSettings();
  }

  /** Kept only in this browser's localStorage, under its own key. */
  get apiKey(): string {
    return this.#apiKey;
  }
  set apiKey(value: string) {
    this.#apiKey = value;
    this.#write(() => (value ? this.storage?.setItem(REMOTE_API_KEY_KEY, value) : this.storage?.removeItem(REMOTE_API_KEY_KEY)));
  }

  get config(): RemoteConfig {
    return { baseUrl: this.#baseUrl, model: this.#model, apiKey: this.#apiKey };
  }

  /** What is missing before a request can be made, or null. */
  get incomplete(): string | null {
    if (!this.#baseUrl.trim()) return 'Enter the base URL of the endpoint.';
    if (!this.#model.trim()) return 'Enter the model name.';
    return null;
  }

  generator(): RemoteGenerator {
    return new RemoteGenerator(this.config);
  }

  #saveSettings(): void {
    this.#write(() => this.storage?.setItem(REMOTE_SETTINGS_KEY, JSON.stringify({ baseUrl: this.#baseUrl, model: this.#model })));
  }

  #write(write: () => void): void {
    try {
      write();
    } catch {
      // Storage full or blocked: the value still applies for this visit.
    }
  }
}
