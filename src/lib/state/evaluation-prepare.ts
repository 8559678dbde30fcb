// Before a run's first answer: the checks that would otherwise fail it midway (corpus open, the models
// of its arms loaded, dense retrieval usable, the judge configured), the questions snapshotted, and the
// manifest taken. Returns the run to save.
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
