// The writer model's prompt (after gorilla `raft.py`'s `generate_label`) and the messages of each attempt.
import type { ChatMessage } from '../generation';
import { neutraliseMarkers } from './answer-format';
import type { CotPrompt, CotTask } from './cot-types';

/**
 * The writer's prompt, after gorilla `raft.py`'s "gpt" prompt for `generate_label` (question + oracle context,
 * step-by-step reasoning, quotes between ##begin_quote## and ##end_quote##, a final `<ANSWER>: $answer`).
 * NOTE: unlike gorilla, our writer also gets the pair's reference answer, so its final answer agrees with the
 * answer the user wrote or accepted (gorilla trusts GPT-4's own answer; our check rejects a final answer that disagrees).
 */
export const DEFAULT_COT_PROMPT: Readonly<CotPrompt> = Object.freeze({
  system: 'You are a helpful question answerer who can provide an answer given a question and relevant context.',
  user: [
    'Question: {question}',
    'Context: {context}',
    'Reference answer: {answer}',
    '',
    'Answer this question using the information given in the context above. Pay attention to these points:',
    '- First provide step-by-step reasoning on how to answer the question.',
    '- In the reasoning, copy the sentences of the context you rely on word for word and put them between ##begin_quote## and ##end_quote##. Text outside ##begin_quote## and ##end_quote## is not copied from the context.',
    '- Quote the context at least once.',
    '- Your final answer must agree with the reference answer.',
    '- End your response with the final answer in the form <ANSWER>: $answer, the answer should be succinct.',
    'You MUST begin your final answer with the tag "<ANSWER>:".',
  ].join('\n'),
});

/** The placeholders of the writer's user prompt. */
export const COT_PLACEHOLDERS = ['question', 'context', 'answer', 'quote', 'title'] as const;

/**
 * Fills the placeholders in one pass, so placeholder-like text inside the oracle is never substituted again; marker
 * text in the data is neutralised as in every prompt (the reply's quotes are checked against the oracle so shown).
 */
function fill(template: string, task: CotTask): string {
  const data = { question: task.question, context: task.oracleText, answer: task.answer, quote: task.quote, title: task.title };
  const values: Record<string, string> = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, neutraliseMarkers(value)]));
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? values[key] : whole));
}

/**
 * The messages of one attempt: system (when not empty) and the filled user prompt; a retry adds the rejected reply
 * as the assistant's turn and a user turn saying why it was rejected and what to do instead.
 */
export function cotMessages(prompt: CotPrompt, task: CotTask, previous?: { reply: string; reasons: string[] }): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (prompt.system.trim()) messages.push({ role: 'system', content: prompt.system });
  messages.push({ role: 'user', content: fill(prompt.user, task) });
  if (previous) {
    messages.push({ role: 'assistant', content: previous.reply });
    messages.push({
      role: 'user',
      content: `That answer was rejected: ${previous.reasons.join('; ')}. Write it again: copy at least one passage of the context word for word between the quote markers, and end with the final answer tag followed by an answer that agrees with the reference answer.`,
    });
  }
  return messages;
}
