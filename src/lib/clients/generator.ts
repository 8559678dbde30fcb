// The app's language model: a worker running a causal LM, behind the Generator interface.
import type { ChatMessage, GenerationResult, GenerationSettings } from '../core/generation';
import type { LoadOptions, ModelSource } from '../core/models';
import type { LlmApi, TokenProgress } from '../workers/llm/protocol';
import type { LoadedModel, LoadProgress } from '../workers/models/protocol';
import { ModelWorkerClient } from './model-client';
import type { Endpoint } from '../workers/rpc';

export interface Generator {
  load(source: ModelSource, options: LoadOptions, hooks?: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void }): Promise<LoadedModel>;
  /** Streams the reply through `onToken`; aborting `signal` stops it and resolves with the partial text. */
  generate(
    messages: ChatMessage[],
    settings: GenerationSettings,
    hooks?: { signal?: AbortSignal; onToken?: (t: TokenProgress) => void },
  ): Promise<GenerationResult>;
  applyTemplate(messages: ChatMessage[]): Promise<string>;
  setHubAllowed(allowHub: boolean): Promise<void>;
  terminate(): void;
}

export class GeneratorClient implements Generator {
  private readonly client: ModelWorkerClient<LlmApi>;

  constructor(endpoint?: Endpoint, dispose?: () => void) {
    this.client = new ModelWorkerClient<LlmApi>(endpoint ?? (() => new Worker(new URL('../workers/llm/llm.worker.ts', import.meta.url), { type: 'module', name: 'generator' })), dispose);
  }

  load(source: ModelSource, options: LoadOptions, hooks: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void } = {}) {
    return this.client.call('load', { source, options }, hooks);
  }

  generate(messages: ChatMessage[], settings: GenerationSettings, hooks: { signal?: AbortSignal; onToken?: (t: TokenProgress) => void } = {}) {
    return this.client.call('generate', { messages, settings }, { signal: hooks.signal, onProgress: hooks.onToken });
  }

  applyTemplate(messages: ChatMessage[]) {
    return this.client.call('applyTemplate', { messages });
  }

  setHubAllowed(allowHub: boolean) {
    return this.client.call('configure', { allowHub });
  }

  terminate() {
    this.client.terminate();
  }
}
