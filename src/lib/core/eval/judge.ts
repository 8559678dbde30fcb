// The optional LLM-as-judge: a remote model grades each final answer against the reference. Its
// verdicts are reported in a column of their own ("judge (remote)"), never mixed into EM or F1:
// they depend on a model outside the run and are not reproducible like the greedy answers.
import type { ChatMessage, GenerationSettings } from '../generation';
import type { GenerateFn } from '../inference/answer';
import type { JudgeVerdict } from './types';

export interface JudgeInput {
  question: string;
  reference: string;
  /** The text that was scored: the final answer, or the whole reply when it had none. */
  answer: string;
}

/** Deterministic and short: the verdict is one word. */
export const JUDGE_SETTINGS: GenerationSettings = { maxNewTokens: 8, temperature: 0, topP: 1, greedy: true };

export function judgeMessages({ question, reference, answer }: JudgeInput): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        'You grade answers to questions against a reference answer. An answer is CORRECT when it states the same facts as the reference (wording may differ, extra detail is fine as long as nothing contradicts it), otherwise INCORRECT. Reply with exactly one word: CORRECT or INCORRECT.',
    },
    { role: 'user', content: `Question: ${question}\nReference answer: ${reference}\nAnswer to grade: ${answer || '(no answer)'}\n\nCORRECT or INCORRECT?` },
  ];
}

/** The judge's one word, tolerant of case, punctuation and a short preamble; null when it said neither. */
export function parseVerdict(reply: string): boolean | null {
  const match = /\b(INCORRECT|CORRECT|NOT\s+CORRECT)\b/i.exec(reply);
  if (!match) return null;
  return match[1].toUpperCase() === 'CORRECT';
}

/** Grades one answer with `generate` (the remote endpoint's). Throws what the endpoint threw. */
export async function judgeAnswer(generate: GenerateFn, input: JudgeInput, signal?: AbortSignal): Promise<JudgeVerdict> {
  const result = await generate(judgeMessages(input), JUDGE_SETTINGS, { signal });
  return { correct: parseVerdict(result.text), reply: result.text };
}
