// The app-wide state objects, shared with components through Svelte context (so tests can mount a
// component with their own, e.g. fake model clients).
import { getContext, setContext } from 'svelte';
import type { ArenaState } from './arena.svelte';
import type { Corpus } from './corpus.svelte';
import type { DatasetState } from './dataset.svelte';
import type { Environment } from './environment.svelte';
import type { EvaluationState } from './evaluation.svelte';
import type { ModelsState } from './models.svelte';
import type { QuestionGeneration } from './question-generation.svelte';
import type { QuestionsState } from './questions.svelte';
import type { Router } from './router.svelte';
import type { SearchState } from './search.svelte';
import type { Settings } from './settings.svelte';
import type { TrainingState } from './training.svelte';

export interface AppState {
  settings: Settings;
  env: Environment;
  router: Router;
  models: ModelsState;
  corpus: Corpus;
  search: SearchState;
  questions: QuestionsState;
  generation: QuestionGeneration;
  dataset: DatasetState;
  arena: ArenaState;
  evaluation: EvaluationState;
  training: TrainingState;
}

const KEY = Symbol('app-state');

export function setAppState(state: AppState): AppState {
  return setContext(KEY, state);
}

export function getAppState(): AppState {
  const state = getContext<AppState | undefined>(KEY);
  if (!state) throw new Error('App state is missing: mount the component inside App, or call setAppState first.');
  return state;
}
