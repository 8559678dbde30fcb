// The remote generator against a fake fetch: streamed and plain replies, stop on abort, and errors that say what to fix.
import { describe, expect, test } from 'vitest';
import { chatCompletionsUrl, createSseParser, RemoteGenerator, RemoteGeneratorError } from '../../src/lib/clients/remote-generator';
import { DEFAULT_GENERATION } from '../../src/lib/core/generation';
import { startOpenAiServer } from '../support/openai-server';

const config = { baseUrl: 'http://localhost:11434/v1/', model: 'qwen2.5:0.5b', apiKey: 'sk-test' };
const messages = [{ role: 'user' as const, content: 'Hi' }];

/** A fetch that records its calls and answers with `respond`. */
function fakeFetch(respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    return respond(String(input), init ?? {});
  }) as typeof fetch;
  return { fetcher, calls };
}

/** A streamed response whose body arrives in the given pieces (split anywhere, even inside an event). */
function sse(pieces: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });
}

const delta = (content: string, finish: string | null = null) => `data: ${JSON.stringify({ choices: [{ delta: { content }, finish_reason: finish }] })}\n\n`;

describe('server-sent events', () => {
  test('events split across reads are joined; comments and other fields are ignored', () => {
    const parser = createSseParser();
    expect(parser.push(': keep-alive\n\nda')).toEqual([]);
    expect(parser.push('ta: {"choices":[{"delta":{"content":"Hel"}}]}\r\n')).toEqual([]);
    expect(parser.push('\r\nevent: x\ndata: {"choices":[{"delta":{"content":"lo"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n')).toEqual([
      { done: false, text: 'Hel', finishReason: null },
      { done: false, text: 'lo', finishReason: 'stop' },
      { done: true },
    ]);
  });

  test('a last event without a blank line is flushed at the end', () => {
    const parser = createSseParser();
    expect(parser.push('data: [DONE]')).toEqual([]);
    expect(parser.end()).toEqual([{ done: true }]);
  });

  test('a role-only first chunk yields no text, and an error event carries its message', () => {
    const parser = createSseParser();
    const events = parser.push('data: {"choices":[{"delta":{"role":"assistant"}}]}\n\ndata: {"error":{"message":"model crashed"}}\n\n');
    expect(events).toEqual([
      { done: false, text: '', finishReason: null },
      { done: false, text: '', finishReason: null, error: 'model crashed' },
    ]);
  });

  // One event spread over two data lines (joined by "\n"), a comment, an `event:` field, and [DONE].
  const streamWith = (eol: string) =>
    [': ping', '', 'data: {"choices":[{"delta":{"content":"Hel"}}', 'data: ]}', '', 'event: message', 'data: {"choices":[{"delta":{"content":"lo"},"finish_reason":"stop"}]}', '', 'data: [DONE]', '', ''].join(eol);
  const expected = [{ done: false, text: 'Hel', finishReason: null }, { done: false, text: 'lo', finishReason: 'stop' }, { done: true }];
  const parse = (pieces: string[]) => {
    const parser = createSseParser();
    return [...pieces.flatMap((p) => parser.push(p)), ...parser.end()];
  };

  test.each([
    ['CRLF', '\r\n'],
    ['CR only', '\r'],
    ['LF only', '\n'],
  ])('%s line ends give the same events wherever the reads split the stream (between \\r and \\n too)', (_name, eol) => {
    const stream = streamWith(eol);
    expect(parse([stream])).toEqual(expected);
    for (let at = 0; at <= stream.length; at++) expect(parse([stream.slice(0, at), stream.slice(at)]), `split at ${at}`).toEqual(expected);
    expect(parse([...stream])).toEqual(expected);
  });

  test('mixed line ends, read one character at a time, and a lone CR before a LF-only blank line', () => {
    const mixed = ': ping\r\n\ndata: {"choices":[{"delta":{"content":"Hel"}}\rdata: ]}\r\n\r\nevent: message\ndata: {"choices":[{"delta":{"content":"lo"},"finish_reason":"stop"}]}\r\rdata: [DONE]\n\n';
    expect(parse([mixed])).toEqual(expected);
    expect(parse([...mixed])).toEqual(expected);
    // A CR ending one read and a CR opening the next are two line ends: the event ends there.
    expect(parse(['data: [DONE]\r', '\r'])).toEqual([{ done: true }]);
  });

  test('over HTTP: a stream whose reads end between CR and LF streams the whole reply', { timeout: 60_000 }, async () => {
    const server = await startOpenAiServer({ fault: { kind: 'crlf-split' } });
    try {
      const pieces: string[] = [];
      const message = 'Refunds are processed within five business days.';
      const result = await new RemoteGenerator({ baseUrl: server.baseUrl, model: 'echo' }).generate([{ role: 'user', content: message }], { ...DEFAULT_GENERATION, greedy: true }, {
        onToken: (t) => pieces.push(t.text),
      });
      expect(result.text).toBe(message);
      expect(pieces.length).toBeGreaterThan(3);
      expect(result.stoppedBy).toBe('eos');
    } finally {
      await server.close();
    }
  });

  test('a payload that is not JSON is a clear error', () => {
    expect(() => createSseParser().push('data: {oops\n\n')).toThrow(/streamed something that is not JSON/);
  });
});

