// `raft build --manifest <manifest.json>`: the recipe of an earlier export (parameters, template, format, split,
// chunking, chain-of-thought settings) as the flags it stands for, and the checks that refuse to rebuild when
// the corpus or the questions are not the ones the manifest fingerprinted.
import type { CorpusClient } from '../lib/clients/corpus';
import type { ChunkOptions } from '../lib/core/chunking/types';
import { MANIFEST_VERSION, type DatasetManifest } from '../lib/core/formats/manifest';
import type { CotSettings } from '../lib/core/raft/cot-types';
import type { Flags } from './args';
import { CliError, readJsonFlag } from './cli-error';

export const MANIFEST_HELP = `  --manifest <file>        rebuild from a manifest.json: every parameter (k, P, seed, mode, strategy, template,
                           format, test share and split, chunking, chain-of-thought settings) comes from it, and
                           the build stops if the docs or the questions are not the ones it fingerprinted.
                           Beside it only inputs are taken: --docs --questions --out --model --allow-unresolved
                           --endpoint --writer-model --concurrency --request-timeout`;

/** Flags that are inputs or run options, not part of the recipe: the only ones taken beside --manifest. */
const INPUT_FLAGS = new Set(['manifest', 'docs', 'questions', 'out', 'model', 'allow-unresolved', 'endpoint', 'writer-model', 'concurrency', 'request-timeout']);

export interface ManifestRecipe {
  manifest: DatasetManifest;
  /** The manifest's recipe as the flags that give it (validated by the same code as typed flags). */
  flags: Flags;
  /** Chunk options to apply before the docs are read; null when the manifest does not record them. */
  chunking: ChunkOptions | null;
  /** The split of questions the file gives none for (a side the file gives is kept); null: every side was given with the questions. */
  split: { testFraction: number; seed: number; byArticle: boolean } | null;
  /** The chain-of-thought writer's settings exactly as recorded (null for the template). */
  cotSettings: CotSettings | null;
}

/**
 * Reads a manifest.json written by `raft build` or the app's export, refusing a flag that would change its
 * recipe (edit a copy of the manifest instead, or build with flags alone).
 */
export async function readManifestRecipe(path: string, given: Flags): Promise<ManifestRecipe> {
  const recipeFlags = Object.keys(given).filter((name) => given[name] !== undefined && !INPUT_FLAGS.has(name));
  if (recipeFlags.length) {
    const list = recipeFlags.map((f) => `--${f}`).join(', ');
    throw new CliError(`${list} cannot be given with --manifest: the manifest sets the whole recipe. Edit a copy of ${path}, or build with flags instead of --manifest.`);
  }
  const manifest = await readManifestFile(path);
  const { params, split, chunking, cot } = manifest;
  const model = given.model as string | undefined;
  if (chunking && chunking.tokenizer !== 'approximate' && !model) {
    throw new CliError(`The corpus of ${path} was chunked with the tokenizer of ${manifest.models.embedder ?? chunking.tokenizer}: pass --model <folder of that embedding model>.`);
  }
  if (chunking?.tokenizer === 'approximate' && params.retrievalMode === 'lexical' && model) {
    throw new CliError(`The corpus of ${path} was chunked without an embedding model and its distractors are lexical: drop --model, whose tokenizer would chunk it differently.`);
  }
  const flags: Flags = {
    distractors: String(params.distractors),
    'p-oracle': String(params.pOracle),
    seed: String(params.seed),
    mode: params.retrievalMode,
    strategy: params.strategy,
    // NOTE: the hard count matters only with the mixed strategy (the manifest's params win below in any case).
    hard: params.strategy === 'mixed' ? String(params.hardCount) : undefined,
    'exclude-oracle-article': params.excludeOracleArticle || undefined,
    format: manifest.format,
    'context-budget': String(params.contextBudget),
    template: path,
    'test-fraction': split.method !== 'given' ? String(split.testFraction) : undefined,
  };
  if (cot.source !== 'template') {
    if (!cot.settings) throw new CliError(`${path} says a model wrote the chain-of-thought (${cot.source}) but records no writer settings.`);
    // NOTE: the prompt is read back from the manifest itself (--cot-prompt takes a manifest.json).
    Object.assign(flags, {
      cot: cot.source,
      'endpoint-model': cot.source === 'endpoint' ? (cot.model ?? undefined) : undefined,
      attempts: String(cot.settings.attempts),
      'min-answer-f1': String(cot.settings.minAnswerF1),
      'max-new-tokens': String(cot.settings.generation.maxNewTokens),
      'cot-prompt': path,
    });
  }
  return {
    manifest,
    flags,
    chunking: chunking?.options ?? null,
    split: split.method !== 'given' ? { testFraction: split.testFraction, seed: split.seed, byArticle: split.byArticle } : null,
    cotSettings: cot.settings,
  };
}

async function readManifestFile(path: string): Promise<DatasetManifest> {
  const parsed = (await readJsonFlag('--manifest', path)) as Partial<DatasetManifest> | null;
  if (!parsed || typeof parsed !== 'object' || parsed.tool !== 'raft-playground') throw new CliError(`--manifest ${path} is not a manifest.json of a RAFT Playground dataset.`);
  if (parsed.version !== MANIFEST_VERSION) {
    throw new CliError(
      `--manifest ${path} is version ${parsed.version}; --manifest reads version ${MANIFEST_VERSION}, which records the split and the questions fingerprint. Build once with flags (its template can still come from --template ${path}).`,
    );
  }
  return parsed as DatasetManifest;
}

/** Stops the build, naming what differs, when the corpus or the questions are not those the manifest fingerprinted. */
export async function checkManifestInputs(corpus: CorpusClient, manifest: DatasetManifest): Promise<void> {
  const here = await corpus.call('datasetInputs', undefined);
  const differences: string[] = [];
  if (here.corpusFingerprint !== manifest.corpusFingerprint) {
    differences.push(
      `the corpus differs (fingerprint ${here.corpusFingerprint}, ${here.chunks} chunks here; ${manifest.corpusFingerprint}, ${manifest.counts.chunks} chunks in the manifest): --docs is not the folder the dataset was built from, or it changed`,
    );
  }
  if (here.questionsFingerprint !== manifest.questionsFingerprint) {
    differences.push(
      `the questions differ (fingerprint ${here.questionsFingerprint}, ${here.questions} usable questions here; ${manifest.questionsFingerprint}, ${manifest.counts.questions} in the manifest): a question, answer, quote, oracle or split is not the same`,
    );
  }
  if (differences.length) throw new CliError(`Cannot rebuild the dataset of this manifest: ${differences.join('; and ')}.`);
}

/** Top-level fields of the rebuilt manifest that differ from the one given (e.g. a model label), for a note. */
export function manifestChanges(before: DatasetManifest, after: DatasetManifest): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof DatasetManifest>;
  return [...keys].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}
