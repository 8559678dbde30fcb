// The app's language model: a worker running a causal LM, behind the Generator interface.
import type { ChatMessage, GenerationResult, GenerationSettings } from '../core/generation';
import type { LlmApi, TokenProgress } from '../workers/llm/protocol';
import type { Endpoint } from '../workers/rpc';
import { ModelClientBase, type LoadableModel } from './model-client';

export interface Generator extends LoadableModel {
  /** Streams the reply through `onToken`; aborting `signal` stops it and resolves with the partial text. */
  generate(
    messages: ChatMessage[],
    settings: GenerationSettings,
    hooks?: { signal?: AbortSignal; onToken?: (t: TokenProgress) => void },
  ): Promise<GenerationResult>;
  applyTemplate(messages: ChatMessage[]): Promise<string>;
}

export class GeneratorClient extends ModelClientBase<LlmApi> implements Generator {
  constructor(endpoint?: Endpoint, dispose?: () => void) {
    super(endpoint ?? (() => new Worker(new URL('../workers/llm/llm.worker.ts', import.meta.url), { type: 'module', name: 'generator' })), dispose);
  }

  generate(messages: ChatMessage[], settings: GenerationSettings, hooks: { signal?: AbortSignal; onToken?: (t: TokenProgress) => void } = {}) {
    return this.client.call('generate', { messages, settings }, { signal: hooks.signal, onProgress: hooks.onToken });
  }

  applyTemplate(messages: ChatMessage[]) {
    return this.client.call('applyTemplate', { messages });
  }
}
