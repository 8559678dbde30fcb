// A local OpenAI-compatible server for tests: POST /v1/chat/completions answered by the project's tiny models
// (tests/models/tiny/<name>, chosen by the request's `model`) through the app's own LLM handler in-process, as
// `raft eval` runs them. `stream: true` gets server-sent events ending in `data: [DONE]`, `stream: false` one
// JSON object. Faults, set per test and changeable while it runs, make it fail the way real servers do.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { readModelFolder } from '../../src/cli/model-folder';
import { GeneratorClient } from '../../src/lib/clients/generator';
import { inProcessEndpoint } from '../../src/lib/clients/model-client';
import type { ChatMessage, GenerationSettings } from '../../src/lib/core/generation';
import { createLlmHandlers } from '../../src/lib/workers/llm/handler';

const MODELS_DIR = resolve(import.meta.dirname, '../models/tiny');

/**
 * How the server misbehaves. 'ok': it works. 'error-500': every request gets HTTP 500. 'hang': requests are never
 * answered. 'malformed': HTTP 200 with a body that is not JSON (or a stream whose data is not JSON).
 * `fail-first`: the first `count` requests get HTTP 500, then it works. `die-after`: after `count` answered
 * requests the next one has its socket destroyed and the server stops listening. 'crlf-split': a valid stream with
 * CRLF line ends and each event's JSON spread over several `data:` lines, sent in writes that end between a CR and
 * its LF (a few ms apart, so the client reads them apart).
 */
export type Fault = { kind: 'ok' | 'error-500' | 'hang' | 'malformed' | 'crlf-split' } | { kind: 'fail-first'; count: number } | { kind: 'die-after'; count: number };

export interface ServerOptions {
  fault?: Fault;
  /** 'auto': stream when asked to; 'never': always one JSON object, as servers that ignore `stream` do. */
  streaming?: 'auto' | 'never';
  /** Hold the first reply until this many requests are in flight at once (proves a client's concurrency). */
  holdUntilInFlight?: number;
}

export interface TestServer {
  /** Base URL up to /v1, as a client takes it. */
  baseUrl: string;
  /** Requests that reached /v1/chat/completions, faulty or not. */
  requests: number;
  /** Requests answered with a completion. */
  answered: number;
  /** Most requests in flight at once. */
  maxInFlight: number;
  /** The Authorization header of every request, in order (to check a key was sent). */
  authorizations: (string | undefined)[];
  /** Last user message of every answered request. */
  prompts: string[];
  fault: Fault;
  close(): Promise<void>;
}

/** Writes `chunks` as events of pretty-printed JSON over several `data:` lines, CRLF line ends, each write ending in a CR. */
async function splitCrlfStream(res: ServerResponse, chunks: object[]): Promise<void> {
  const events = [...chunks.map((c) => JSON.stringify(c, null, 1)), '[DONE]'];
  const text = events.map((e) => e.split('\n').map((line) => `data: ${line}\r\n`).join('') + '\r\n').join('');
  const writes = text.split(/(?<=\r)(?=\n)/);
  for (const piece of writes) {
    res.write(piece);
    await new Promise((r) => setTimeout(r, 2));
  }
  res.end();
}

export async function startOpenAiServer(options: ServerOptions = {}): Promise<TestServer> {
  const models = new Map<string, Promise<GeneratorClient>>();
  // NOTE: one in-process model runs one generation at a time; requests queue here, as in a real server's batch.
  let queue: Promise<unknown> = Promise.resolve();
  let inFlight = 0;
  let release: (() => void) | null = null;
  const held = options.holdUntilInFlight ? new Promise<void>((r) => (release = r)) : Promise.resolve();
  const state: TestServer = {
    baseUrl: '',
    requests: 0,
    answered: 0,
    maxInFlight: 0,
    authorizations: [],
    prompts: [],
    fault: options.fault ?? { kind: 'ok' },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      for (const client of models.values()) (await client).terminate();
    },
  };

  const model = (name: string) => {
    let client = models.get(name);
    if (!client) {
      client = (async () => {
        const { endpoint, close } = inProcessEndpoint(createLlmHandlers({ allowHub: false }));
        const generator = new GeneratorClient(endpoint, close);
        await generator.load(await readModelFolder(resolve(MODELS_DIR, name)), { device: 'wasm', dtype: 'fp32' });
        return generator;
      })();
      models.set(name, client);
    }
    return client;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return json(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
    const index = state.requests++;
    state.authorizations.push(req.headers.authorization);
    const body = JSON.parse(await readBody(req)) as { model: string; messages: ChatMessage[]; max_tokens?: number; temperature?: number; top_p?: number; stream?: boolean };
    // 1. Faults.
    const fault = state.fault;
    if (fault.kind === 'error-500' || (fault.kind === 'fail-first' && index < fault.count)) return json(res, 500, { error: { message: 'internal server error (test fault)' } });
    if (fault.kind === 'hang') return;
    if (fault.kind === 'die-after' && state.answered >= fault.count) {
      req.socket.destroy();
      server.close();
      return;
    }
    if (!['echo', 'llama'].includes(body.model)) return json(res, 404, { error: { message: `The model "${body.model}" does not exist` } });
    // 2. The reply, from the tiny model.
    if (options.holdUntilInFlight && inFlight >= options.holdUntilInFlight) release?.();
    await held;
    const settings: GenerationSettings = { maxNewTokens: body.max_tokens ?? 256, temperature: body.temperature ?? 0, topP: body.top_p ?? 1, greedy: !body.temperature };
    const client = await model(body.model);
    const run = queue.then(() => client.generate(body.messages, settings));
    queue = run.catch(() => undefined);
    const result = await run;
    state.answered++;
    state.prompts.push(body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '');
    const finish = result.stoppedBy === 'max-tokens' ? 'length' : 'stop';
    const id = `chatcmpl-test-${index}`;
    if (body.stream && options.streaming !== 'never') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      if (fault.kind === 'malformed') return res.end('data: {"choices": [{"delta": {"content": "oops"\n\n');
      const pieces = result.text.match(/\s*\S+/g) ?? [];
      if (fault.kind === 'crlf-split') return splitCrlfStream(res, [...pieces.map((piece) => ({ id, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })), { id, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finish }] }]);
      for (const piece of pieces) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finish }] })}\n\n`);
      return res.end('data: [DONE]\n\n');
    }
    if (fault.kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"choices": [{"message": {"content": "oops"');
    }
    json(res, 200, { id, object: 'chat.completion', model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: result.text }, finish_reason: finish }] });
  };

  const server = createServer((req, res) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) json(res, 500, { error: { message: error.message } });
      else res.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
