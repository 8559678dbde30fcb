// `raft eval`: the app's evaluation in Node: the same runner, answer step, metrics and report, over the
// in-process corpus and language models loaded from folders. Same inputs, settings and seed (greedy
// decoding) give the same numbers as the app's Evaluation page.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GeneratorClient } from '../../lib/clients/generator';
import { inProcessEndpoint } from '../../lib/clients/model-client';
import { messageOf } from '../../lib/core/errors';
import { DTYPES, type Dtype } from '../../lib/core/models';
import { buildArms, checkSettings, defaultEvalSettings, EVAL_LIMITS, parseDistractorList, ROLE_TITLES } from '../../lib/core/eval/plan';
import { evalFiles } from '../../lib/core/eval/files';
import { runEvaluation } from '../../lib/core/eval/runner';
import { EVAL_ROLES, type EvalManifest, type EvalRecord, type EvalRole, type EvalRun, type EvalSettings, type MissingAnswerPolicy } from '../../lib/core/eval/types';
import type { GenerateFn } from '../../lib/core/inference/answer';
import { ORACLE_HANDLINGS } from '../../lib/core/inference/context';
import { corpusRetriever, evalManifest, evalQuestions } from '../../lib/clients/evaluation-sources';
import { createLlmHandlers } from '../../lib/workers/llm/handler';
import { choiceFlag, listFlag, modeFlag, numberFlag, parseFlags, requireString } from '../args';
import { CliError } from '../cli-error';
import { checkOutFolder } from '../fs-errors';
import { readModelFolder } from '../model-folder';
import { describeProblems, openSession } from '../session';
import { readTemplate, TEMPLATE_HELP } from '../template-file';

export const EVAL_HELP = `raft eval: answer the test questions with one or two language models and score them, as the app's Evaluation does.

  --docs <folder>          markdown folder                                                    (required)
  --questions <file>       JSONL, JSON or CSV questions with their oracle and reference answer (required)
  --model <folder>         language model folder (transformers.js layout); give it twice to compare
                           the base model (first) with the fine-tuned one (second)            (required)
  --mode <m>               retriever: lexical | dense | hybrid                         (default lexical)
  --embedder <folder>      embedding model folder, for dense and hybrid
  --k <k>                  documents retrieved, 0..50; 0: no retrieval at all (closed book)   (default 5)
  --oracle <o>             retrieved | forced | removed: the oracle as retrieved, always in, never in
                                                                                        (default retrieved)
  --distractors <n>        extra distractors beyond k, 0..20, or a list (0,2,4) to plot accuracy
                           against the number of distractors                                  (default 0)
  --closed-book            also evaluate each model without retrieval (the "no RAG" baseline)
  --seed <n>               seed of the bootstrap intervals, and of the split when the file has none (default 7)
  --max-new-tokens <n>     tokens each answer may generate, 1..4096 (greedy decoding)          (default 256)
  --missing-answer <p>     a reply without <ANSWER>: scores 0 (zero: strict) or is scored whole
                           (reply: lenient; a prompt echo can score)                       (default zero)
  --dtype <d>              weights of the language models: ${DTYPES.join(' | ')}                (default fp32)
  --test-fraction <f>      share of questions for the test split when the file gives no split  (default 0.2)
  --all-questions          evaluate every resolved question, not only the test split
  ${TEMPLATE_HELP}
  --out <folder>           write evaluation.json, evaluation-questions.csv, evaluation-summary.csv and
                           evaluation-report.html there

Prints one JSON object: the number of questions, the per-arm metrics (mean, 95% bootstrap low/high, n),
the retriever's recall@k and MRR, and the fine-tuned minus base differences (paired over questions).
Progress goes to stderr.`;

