// Before a run's first answer: the checks that would otherwise fail it midway (corpus open, the models
// of its arms loaded, dense retrieval usable, the judge configured), the questions snapshotted, and the
// manifest taken. Returns the run to save. Before a resumed run's next answer: the same models and corpus.
import { ROLE_TITLES } from '../core/eval/plan';
import type { Arm, EvalManifest, EvalRole, EvalRun, EvalSettings } from '../core/eval/types';
import { rolesOf } from '../core/eval/plan';
import type { EvaluationDeps } from './evaluation-deps';
import type { QuestionFile } from './evaluation-form.svelte';
import { evalManifest, evalQuestions } from '../clients/evaluation-sources';

/** The label and load key of the model in each role; throws saying which one to load. */
export function modelsOf(deps: Pick<EvaluationDeps, 'model'>, roles: EvalRole[]): EvalManifest['models'] {
  const models: EvalManifest['models'] = {};
  for (const role of roles) {
    const model = deps.model(role);
    if (!model) throw new Error(`Load the ${ROLE_TITLES[role].toLowerCase()} on the Models page first.`);
    models[role] = model;
  }
  return models;
}

export async function prepareRun(
  deps: EvaluationDeps,
  input: { settings: EvalSettings; arms: Arm[]; file: QuestionFile | null; now: number },
  step: (label: string) => void,
): Promise<EvalRun> {
  const { settings, arms, file, now } = input;
  // 1. What the run needs: the corpus, the models of its arms, dense retrieval, the judge.
  step('Reading the questions…');
  if (!(await deps.corpus.open())) throw new Error('The corpus could not be opened.');
  if (arms.some((a) => a.retrieval) && settings.mode !== 'lexical' && deps.corpus.denseUnavailable) throw new Error(`${settings.mode} retrieval: ${deps.corpus.denseUnavailable}`);
  const models = modelsOf(deps, rolesOf(arms));
  if (settings.judge) {
    const judge = deps.judge();
    if ('error' in judge) throw new Error(`LLM judge: ${judge.error}`);
  }
  // 2. The questions, snapshotted: later edits of the question set do not change this run.
  const client = deps.corpus.client;
  const questions = file ? file.questions : await evalQuestions(client, await client.call('listQuestions', undefined), 'test');
  if (questions.length === 0) {
    throw new Error(file ? `No question of ${file.name} could be tied to a chunk of the corpus.` : 'The test split is empty: make a train/test split on the Questions page first.');
  }
  // 3. The manifest.
  step('Fingerprinting the corpus…');
  const source = file ? { kind: 'file' as const, name: file.name } : { kind: 'test-split' as const, name: 'test split' };
  const manifest = await evalManifest(client, { questions, questionSource: source, models, mode: settings.mode });
  return { id: `run-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`, createdAt: now, updatedAt: now, status: 'running', settings, arms, questions, manifest };
}

/** Throws, saying what to do, unless the models loaded now and the corpus are the ones the run started with. */
export async function checkResume(deps: EvaluationDeps, run: EvalRun, step: (label: string) => void): Promise<void> {
  const models = modelsOf(deps, rolesOf(run.arms));
  for (const role of Object.keys(models) as EvalRole[]) {
    const was = run.manifest.models[role];
    if (was && was.key !== models[role]!.key) throw new Error(`This run was started with ${was.label} as the ${ROLE_TITLES[role].toLowerCase()}: load it again on the Models page, with the same device and dtype, to resume (now loaded: ${models[role]!.label}, ${models[role]!.key.split('|').slice(-2).join(', ')}).`);
  }
  step('Checking the corpus…');
  const now = await evalManifest(deps.corpus.client, { questions: run.questions, questionSource: { kind: run.manifest.questions.kind, name: run.manifest.questions.source }, models, mode: run.settings.mode });
  if (now.corpusFingerprint !== run.manifest.corpusFingerprint) throw new Error('The corpus changed since this run started, so the rest of its answers would not be comparable: start a new run.');
}