describe('generate', () => {
  test('streams tokens through onToken and sends an OpenAI-style request', async () => {
    const { fetcher, calls } = fakeFetch(() => sse([delta('[{"question"'), delta(': "Q?", '), 'data: {"choices":[{"delta":{"content":"\\"answer\\": \\"A\\"}]"}}]}\n', '\n', 'data: [DONE]\n\n']));
    const tokens: string[] = [];
    const result = await new RemoteGenerator(config, fetcher).generate(messages, DEFAULT_GENERATION, { onToken: (t) => tokens.push(t.text) });

    expect(result.text).toBe('[{"question": "Q?", "answer": "A"}]');
    expect(tokens).toEqual(['[{"question"', ': "Q?", ', '"answer": "A"}]']);
    expect(result).toMatchObject({ tokens: 3, stoppedBy: 'eos' });
    expect(calls[0].url).toBe('http://localhost:11434/v1/chat/completions');
    expect(new Headers(calls[0].init.headers).get('Authorization')).toBe('Bearer sk-test');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ model: 'qwen2.5:0.5b', messages, max_tokens: 256, temperature: 0, top_p: 1, stream: true });
  });

  test('finish_reason "length" reports the token limit', async () => {
    const { fetcher } = fakeFetch(() => sse([delta('cut', 'length'), 'data: [DONE]\n\n']));
    const result = await new RemoteGenerator(config, fetcher).generate(messages, DEFAULT_GENERATION);
    expect(result.stoppedBy).toBe('max-tokens');
  });

  test('a server that ignores stream: true answers with one JSON completion, read as such', async () => {
    const { fetcher } = fakeFetch(() => Response.json({ choices: [{ message: { role: 'assistant', content: 'Plain reply' }, finish_reason: 'stop' }] }));
    const tokens: string[] = [];
    const result = await new RemoteGenerator(config, fetcher).generate(messages, DEFAULT_GENERATION, { onToken: (t) => tokens.push(t.text) });
    expect(result.text).toBe('Plain reply');
    expect(tokens).toEqual(['Plain reply']);
  });

  test('no Authorization header without a key', async () => {
    const { fetcher, calls } = fakeFetch(() => Response.json({ choices: [{ message: { content: 'ok' } }] }));
    await new RemoteGenerator({ ...config, apiKey: '  ' }, fetcher).generate(messages, DEFAULT_GENERATION);
    expect(new Headers(calls[0].init.headers).has('Authorization')).toBe(false);
  });

  test('aborting resolves with the partial text, stopped by the user', async () => {
    const controller = new AbortController();
    const encoder = new TextEncoder();
    const { fetcher } = fakeFetch((_url, init) => {
      const body = new ReadableStream<Uint8Array>({
        start(stream) {
          stream.enqueue(encoder.encode(delta('partial')));
          init.signal?.addEventListener('abort', () => stream.error(new DOMException('Aborted', 'AbortError')));
        },
      });
      return new Response(body, { headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } });
    });
    const result = await new RemoteGenerator(config, fetcher).generate(messages, DEFAULT_GENERATION, {
      signal: controller.signal,
      onToken: () => controller.abort(),
    });
    expect(result).toMatchObject({ text: 'partial', stoppedBy: 'user' });
  });
});

describe('errors say what to fix', () => {
  const run = (respond: () => Response | Promise<Response>, overrides = {}) =>
    new RemoteGenerator({ ...config, ...overrides }, fakeFetch(respond).fetcher).generate(messages, DEFAULT_GENERATION);

  test('401: the API key', async () => {
    const error = await run(() => Response.json({ error: { message: 'Incorrect API key provided' } }, { status: 401 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteGeneratorError);
    expect(error).toMatchObject({ problem: 'auth', status: 401 });
    expect((error as Error).message).toMatch(/check the API key.*Incorrect API key provided/);
  });

  test('404: the base URL and the model name', async () => {
    const error = await run(() => new Response('404 page not found', { status: 404 })).catch((e: unknown) => e);
    expect(error).toMatchObject({ problem: 'not-found', status: 404 });
    expect((error as Error).message).toMatch(/http:\/\/localhost:11434\/v1\/chat\/completions.*"qwen2.5:0.5b".*ends in \/v1.*404 page not found/);
  });

  test('other statuses name the status and the server message', async () => {
    const error = await run(() => Response.json({ error: 'model "x" not loaded' }, { status: 500 })).catch((e: unknown) => e);
    expect(error).toMatchObject({ problem: 'http', status: 500 });
    expect((error as Error).message).toBe('The endpoint answered HTTP 500. The server said: model "x" not loaded');
  });

  test('a failed fetch (server down or CORS) names both causes', async () => {
    const error = await run(() => Promise.reject(new TypeError('Failed to fetch'))).catch((e: unknown) => e);
    expect(error).toMatchObject({ problem: 'network' });
    expect((error as Error).message).toMatch(/Could not reach .*Failed to fetch.*CORS.*OLLAMA_ORIGINS/);
  });

  test('an error event in the stream is reported', async () => {
    const error = await run(() => sse([delta('a'), 'data: {"error":{"message":"out of memory"}}\n\n'])).catch((e: unknown) => e);
    expect((error as Error).message).toBe('The endpoint reported an error: out of memory');
  });

  test('a JSON reply that is not a chat completion is reported', async () => {
    const error = await run(() => Response.json({ hello: 'world' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ problem: 'bad-response' });
    expect((error as Error).message).toMatch(/not a chat completion/);
  });

  test('a missing base URL or model is caught before any request', async () => {
    await expect(run(() => Response.json({}), { baseUrl: ' ' })).rejects.toThrow(/Enter the base URL/);
    await expect(run(() => Response.json({}), { model: '' })).rejects.toThrow(/Enter the name of the model/);
  });
});

test('the endpoint URL is built from the base URL once', () => {
  expect(chatCompletionsUrl('http://localhost:1234/v1')).toBe('http://localhost:1234/v1/chat/completions');
  expect(chatCompletionsUrl(' https://api.example.com/v1/chat/completions/ ')).toBe('https://api.example.com/v1/chat/completions');
});
