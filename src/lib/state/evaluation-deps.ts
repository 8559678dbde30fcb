// What the Evaluation page's state needs from the rest of the app (corpus, models, template, judge),
// in a file of its own so the run's preparation and the state class both read it without importing each other.
import type { CorpusCalls } from '../clients/evaluation-sources';
import type { EvalRole } from '../core/eval/types';
import type { GenerateFn } from '../core/inference/answer';
import type { PromptTemplate } from '../core/raft/prompt';
import type { EvalDatabase } from '../store/eval-db';

/** The app's parts an evaluation calls: the app wires them in evaluation-app.ts, tests pass fakes. */
export interface EvaluationDeps {
  corpus: { open(): Promise<boolean>; client: CorpusCalls; denseUnavailable: string | null };
  /** The language model of `role`, ready for one answer; throws a NotReadyError saying what to load. */
  acquire(role: EvalRole): Promise<GenerateFn>;
  /** Label and load key of the model loaded in `role`, or null. */
  model(role: EvalRole): { label: string; key: string } | null;
  /** The training template (the Dataset page's). */
  template(): PromptTemplate;
  /** The remote judge's generate, or what is missing before it can be asked. */
  judge(): { generate: GenerateFn } | { error: string };
  openDb?: () => Promise<EvalDatabase>;
  now?: () => number;
}
