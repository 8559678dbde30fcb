// The generation worker's API: load a causal LM, stream a chat reply token by token, stop on request.
import type { ChatMessage, GenerationResult, GenerationSettings } from '../../core/generation';
import type { LoadMethod, SettingsMethod } from '../models/protocol';

export interface GenerateParams {
  messages: ChatMessage[];
  settings: GenerationSettings;
}

/** One streamed piece of text. */
export interface TokenProgress {
  text: string;
  tokens: number;
}

export type LlmApi = {
  configure: SettingsMethod;
  load: LoadMethod;
  generate: { params: GenerateParams; result: GenerationResult; progress: TokenProgress };
  applyTemplate: { params: { messages: ChatMessage[] }; result: string; progress: never };
};
