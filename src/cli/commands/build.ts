// `raft build`: docs folder + questions file → train.jsonl, test.jsonl and manifest.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { RECIPE_LIMITS } from '../../lib/config/tunables';
import { EXPORT_FORMATS } from '../../lib/core/formats/raft-formats';
import { DEFAULT_RAFT_PARAMS, type DistractorStrategy, type RaftParams } from '../../lib/core/raft/types';
import { choiceFlag, modeFlag, numberFlag, parseFlags, requireString, type Flags } from '../args';
import { CliError } from '../cli-error';
import { checkOutFolder } from '../fs-errors';
import { describeProblems, openSession } from '../session';
import { readTemplate, TEMPLATE_HELP } from '../template-file';
import { checkManifestInputs, MANIFEST_HELP, manifestChanges, readManifestRecipe } from '../manifest-recipe';
import { COT_FLAGS, COT_HELP, cotOptions } from '../cot-flags';
import { writeCliCot } from '../cot-job';

export const BUILD_HELP = `raft build: build a RAFT dataset from a docs folder and a questions file.

  --docs <folder>          markdown folder (.md .markdown .mdx .txt), read recursively        (required)
  --questions <file>       JSONL, JSON or CSV: question, answer, and chunk_id or article [+ quote] (required)
  --out <folder>           where train.jsonl, test.jsonl and manifest.json go                 (required)
  --distractors <k>        distractor chunks per example, 0..20                                 (default 4)
  --p-oracle <P>           fraction of examples that keep their oracle chunk, 0..1            (default 0.8)
  --seed <n>               seed of every random choice                                         (default 7)
  --mode <m>               retriever for hard distractors: lexical | dense | hybrid      (default lexical)
  --model <folder>         embedding model folder (transformers.js layout), for dense and hybrid
  --strategy <s>           hard | random | mixed                                              (default hard)
  --hard <n>               with --strategy mixed: hard distractors among the k                 (default 2)
  --exclude-oracle-article never take distractors from the oracle's own article
  --format <f>             gorilla | chat | completion                                         (default chat)
  --context-budget <n>     context length of the language model, for the manifest, 64..1000000 (default 2048)
  --test-fraction <f>      share for test.jsonl of the questions the file gives no split    (default 0.2)
  ${TEMPLATE_HELP}
  --allow-unresolved       build from the resolvable questions instead of stopping
${MANIFEST_HELP}
${COT_HELP}

Same inputs, parameters and seed give byte-identical files, the same as the app's "Export dataset".`;

export async function build(argv: string[], log: (line: string) => void): Promise<void> {
  const given = parseFlags(argv, {
    manifest: { type: 'string' },
    docs: { type: 'string' },
    questions: { type: 'string' },
    out: { type: 'string' },
    distractors: { type: 'string' },
    'p-oracle': { type: 'string' },
    seed: { type: 'string' },
    mode: { type: 'string' },
    model: { type: 'string' },
    strategy: { type: 'string' },
    hard: { type: 'string' },
    'exclude-oracle-article': { type: 'boolean' },
    format: { type: 'string' },
    'test-fraction': { type: 'string' },
    'allow-unresolved': { type: 'boolean' },
    template: { type: 'string' },
    'context-budget': { type: 'string' },
    ...COT_FLAGS,
  });
  // With --manifest, its recipe stands in for the flags that would give it (and is checked the same way).
  const fromManifest = typeof given.manifest === 'string' ? await readManifestRecipe(given.manifest, given) : null;
  const flags: Flags = fromManifest ? { ...given, ...fromManifest.flags } : given;
  const out = resolve(requireString(flags, 'out'));
  const distractors = numberFlag(flags, 'distractors', DEFAULT_RAFT_PARAMS.distractors, RECIPE_LIMITS.distractors.min, RECIPE_LIMITS.distractors.max, true);
  const params: RaftParams = {
    ...DEFAULT_RAFT_PARAMS,
    distractors,
    pOracle: numberFlag(flags, 'p-oracle', DEFAULT_RAFT_PARAMS.pOracle, RECIPE_LIMITS.pOracle.min, RECIPE_LIMITS.pOracle.max),
    seed: numberFlag(flags, 'seed', DEFAULT_RAFT_PARAMS.seed, RECIPE_LIMITS.seed.min, RECIPE_LIMITS.seed.max, true),
    retrievalMode: modeFlag(flags),
    strategy: choiceFlag<DistractorStrategy>(flags, 'strategy', ['hard', 'random', 'mixed'], 'hard'),
    hardCount: numberFlag(flags, 'hard', Math.ceil(distractors / 2), 0, distractors, true),
    excludeOracleArticle: flags['exclude-oracle-article'] === true,
    contextBudget: numberFlag(flags, 'context-budget', DEFAULT_RAFT_PARAMS.contextBudget, RECIPE_LIMITS.contextBudget.min, RECIPE_LIMITS.contextBudget.max, true),
    ...fromManifest?.manifest.params,
  };
  const format = choiceFlag(flags, 'format', EXPORT_FORMATS, 'chat');
  const testFraction = numberFlag(flags, 'test-fraction', 0.2, 0, 1);
  const template = await readTemplate(flags.template as string | undefined);
  const cot = await cotOptions(flags);
  if (cot && fromManifest?.cotSettings) cot.settings = fromManifest.cotSettings;
  await checkOutFolder(out);
  const session = await openSession({ docs: requireString(flags, 'docs'), questions: requireString(flags, 'questions'), mode: params.retrievalMode, model: flags.model as string | undefined, chunking: fromManifest?.chunking ?? undefined, log });
  try {
    const problems = describeProblems(session.questions);
    if (problems.length) {
      for (const line of problems) log(`  ${line}`);
      if (!flags['allow-unresolved']) throw new CliError(`${problems.length} question(s) could not be used (listed above). Fix them, or pass --allow-unresolved.`);
    }
    const pairs = await session.corpus.call('listQuestions', undefined);
    if (pairs.some((p) => p.split === 'unassigned')) {
      if (fromManifest && !fromManifest.split) throw new CliError('The split of this manifest came with its questions (a "split" field, or set by hand), but some questions here have none: use a questions file that gives each question its split.');
      const given = pairs.filter((p) => p.split !== 'unassigned').length;
      await session.corpus.call('splitQuestions', fromManifest?.split ?? { testFraction, seed: params.seed, byArticle: true });
      if (given) log(`split: ${given} question(s) keep the split the file gives; the other ${pairs.length - given} are drawn (an article's given side takes its other questions)`);
    }
    if (fromManifest) await checkManifestInputs(session.corpus, fromManifest.manifest);
    const request = { params, template, format, generator: fromManifest?.manifest.models.generator };
    const cotInput = cot ? await writeCliCot(cot, (c) => session.corpus.call('buildDataset', { ...request, cot: c }), out, log) : undefined;
    const { files, examples } = await session.corpus.call('buildDataset', { ...request, cot: cotInput });
    if (examples.length === 0) throw new CliError('No example could be built: no question resolved to a chunk.');
    await mkdir(out, { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(join(out, name), text);
    const test = examples.filter((e) => e.split === 'test').length;
    log(`wrote ${examples.length - test} train and ${test} test examples (${format}) to ${out}`);
    const changed = fromManifest ? manifestChanges(fromManifest.manifest, JSON.parse(files['manifest.json'])) : [];
    if (changed.length) log(`note: the new manifest.json differs from ${given.manifest} in ${changed.join(', ')}`);
  } finally {
    session.close();
  }
}
