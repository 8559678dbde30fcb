// `raft build --cot endpoint|local` as a user runs it, against a local OpenAI-compatible server serving the tiny
// models: answers written and checked, rejected and retried then fallen back, streaming or not, several requests
// in flight, a server that dies mid-run loses nothing written and a rerun asks only the rest, malformed replies
// and timeouts stop with a clear line, and the API key travels only in the environment.
import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { API_KEY_ENV, cotOptions, readCotPrompt } from '../../src/cli/cot-flags';
import { readCotRecords } from '../../src/cli/cot-job';
import { DEFAULT_COT_PROMPT } from '../../src/lib/core/raft/cot';
import type { CotRecord } from '../../src/lib/core/raft/cot-types';
import { startOpenAiServer, type ServerOptions, type TestServer } from '../support/openai-server';

const ROOT = resolve(import.meta.dirname, '../..');
const KEY = 'sk-test-4f9c2e7d-never-in-a-file';
/** Under this user prompt the echo model (it repeats the last user turn) writes a valid answer. */
const ECHO_PROMPT = { system: '', user: '##Reason: ##begin_quote##{quote}##end_quote## <ANSWER>: {answer}' };
const QUESTIONS = 6;
/** Hang guards: one CLI run, and two in a row (the machine may be busy with other test files). */
const SPAWN = { timeout: 60_000 };
const SPAWN_TWICE = { timeout: 120_000 };

let dir: string;
let base: string[];
const servers: TestServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raft-cot-'));
  // Six sample-wiki questions, every example keeping its oracle: six answers to write.
  const lines = (await readFile(join(ROOT, 'public/sample-wiki/questions.jsonl'), 'utf8')).split('\n').slice(0, QUESTIONS);
  await writeFile(join(dir, 'questions.jsonl'), lines.join('\n') + '\n');
  await writeFile(join(dir, 'echo-prompt.json'), JSON.stringify(ECHO_PROMPT));
  base = ['build', '--docs', 'public/sample-wiki', '--questions', join(dir, 'questions.jsonl'), '--p-oracle', '1', '--distractors', '2'];
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: ServerOptions = {}): Promise<TestServer> {
  const started = await startOpenAiServer(options);
  servers.push(started);
  return started;
}

