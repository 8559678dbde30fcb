// A language model behind an OpenAI-compatible chat endpoint (Ollama, LM Studio, llama.cpp, vLLM, a hosted API),
// behind the Generator interface's `generate`. Streams server-sent events when the server does, reads a plain JSON
// reply when it does not, and words HTTP, network and CORS failures so the user knows what to fix.
// NOTE: everything sent here leaves the browser: the UI must say so before the user turns it on.
import { messageOf } from '../core/errors';
import { generationTimings, type ChatMessage, type GenerationResult, type GenerationSettings, type StopReason } from '../core/generation';
import type { TokenProgress } from '../workers/llm/protocol';
import type { Generator } from './generator';

/** Where the endpoint is and how to call it. */
export interface RemoteConfig {
  /** Base URL up to and including the API version, e.g. `http://localhost:11434/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer …` when not empty. */
  apiKey?: string;
}

export type RemoteProblem = 'config' | 'auth' | 'not-found' | 'network' | 'http' | 'bad-response';

/** A remote generation failed; the message says what to check. */
export class RemoteGeneratorError extends Error {
  override name = 'RemoteGeneratorError';
  constructor(
    message: string,
    readonly problem: RemoteProblem,
    readonly status?: number,
  ) {
    super(message);
  }
}

type Hooks = { signal?: AbortSignal; onToken?: (t: TokenProgress) => void };

/** One decoded `data:` event of a chat completion stream. */
export type StreamEvent = { done: true } | { done: false; text: string; finishReason: string | null; error?: string };

/** The endpoint URL for a base URL: trailing slashes dropped, `/chat/completions` appended once. */
export function chatCompletionsUrl(baseUrl: string): string {
  const base = baseUrl.trim().replace(/\/+$/, '');
  return base.endsWith('/chat/completions') ? base : `${base}/chat/completions`;
}

/**
 * Splits a server-sent event stream into `data:` payloads as bytes arrive: `push` takes the next piece of text and
 * returns the events completed by it; `end` flushes a last event not followed by a blank line.
 */
export function createSseParser(): { push(text: string): StreamEvent[]; end(): StreamEvent[] } {
  let buffer = '';
  let data: string[] = [];
  /** The last piece ended in CR: a LF opening the next piece is the second half of that CRLF, not a blank line. */
  let afterCr = false;
  const flush = (out: StreamEvent[]) => {
    if (data.length > 0) out.push(parseStreamData(data.join('\n')));
    data = [];
  };
  const lines = (out: StreamEvent[], final: boolean) => {
    const parts = buffer.split(/\r\n|\r|\n/);
    buffer = final ? '' : parts.pop()!;
    for (const line of parts) {
      if (line === '') flush(out);
      else if (line === 'data' || line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      // Comments (":"), `event:`, `id:` and `retry:` lines carry nothing a chat stream needs.
    }
  };
  return {
    push(text) {
      const out: StreamEvent[] = [];
      if (!text) return out;
      if (afterCr && text.startsWith('\n')) text = text.slice(1);
      afterCr = text.endsWith('\r');
      buffer += text;
      lines(out, false);
      return out;
    },
    end() {
      const out: StreamEvent[] = [];
      if (buffer) buffer += '\n';
      lines(out, true);
      flush(out);
      return out;
    },
  };
}

/** One `data:` payload: `[DONE]`, or a chunk whose `choices[0].delta.content` holds the next piece of text. */
export function parseStreamData(payload: string): StreamEvent {
  if (payload.trim() === '[DONE]') return { done: true };
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    throw new RemoteGeneratorError(`The endpoint streamed something that is not JSON: ${shorten(payload)}`, 'bad-response');
  }
  const error = errorText(json);
  if (error) return { done: false, text: '', finishReason: null, error };
  const choice = (json as { choices?: { delta?: { content?: unknown }; finish_reason?: unknown }[] }).choices?.[0];
  const content = choice?.delta?.content;
  return { done: false, text: typeof content === 'string' ? content : '', finishReason: typeof choice?.finish_reason === 'string' ? choice.finish_reason : null };
}

/** Maps a failed HTTP response to an error that says what to check. */
export function httpError(status: number, body: string, url: string, model: string): RemoteGeneratorError {
  const detail = errorText(safeJson(body)) ?? shorten(body.trim());
  const suffix = detail ? ` The server said: ${detail}` : '';
  if (status === 401 || status === 403) {
    return new RemoteGeneratorError(`The endpoint refused the request (HTTP ${status}): check the API key.${suffix}`, 'auth', status);
  }
  if (status === 404) {
    return new RemoteGeneratorError(
      `Nothing answered at ${url} for model "${model}" (HTTP 404): check the base URL (it usually ends in /v1) and the model name.${suffix}`,
      'not-found',
      status,
    );
  }
  return new RemoteGeneratorError(`The endpoint answered HTTP ${status}.${suffix}`, 'http', status);
}

