// The Evaluation page's form: which models, which questions (the test split, or a file read for this run
// only), retrieval and generation settings, the answer policy, the bootstrap and the optional remote judge.
// It turns into the core's EvalSettings, or into a message saying what to fix. A run keeps its own copy of
// the settings, and the form starts from the newest run's after a reload.
import { messageOf } from '../core/errors';
import { checkSettings, defaultEvalSettings, parseDistractorList, systemId } from '../core/eval/plan';
import type { EvalQuestion, EvalSettings, EvalSystem, MissingAnswerPolicy } from '../core/eval/types';
import type { OracleHandling } from '../core/inference/context';
import type { PromptTemplate } from '../core/raft/prompt';
import type { RetrievalMode } from '../core/retrieval/types';

/** The four systems the form offers, in the order it lists them. */
export const SYSTEM_CHOICES: readonly EvalSystem[] = [
  { role: 'base', retrieval: true },
  { role: 'tuned', retrieval: true },
  { role: 'base', retrieval: false },
  { role: 'tuned', retrieval: false },
];

export type QuestionSource = 'test' | 'file';

/** Questions read from a file for one run: resolved against the corpus, not added to the question set. */
export interface QuestionFile {
  name: string;
  questions: EvalQuestion[];
  /** Rows that could not be used, with their line and reason. */
  problems: string[];
}

export class EvaluationForm {
  systems = $state<Record<string, boolean>>({});
  source = $state<QuestionSource>('test');
  file = $state.raw<QuestionFile | null>(null);
  mode = $state<RetrievalMode>('lexical');
  k = $state(5);
  oracle = $state<OracleHandling>('retrieved');
  /** "0" or a sweep such as "0, 2, 4". */
  distractors = $state('0');
  maxNewTokens = $state(256);
  greedy = $state(true);
  temperature = $state(0.7);
  topP = $state(0.9);
  missingAnswer = $state<MissingAnswerPolicy>('zero');
  seed = $state(7);
  resamples = $state(2000);
  judge = $state(false);

  constructor() {
    this.apply(defaultEvalSettings());
  }

  /** Fills the form from a run's settings (the newest run, after a reload). */
  apply(settings: EvalSettings): void {
    this.systems = Object.fromEntries(SYSTEM_CHOICES.map((s) => [systemId(s), settings.systems.some((x) => systemId(x) === systemId(s))]));
    this.mode = settings.mode;
    this.k = settings.k;
    this.oracle = settings.oracle;
    this.distractors = settings.distractors.join(', ');
    this.maxNewTokens = settings.generation.maxNewTokens;
    this.greedy = settings.generation.greedy;
    this.temperature = settings.generation.temperature;
    this.topP = settings.generation.topP;
    this.missingAnswer = settings.missingAnswer;
    this.seed = settings.seed;
    this.resamples = settings.resamples;
    this.judge = settings.judge;
  }

  get chosenSystems(): EvalSystem[] {
    return SYSTEM_CHOICES.filter((s) => this.systems[systemId(s)]);
  }

  /** Some chosen system reads retrieved documents (so the retrieval settings matter). */
  get usesRetrieval(): boolean {
    return this.chosenSystems.some((s) => s.retrieval);
  }

  /** The settings for a run with `template`, or what is wrong with the form. */
  settings(template: PromptTemplate): { settings: EvalSettings } | { error: string } {
    let distractors: number[];
    try {
      distractors = parseDistractorList(this.distractors);
    } catch (error) {
      return { error: `Extra distractors: ${messageOf(error)}` };
    }
    const num = (v: unknown) => (typeof v === 'number' ? v : NaN);
    const settings: EvalSettings = {
      systems: this.chosenSystems,
      mode: this.mode,
      k: num(this.k),
      oracle: this.oracle,
      distractors,
      generation: { maxNewTokens: num(this.maxNewTokens), greedy: this.greedy, temperature: num(this.temperature), topP: num(this.topP) },
      missingAnswer: this.missingAnswer,
      seed: num(this.seed),
      resamples: num(this.resamples),
      judge: this.judge,
      template: { ...template },
    };
    if (!settings.generation.greedy && !(settings.generation.temperature >= 0 && settings.generation.temperature <= 2)) return { error: 'The temperature must be from 0 to 2.' };
    if (!settings.generation.greedy && !(settings.generation.topP > 0 && settings.generation.topP <= 1)) return { error: 'Top-p must be above 0 and at most 1.' };
    const problem = checkSettings(settings);
    return problem ? { error: problem } : { settings };
  }
}