export async function evaluate(argv: string[], log: (line: string) => void, print: (line: string) => void): Promise<void> {
  const flags = parseFlags(argv, {
    docs: { type: 'string' },
    questions: { type: 'string' },
    model: { type: 'string', multiple: true },
    mode: { type: 'string' },
    embedder: { type: 'string' },
    k: { type: 'string' },
    oracle: { type: 'string' },
    distractors: { type: 'string' },
    'closed-book': { type: 'boolean' },
    seed: { type: 'string' },
    'max-new-tokens': { type: 'string' },
    'missing-answer': { type: 'string' },
    dtype: { type: 'string' },
    'test-fraction': { type: 'string' },
    'all-questions': { type: 'boolean' },
    template: { type: 'string' },
    out: { type: 'string' },
  });
  // 1. Flags into the app's settings.
  const folders = listFlag(flags, 'model');
  if (folders.length === 0) throw new CliError('eval needs --model <language model folder> (twice to compare a base and a fine-tuned model).');
  if (folders.length > EVAL_ROLES.length) throw new CliError(`At most ${EVAL_ROLES.length} --model folders: the base model first, then the fine-tuned one.`);
  const mode = modeFlag(flags);
  const embedder = typeof flags.embedder === 'string' ? flags.embedder : undefined;
  if (mode !== 'lexical' && !embedder) throw new CliError(`--mode ${mode} needs --embedder <embedding model folder>; lexical needs none.`);
  const k = numberFlag(flags, 'k', 5, 0, EVAL_LIMITS.k.max, true);
  const roles = EVAL_ROLES.slice(0, folders.length);
  let distractors: number[];
  try {
    distractors = parseDistractorList(typeof flags.distractors === 'string' ? flags.distractors : '0');
  } catch (error) {
    throw new CliError(`--distractors: ${messageOf(error)}`);
  }
  const defaults = defaultEvalSettings();
  const settings: EvalSettings = {
    ...defaults,
    systems: roles.flatMap((role) => [...(k > 0 ? [{ role, retrieval: true }] : []), ...(k === 0 || flags['closed-book'] ? [{ role, retrieval: false }] : [])]),
    mode,
    k: Math.max(1, k),
    oracle: choiceFlag(flags, 'oracle', ORACLE_HANDLINGS, 'retrieved'),
    distractors,
    generation: { ...defaults.generation, greedy: true, maxNewTokens: numberFlag(flags, 'max-new-tokens', defaults.generation.maxNewTokens, 1, EVAL_LIMITS.maxNewTokens.max, true) },
    missingAnswer: choiceFlag<MissingAnswerPolicy>(flags, 'missing-answer', ['zero', 'reply'], defaults.missingAnswer),
    seed: numberFlag(flags, 'seed', defaults.seed, 0, EVAL_LIMITS.seed.max, true),
    template: await readTemplate(typeof flags.template === 'string' ? flags.template : undefined),
  };
  const problem = checkSettings(settings);
  if (problem) throw new CliError(problem);
  const dtype = choiceFlag<Dtype>(flags, 'dtype', DTYPES, 'fp32');
  const testFraction = numberFlag(flags, 'test-fraction', 0.2, 0, 1);
  const out = typeof flags.out === 'string' ? resolve(flags.out) : null;
  if (out) await checkOutFolder(out);

  // 2. The corpus and the questions, as `build` reads them (same split for the same file and seed).
  const session = await openSession({ docs: requireString(flags, 'docs'), questions: requireString(flags, 'questions'), mode, model: embedder, log });
  const models = new Models(folders, dtype, log);
  try {
    for (const line of describeProblems(session.questions)) log(`  ${line} (not evaluated)`);
    let pairs = await session.corpus.call('listQuestions', undefined);
    if (!flags['all-questions'] && pairs.some((p) => p.status === 'ok' && p.split === 'unassigned')) {
      pairs = await session.corpus.call('splitQuestions', { testFraction, seed: settings.seed, byArticle: true });
    }
    const questions = await evalQuestions(session.corpus, pairs, flags['all-questions'] ? 'all' : 'test');
    if (questions.length === 0) throw new CliError(flags['all-questions'] ? 'No question resolved to a chunk: nothing to evaluate.' : 'The test split is empty: raise --test-fraction, mark test rows in the file (split: "test"), or pass --all-questions.');

    // 3. The app's runner, one model after the other.
    const arms = buildArms(settings);
    const records: EvalRecord[] = [];
    const total = arms.length * questions.length;
    await runEvaluation(
      { settings, arms, questions, done: new Set() },
      {
        retrieve: corpusRetriever(session.corpus),
        acquire: (role) => models.acquire(role),
        save: async (record) => void records.push(record),
        onProgress: ({ done, item, record }) => {
          if (record && (done % 10 === 0 || done === total)) log(`answered ${done}/${total} (${item.arm.label})`);
        },
      },
    );

    // 4. The files and the summary.
    const manifest = await evalManifest(session.corpus, { questions, questionSource: flags['all-questions'] ? { kind: 'all', name: 'every resolved question' } : { kind: 'test-split', name: 'test split' }, models: models.identities, mode });
    const now = Date.now();
    const run: EvalRun = { id: `cli-${now}`, createdAt: now, updatedAt: now, status: 'done', settings, arms, questions, manifest };
    const { data, files } = evalFiles(run, records);
    if (out) {
      await mkdir(out, { recursive: true });
      for (const [name, text] of Object.entries(files)) await writeFile(join(out, name), text);
      log(`wrote ${Object.keys(files).join(', ')} to ${out}`);
    }
    print(JSON.stringify({ questions: questions.length, corpusFingerprint: manifest.corpusFingerprint, arms: data.summary.arms, retrieval: data.summary.retrieval, comparisons: data.summary.comparisons }));
  } finally {
    models.close();
    session.close();
  }
}

/** The language models of the run, loaded when first asked for; the previous one is released first. */
class Models {
  readonly identities: EvalManifest['models'] = {};
  #current: { role: EvalRole; client: GeneratorClient } | null = null;

  constructor(
    private readonly folders: string[],
    private readonly dtype: Dtype,
    private readonly log: (line: string) => void,
  ) {}

  async acquire(role: EvalRole): Promise<GenerateFn> {
    if (this.#current?.role !== role) {
      this.close();
      const folder = this.folders[EVAL_ROLES.indexOf(role)];
      const { endpoint, close } = inProcessEndpoint(createLlmHandlers({ allowHub: false }));
      const client = new GeneratorClient(endpoint, close);
      try {
        const loaded = await client.load(await readModelFolder(folder, this.dtype), { device: 'wasm', dtype: this.dtype });
        this.identities[role] = { label: loaded.label, key: loaded.key };
        this.log(`${ROLE_TITLES[role].toLowerCase()}: ${loaded.label} (${loaded.dtype})`);
      } catch (error) {
        client.terminate();
        throw error;
      }
      this.#current = { role, client };
    }
    const client = this.#current.client;
    return (messages, settings, hooks) => client.generate(messages, settings, hooks);
  }

  close(): void {
    this.#current?.client.terminate();
    this.#current = null;
  }
}
