// `raft build --cot …`: the flags of model-written chain-of-thought, checked and turned into the writer's options.
// The API key of an endpoint comes only from the RAFT_API_KEY environment variable: never a flag (shells keep
// history) and never written to any file.
import { checkCotPrompt, checkCotSettings, COT_LIMITS, DEFAULT_COT_SETTINGS } from '../lib/core/raft/cot';
import { COT_SOURCES, type CotPrompt, type CotSettings, type CotSource } from '../lib/core/raft/cot-types';
import { choiceFlag, numberFlag, type Flags } from './args';
import { CliError, readJsonFlag } from './cli-error';

/** The environment variable the endpoint's API key is read from. */
export const API_KEY_ENV = 'RAFT_API_KEY';

export const COT_HELP = `  --cot <source>           who writes the chain-of-thought answers: template | endpoint | local (default template)
  --endpoint <url>         with --cot endpoint: base URL of an OpenAI-compatible server (vLLM, TGI, llama.cpp
                           server, a hosted API), e.g. http://localhost:8000/v1; the API key, if any, is read
                           from the ${API_KEY_ENV} environment variable, never from a flag
  --endpoint-model <name>  with --cot endpoint: the model the server should run                   (required)
  --writer-model <folder>  with --cot local: language model folder (transformers.js layout), run in this process
  --concurrency <n>        requests in flight at once, ${COT_LIMITS.concurrency.min}..${COT_LIMITS.concurrency.max} (local: always 1)                  (default 4)
  --attempts <n>           replies asked per example before falling back to the template, ${COT_LIMITS.attempts.min}..${COT_LIMITS.attempts.max} (default ${DEFAULT_COT_SETTINGS.attempts})
  --min-answer-f1 <x>      token F1 of the written final answer against the reference to keep it, 0..1 (default ${DEFAULT_COT_SETTINGS.minAnswerF1})
  --max-new-tokens <n>     tokens each written answer may take, ${COT_LIMITS.maxNewTokens.min}..${COT_LIMITS.maxNewTokens.max} (greedy decoding)            (default ${DEFAULT_COT_SETTINGS.generation.maxNewTokens})
  --cot-prompt <file>      the writer's prompt: JSON {system, user} with {question} {context} {answer} {quote}
                           {title}, or a manifest.json (its cot.settings.prompt)       (default: built in)
  --request-timeout <s>    seconds one reply may take before it counts as failed, 1..3600         (default 120)

  Written answers go to <out>/cot-records.jsonl as they arrive: run the same command again after an
  interruption and only the examples not written yet are asked.`;

/** Flag specs of the writer, for parseFlags. */
export const COT_FLAGS = {
  cot: { type: 'string' },
  endpoint: { type: 'string' },
  'endpoint-model': { type: 'string' },
  'writer-model': { type: 'string' },
  concurrency: { type: 'string' },
  attempts: { type: 'string' },
  'min-answer-f1': { type: 'string' },
  'max-new-tokens': { type: 'string' },
  'cot-prompt': { type: 'string' },
  'request-timeout': { type: 'string' },
} as const;

/** The writer of a build: where replies come from and the settings every reply is checked with. */
export type CotWriter = { source: 'endpoint'; baseUrl: string; model: string; apiKey: string } | { source: 'local'; folder: string };

export interface CotOptions {
  writer: CotWriter;
  settings: CotSettings;
  concurrency: number;
  requestTimeoutMs: number;
}

/** The writer's options from the flags; null for the template (the default). */
export async function cotOptions(flags: Flags, env: NodeJS.ProcessEnv = process.env): Promise<CotOptions | null> {
  const source = choiceFlag<CotSource>(flags, 'cot', COT_SOURCES, 'template');
  const given = Object.keys(COT_FLAGS).filter((name) => name !== 'cot' && flags[name] !== undefined);
  if (source === 'template') {
    if (given.length > 0) throw new CliError(`--${given[0]} applies to model-written answers: add --cot endpoint or --cot local.`);
    return null;
  }
  let writer: CotWriter;
  if (source === 'endpoint') {
    const baseUrl = typeof flags.endpoint === 'string' ? flags.endpoint.trim() : '';
    const model = typeof flags['endpoint-model'] === 'string' ? flags['endpoint-model'].trim() : '';
    if (!baseUrl) throw new CliError('--cot endpoint needs --endpoint <base URL>, e.g. http://localhost:8000/v1.');
    if (!/^https?:\/\//i.test(baseUrl)) throw new CliError(`--endpoint must be an http:// or https:// URL; got "${baseUrl}".`);
    if (!model) throw new CliError('--cot endpoint needs --endpoint-model <name of the model the server runs>.');
    if (flags['writer-model'] !== undefined) throw new CliError('--writer-model is for --cot local; an endpoint takes --endpoint-model.');
    writer = { source: 'endpoint', baseUrl, model, apiKey: env[API_KEY_ENV]?.trim() ?? '' };
  } else {
    if (typeof flags['writer-model'] !== 'string' || !flags['writer-model']) throw new CliError('--cot local needs --writer-model <language model folder>.');
    if (flags.endpoint !== undefined || flags['endpoint-model'] !== undefined) throw new CliError('--endpoint and --endpoint-model are for --cot endpoint; --cot local takes --writer-model.');
    writer = { source: 'local', folder: flags['writer-model'] };
  }
  const defaults = DEFAULT_COT_SETTINGS;
  const settings: CotSettings = {
    prompt: await readCotPrompt(flags['cot-prompt'] as string | undefined),
    minAnswerF1: numberFlag(flags, 'min-answer-f1', defaults.minAnswerF1, COT_LIMITS.minAnswerF1.min, COT_LIMITS.minAnswerF1.max),
    attempts: numberFlag(flags, 'attempts', defaults.attempts, COT_LIMITS.attempts.min, COT_LIMITS.attempts.max, true),
    generation: { ...defaults.generation, maxNewTokens: numberFlag(flags, 'max-new-tokens', defaults.generation.maxNewTokens, COT_LIMITS.maxNewTokens.min, COT_LIMITS.maxNewTokens.max, true) },
  };
  const problem = checkCotSettings(settings);
  if (problem) throw new CliError(problem);
  const concurrency = numberFlag(flags, 'concurrency', 4, COT_LIMITS.concurrency.min, COT_LIMITS.concurrency.max, true);
  return {
    writer,
    settings,
    // NOTE: one in-process model answers one request at a time; more in flight would only queue.
    concurrency: writer.source === 'local' ? 1 : concurrency,
    requestTimeoutMs: numberFlag(flags, 'request-timeout', 120, 1, 3600) * 1000,
  };
}

/** `--cot-prompt <file>`: a JSON {system, user}, or a manifest.json whose cot.settings.prompt is one. */
export async function readCotPrompt(path: string | undefined): Promise<CotPrompt> {
  if (!path) return { ...DEFAULT_COT_SETTINGS.prompt };
  const parsed = await readJsonFlag('--cot-prompt', path);
  const manifest = parsed as { cot?: { settings?: { prompt?: unknown } | null } } | null;
  const candidate = (manifest?.cot?.settings?.prompt ?? parsed) as Partial<CotPrompt> | null;
  if (!candidate || typeof candidate.system !== 'string' || typeof candidate.user !== 'string') {
    throw new CliError(`--cot-prompt ${path} must hold "system" and "user" strings (or be a manifest.json written with a model's chain-of-thought).`);
  }
  const prompt = { system: candidate.system, user: candidate.user };
  const problem = checkCotPrompt(prompt);
  if (problem) throw new CliError(`--cot-prompt ${path}: ${problem}`);
  return prompt;
}
