// Types and defaults for chat generation, shared by the generation worker, its client and the UI.

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerationSettings {
  /** 1..4096 */
  maxNewTokens: number;
  /** 0..2; ignored when `greedy` */
  temperature: number;
  /** 0..1; ignored when `greedy` */
  topP: number;
  /** Greedy decoding: deterministic, used for evaluation. */
  greedy: boolean;
}

export const DEFAULT_GENERATION: GenerationSettings = { maxNewTokens: 256, temperature: 0.7, topP: 0.9, greedy: true };

export type StopReason = 'eos' | 'max-tokens' | 'user';

export interface GenerationResult {
  text: string;
  /** New tokens generated. */
  tokens: number;
  timeToFirstTokenMs: number;
  totalMs: number;
  tokensPerSecond: number;
  stoppedBy: StopReason;
}

/** Timing figures from the moments a generation started, saw its first token and ended. */
export function generationTimings(startMs: number, firstTokenMs: number | null, endMs: number, tokens: number) {
  const totalMs = endMs - startMs;
  const timeToFirstTokenMs = (firstTokenMs ?? endMs) - startMs;
  // Decode rate after the first token, which also pays for the prompt.
  const decodeMs = endMs - (firstTokenMs ?? endMs);
  const tokensPerSecond = tokens > 1 && decodeMs > 0 ? ((tokens - 1) * 1000) / decodeMs : tokens > 0 && totalMs > 0 ? (tokens * 1000) / totalMs : 0;
  return { totalMs, timeToFirstTokenMs, tokensPerSecond };
}