/** Calls an OpenAI-compatible `/chat/completions` endpoint; only `generate` of the Generator interface. */
export class RemoteGenerator implements Pick<Generator, 'generate'> {
  constructor(
    private readonly config: RemoteConfig,
    private readonly fetcher: typeof fetch = (...args) => globalThis.fetch(...args),
  ) {}

  /** Streams the reply through `onToken`; aborting `signal` stops it and resolves with the partial text. */
  async generate(messages: ChatMessage[], settings: GenerationSettings, hooks: Hooks = {}): Promise<GenerationResult> {
    const { model, apiKey } = this.config;
    if (!this.config.baseUrl.trim()) throw new RemoteGeneratorError('Enter the base URL of the endpoint, e.g. http://localhost:11434/v1.', 'config');
    if (!model.trim()) throw new RemoteGeneratorError('Enter the name of the model the endpoint should run.', 'config');
    const url = chatCompletionsUrl(this.config.baseUrl);
    const start = performance.now();
    const reply = { text: '', tokens: 0, first: null as number | null, stop: 'eos' as StopReason };
    const add = (text: string) => {
      if (!text) return;
      reply.first ??= performance.now();
      reply.text += text;
      reply.tokens++;
      hooks.onToken?.({ text, tokens: reply.tokens });
    };
    let answered = false;
    const finish = (): GenerationResult => ({ text: reply.text, tokens: reply.tokens, stoppedBy: reply.stop, ...generationTimings(start, reply.first, performance.now(), reply.tokens) });

    try {
      // 1. Ask for a stream; servers that ignore `stream` answer with one JSON object, read below.
      const response = await this.fetcher(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(apiKey?.trim() ? { Authorization: `Bearer ${apiKey.trim()}` } : {}) },
        body: JSON.stringify({
          model: model.trim(),
          messages,
          max_tokens: settings.maxNewTokens,
          temperature: settings.greedy ? 0 : settings.temperature,
          top_p: settings.greedy ? 1 : settings.topP,
          stream: true,
        }),
        signal: hooks.signal,
      });
      answered = true;
      if (!response.ok) throw httpError(response.status, await response.text().catch(() => ''), url, model);
      // 2. A stream: text as it arrives, until [DONE] or the end of the body.
      if ((response.headers.get('content-type') ?? '').includes('text/event-stream') && response.body) {
        await readStream(response.body, (event) => {
          if (event.done) return true;
          if (event.error) throw new RemoteGeneratorError(`The endpoint reported an error: ${event.error}`, 'bad-response');
          add(event.text);
          if (event.finishReason === 'length') reply.stop = 'max-tokens';
          return false;
        });
        return finish();
      }
      // 3. Not a stream: one chat completion.
      const body = await response.text();
      const json = safeJson(body);
      const error = errorText(json);
      if (error) throw new RemoteGeneratorError(`The endpoint reported an error: ${error}`, 'bad-response');
      const choice = (json as { choices?: { message?: { content?: unknown }; finish_reason?: unknown }[] } | undefined)?.choices?.[0];
      if (typeof choice?.message?.content !== 'string') {
        throw new RemoteGeneratorError(`The endpoint's reply is not a chat completion (no choices[0].message.content): ${shorten(body)}`, 'bad-response');
      }
      add(choice.message.content);
      if (choice.finish_reason === 'length') reply.stop = 'max-tokens';
      return finish();
    } catch (error) {
      if (hooks.signal?.aborted) {
        reply.stop = 'user';
        return finish();
      }
      if (error instanceof RemoteGeneratorError) throw error;
      throw networkError(url, error, answered);
    }
  }
}

/** Feeds the body's events to `onEvent` until it returns true (done) or the body ends. */
async function readStream(body: ReadableStream<Uint8Array>, onEvent: (event: StreamEvent) => boolean): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = createSseParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const events = done ? [...parser.push(decoder.decode()), ...parser.end()] : parser.push(decoder.decode(value, { stream: true }));
      for (const event of events) if (onEvent(event)) return;
      if (done) return;
    }
  } finally {
    // NOTE: closes the connection when [DONE] came before the body ended; a failure here was already thrown by read().
    reader.cancel().catch(() => undefined);
  }
}

function networkError(url: string, error: unknown, answered: boolean): RemoteGeneratorError {
  const reason = messageOf(error);
  if (answered) return new RemoteGeneratorError(`The connection to ${url} broke off during the reply (${reason}).`, 'network');
  return new RemoteGeneratorError(
    `Could not reach ${url} (${reason}). Check that the server is running and the URL is right, and that it allows ` +
      `requests from this page (CORS): for Ollama set OLLAMA_ORIGINS to this page's origin; in LM Studio turn on CORS.`,
    'network',
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The message of an OpenAI-style `{"error": {"message": …}}` or `{"error": "…"}` body, if any. */
function errorText(json: unknown): string | undefined {
  if (!json || typeof json !== 'object' || !('error' in json)) return undefined;
  const error = (json as { error: unknown }).error;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') return error.message;
  return error ? JSON.stringify(error) : undefined;
}

function shorten(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
