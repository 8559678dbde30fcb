// Settings of the optional remote generator (an OpenAI-compatible endpoint): base URL and model in one
// localStorage entry, the API key in its own entry so nothing that saves or exports settings ever carries it.
// The key lives in sessionStorage (gone when the tab closes) unless the user ticks "Remember on this device".
import { RemoteGenerator, type RemoteConfig } from '../clients/remote-generator';
import { safeLocalStorage, safeSessionStorage } from './storage';

/** NOTE: DO NOT CHANGE WITHOUT A MIGRATION: stored settings are read back under these keys. */
export const REMOTE_SETTINGS_KEY = 'raft-playground:remote-generator:v1';
export const REMOTE_API_KEY_KEY = 'raft-playground:remote-generator-api-key:v1';

/** A local Ollama, the most common OpenAI-compatible server on a laptop. */
export const DEFAULT_REMOTE_URL = 'http://localhost:11434/v1';

export class RemoteSettings {
  #baseUrl = $state(DEFAULT_REMOTE_URL);
  #model = $state('');
  #apiKey = $state('');
  #rememberKey = $state(false);

  /** `storage` keeps the settings (and a remembered key); `session` keeps the key until the tab closes. */
  constructor(
    private readonly storage: Storage | null = safeLocalStorage(),
    private readonly session: Storage | null = safeSessionStorage(),
  ) {
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
    // A key already in localStorage (stored before the choice existed, or remembered) stays remembered.
    const remembered = this.#read(this.storage);
    this.#rememberKey = remembered !== null;
    this.#apiKey = remembered ?? this.#read(this.session) ?? '';
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

  /** Kept until the tab closes (sessionStorage), or in this browser's localStorage when `rememberKey` is on. */
  get apiKey(): string {
    return this.#apiKey;
  }
  set apiKey(value: string) {
    this.#apiKey = value;
    this.#storeKey();
  }

  /** "Remember on this device": on, the key moves to localStorage; off, it is deleted there and kept for this tab only. */
  get rememberKey(): boolean {
    return this.#rememberKey;
  }
  set rememberKey(value: boolean) {
    this.#rememberKey = value;
    this.#storeKey();
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

  /** The key in the chosen place, and nowhere else. */
  #storeKey(): void {
    const [keep, drop] = this.#rememberKey ? [this.storage, this.session] : [this.session, this.storage];
    this.#write(() => drop?.removeItem(REMOTE_API_KEY_KEY));
    this.#write(() => (this.#apiKey ? keep?.setItem(REMOTE_API_KEY_KEY, this.#apiKey) : keep?.removeItem(REMOTE_API_KEY_KEY)));
  }

  #read(from: Storage | null): string | null {
    try {
      return from?.getItem(REMOTE_API_KEY_KEY) || null;
    } catch {
      return null;
    }
  }

  #write(write: () => void): void {
    try {
      write();
    } catch {
      // Storage full or blocked: the value still applies for this visit.
    }
  }
}
