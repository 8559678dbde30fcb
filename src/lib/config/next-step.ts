// The step that follows each stage once its job is done ("Next: write or load questions"), in the order of
// STAGES, with one detour: a stage that needs a language model points to Models first, and Models points
// back to the stage that was waiting for it. Pure, so it is tested in Node.
import type { StageId } from './stages';

/** What the user has done so far, as the pages know it. */
export interface Progress {
  /** Articles in the corpus. */
  articles: number;
  /** Question pairs tied to a chunk. */
  questions: number;
  /** A RAFT dataset has been built from them. */
  datasetBuilt: boolean;
  /** Language models loaded (base and fine-tuned: 0 to 2). */
  languageModels: number;
  /** An arena question has been answered by at least one model. */
  arenaAnswered: boolean;
  /** An evaluation run has finished. */
  evaluationDone: boolean;
}

export interface NextStep {
  stage: StageId;
  /** The link text, e.g. "Next: write or load questions". */
  label: string;
}

const step = (stage: StageId, label: string): NextStep => ({ stage, label: `Next: ${label}` });

const QUESTIONS = step('questions', 'write or load questions');
const DATASET = step('dataset', 'build the RAFT dataset');
const MODELS = step('models', 'load the base and fine-tuned models');
const FINETUNE = step('finetune', 'fine-tune the base model on it, here');
const ARENA = step('arena', 'ask both models in the Arena');
const EVALUATION = step('evaluation', 'evaluate on held-out questions');

/** The step after `stage` given `progress`, or null while the stage's own job is not done (or it is the last). */
export function nextStep(stage: StageId, progress: Progress): NextStep | null {
  const p = progress;
  switch (stage) {
    case 'raft':
      return step('corpus', p.articles > 0 ? 'see your documents on the Corpus page' : 'add documents on the Corpus page');
    case 'corpus':
    case 'search':
      return p.articles > 0 ? QUESTIONS : null;
    case 'questions':
      return p.questions > 0 ? DATASET : null;
    case 'dataset':
      // NOTE: the export can also be fine-tuned outside the browser (the recipe); the arena takes either model.
      return p.datasetBuilt ? FINETUNE : null;
    case 'finetune':
      // NOTE: training here is optional (the recipe trains elsewhere): the arena detours through Models if need be.
      return ARENA;
    case 'arena':
      if (p.languageModels === 0) return MODELS;
      return p.arenaAnswered ? EVALUATION : null;
    case 'evaluation':
      return p.languageModels === 0 && !p.evaluationDone ? MODELS : null;
    case 'models':
      if (p.languageModels === 0) return null;
      return p.arenaAnswered ? EVALUATION : ARENA;
    case 'settings':
      return null;
  }
}