function raft(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile('npm', ['run', '--silent', 'raft', '--', ...args], { cwd: ROOT, env: { ...process.env, RAFT_API_KEY: '', ...env } }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

const endpoint = (s: TestServer, ...more: string[]) => ['--cot', 'endpoint', '--endpoint', s.baseUrl, '--endpoint-model', 'echo', ...more];
/** The writer flags under which the echo model's replies pass the checks. */
const echoWriter = () => ['--cot-prompt', join(dir, 'echo-prompt.json'), '--max-new-tokens', '512'];

/** The records a rerun would read (a line cut short by a crash is skipped). */
const records = (out: string): Promise<CotRecord[]> => readCotRecords(join(out, 'cot-records.jsonl'));

async function rows(out: string): Promise<{ messages: { role: string; content: string }[] }[]> {
  const text = (await readFile(join(out, 'train.jsonl'), 'utf8')) + (await readFile(join(out, 'test.jsonl'), 'utf8'));
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

async function outDir(name: string): Promise<string> {
  return mkdtemp(join(dir, `${name}-`));
}

describe('raft build --cot endpoint', () => {
  test('the echo model writes every answer, several at a time, streamed; the key comes from RAFT_API_KEY only', SPAWN, async () => {
    const s = await server({ holdUntilInFlight: 3 });
    const out = await outDir('written');
    const run = await raft([...base, ...endpoint(s, '--concurrency', '3', ...echoWriter()), '--out', out], { RAFT_API_KEY: KEY });
    expect(run.code, run.stderr).toBe(0);
    // Three requests were in flight at once (the server held its first reply until they were).
    expect(s.maxInFlight).toBeGreaterThanOrEqual(3);
    expect(s.requests).toBe(QUESTIONS);
    const written = await records(out);
    expect(written).toHaveLength(QUESTIONS);
    expect(written.every((r) => r.origin === 'model' && r.attempts === 1 && r.model === 'echo')).toBe(true);
    // The files carry the written answers, and the manifest the writer and its settings.
    const answers = (await rows(out)).map((r) => r.messages.at(-1)!.content).sort();
    expect(answers).toEqual(written.map((r) => r.cotAnswer).sort());
    expect(answers[0]).toMatch(/^##Reason: ##begin_quote##.+##end_quote## <ANSWER>: .+$/);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.cot).toMatchObject({ source: 'endpoint', model: 'echo', settings: { prompt: ECHO_PROMPT, minAnswerF1: 0.5, attempts: 3 }, written: QUESTIONS, fellBack: 0 });
    expect(run.stderr).toMatch(/cot: 6\/6 done, 6 written, 0 fell back, [\d.]+\/s/);
    // The key was sent, and is in no file and no output.
    expect(s.authorizations).toEqual(Array(QUESTIONS).fill(`Bearer ${KEY}`));
    for (const name of await readdir(out)) expect(await readFile(join(out, name), 'utf8')).not.toContain(KEY);
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });

  test('with the default prompt the echo is rejected, retried with the reasons, and falls back (server not streaming)', SPAWN, async () => {
    const s = await server({ streaming: 'never' });
    const out = await outDir('fallback');
    const run = await raft([...base, ...endpoint(s, '--attempts', '2', '--concurrency', '2'), '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(s.requests).toBe(QUESTIONS * 2);
    expect(s.authorizations.every((a) => a === undefined)).toBe(true);
    // Every second request is the retry: it says why the first reply was rejected.
    expect(s.prompts.filter((p) => p.startsWith('That answer was rejected: '))).toHaveLength(QUESTIONS);
    const written = await records(out);
    expect(written.map((r) => [r.origin, r.attempts, r.rejections.length])).toEqual(Array(QUESTIONS).fill(['fallback', 2, 2]));
    const answers = (await rows(out)).map((r) => r.messages.at(-1)!.content);
    expect(answers.every((a) => a.includes('This answers the question directly.'))).toBe(true);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.cot).toMatchObject({ source: 'endpoint', written: 0, fellBack: QUESTIONS, settings: { attempts: 2 } });
  });

  test('a server that dies mid-run loses nothing written; a rerun asks only the rest (its first request failing once)', SPAWN_TWICE, async () => {
    const dying = await server({ fault: { kind: 'die-after', count: 3 } });
    const out = await outDir('resume');
    const first = await raft([...base, ...endpoint(dying, '--concurrency', '1', ...echoWriter()), '--out', out]);
    expect(first.code).not.toBe(0);
    const error = first.stderr.split('\n').find((l) => l.startsWith('error: '))!;
    expect(error).toMatch(/^error: Writing the chain-of-thought stopped: the endpoint http:\/\/127\.0\.0\.1:\d+\/v1 \(model "echo"\) failed: could not reach it \(connect ECONNREFUSED 127\.0\.0\.1:\d+\): check that the server is running and the URL is right\. 3 of 6 answers are kept in .+cot-records\.jsonl; run the same command again to resume\.$/);
    expect(await records(out)).toHaveLength(3);
    expect(await readdir(out)).not.toContain('train.jsonl');
    // As if a process had died while writing a fourth record: the rerun skips the cut line and asks its task again.
    await appendFile(join(out, 'cot-records.jsonl'), '{"key":"cot_cut_short","origin":"mod');

    const healthy = await server({ fault: { kind: 'fail-first', count: 1 } });
    const second = await raft([...base, ...endpoint(healthy, '--concurrency', '1', ...echoWriter()), '--out', out]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('cot: 3 of 6 answers already written');
    expect(second.stderr).toMatch(/failed \(The endpoint answered HTTP 500\. The server said: internal server error \(test fault\)\.\); retry 1/);
    expect(healthy.requests).toBe(3 + 1);
    const all = await records(out);
    expect(all).toHaveLength(QUESTIONS);
    expect((await readFile(join(out, 'cot-records.jsonl'), 'utf8')).split('\n').filter(Boolean)).toHaveLength(QUESTIONS + 1);
    expect(new Set(all.map((r) => r.key)).size).toBe(QUESTIONS);
    expect((await rows(out)).map((r) => r.messages.at(-1)!.content).sort()).toEqual(all.map((r) => r.cotAnswer).sort());
  });

  test('malformed JSON, streamed or not, is retried then stops the build with a clear line', SPAWN_TWICE, async () => {
    const plain = await server({ fault: { kind: 'malformed' }, streaming: 'never' });
    const a = await raft([...base, ...endpoint(plain, '--concurrency', '1'), '--out', await outDir('malformed')]);
    expect(a.code).not.toBe(0);
    expect(plain.requests).toBe(3);
    expect(a.stderr).toMatch(/retry 2/);
    expect(a.stderr).toMatch(/error: Writing the chain-of-thought stopped: the endpoint .+ failed: The endpoint's reply is not a chat completion .+ 0 of 6 answers are kept/);
    const streamed = await server({ fault: { kind: 'malformed' } });
    const b = await raft([...base, ...endpoint(streamed, '--concurrency', '1'), '--out', await outDir('malformed-sse')]);
    expect(b.code).not.toBe(0);
    expect(b.stderr).toMatch(/error: .+ failed: The endpoint streamed something that is not JSON/);
  });

  test('a server that never answers times out with --request-timeout', SPAWN, async () => {
    const s = await server({ fault: { kind: 'hang' } });
    const run = await raft([...base, ...endpoint(s, '--concurrency', '1', '--request-timeout', '1'), '--out', await outDir('timeout')]);
    expect(run.code).not.toBe(0);
    expect(s.requests).toBe(3);
    expect(run.stderr).toMatch(/error: Writing the chain-of-thought stopped: the endpoint .+ failed: no complete reply within 1 s \(--request-timeout\)\. 0 of 6 answers are kept/);
  });

  test('flags are checked before any work, and there is no flag for the key', SPAWN_TWICE, async () => {
    const noModel = await raft([...base, '--cot', 'endpoint', '--endpoint', 'http://127.0.0.1:9/v1', '--out', join(dir, 'x')]);
    expect(noModel.code).not.toBe(0);
    expect(noModel.stderr).toContain('error: --cot endpoint needs --endpoint-model <name of the model the server runs>.');
    const stray = await raft([...base, '--endpoint-model', 'echo', '--api-key', KEY, '--out', join(dir, 'x')]);
    expect(stray.code).not.toBe(0);
    expect(stray.stderr).toMatch(/error: Unknown option '--api-key'/);
  });
});

describe('the writer flags', () => {
  test('the key comes from the environment; a prompt file, or the manifest of an earlier build, gives the prompt', async () => {
    const endpointFlags = { cot: 'endpoint', endpoint: 'http://localhost:8000/v1', 'endpoint-model': 'm' };
    expect(await cotOptions(endpointFlags, { [API_KEY_ENV]: ` ${KEY} ` })).toMatchObject({ writer: { source: 'endpoint', apiKey: KEY }, concurrency: 4, requestTimeoutMs: 120_000 });
    expect(await cotOptions(endpointFlags, {})).toMatchObject({ writer: { apiKey: '' }, settings: { prompt: DEFAULT_COT_PROMPT } });
    expect(await cotOptions({ cot: 'local', 'writer-model': 'x', concurrency: '8' }, {})).toMatchObject({ writer: { source: 'local', folder: 'x' }, concurrency: 1 });
    expect(await cotOptions({}, {})).toBeNull();
    await expect(cotOptions({ attempts: '2' }, {})).rejects.toThrow('--attempts applies to model-written answers: add --cot endpoint or --cot local.');
    await expect(cotOptions({ ...endpointFlags, 'min-answer-f1': '2' }, {})).rejects.toThrow('--min-answer-f1 must be a number from 0 to 1; got "2".');
    await writeFile(join(dir, 'manifest-like.json'), JSON.stringify({ version: 2, cot: { source: 'endpoint', settings: { prompt: ECHO_PROMPT } } }));
    expect(await readCotPrompt(join(dir, 'manifest-like.json'))).toEqual(ECHO_PROMPT);
    await writeFile(join(dir, 'bad-prompt.json'), JSON.stringify({ system: '', user: '{documents}' }));
    await expect(readCotPrompt(join(dir, 'bad-prompt.json'))).rejects.toThrow(/Unknown placeholder \{documents\}/);
  });
});

test('raft build --cot local writes the answers with a model folder run in-process', SPAWN, async () => {
  const out = await outDir('local');
  const run = await raft([...base, '--cot', 'local', '--writer-model', 'tests/models/tiny/echo', '--cot-prompt', join(dir, 'echo-prompt.json'), '--max-new-tokens', '512', '--out', out]);
  expect(run.code, run.stderr).toBe(0);
  const written = await records(out);
  expect(written).toHaveLength(QUESTIONS);
  expect(written.every((r) => r.origin === 'model' && r.model === 'echo (local files)')).toBe(true);
  const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
  expect(manifest.cot).toMatchObject({ source: 'local', model: 'echo (local files)', written: QUESTIONS, fellBack: 0 });
});
