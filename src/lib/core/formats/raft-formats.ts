// Export formats of RAFT examples, one JSON object per line. External field names are kept as the
// tools that read them expect them (`cot_answer`, `oracle_context`, `messages`, `prompt`).
import type { RaftExample } from '../raft/types';
import { renderMessages, renderUserPrompt, type PromptTemplate } from '../raft/prompt';

export type ExportFormat = 'gorilla' | 'chat' | 'completion';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['gorilla', 'chat', 'completion'];

/**
 * The RAFT reference implementation's format (gorilla `raft.py`):
 * - `id`, `type` ("general"), `question`;
 * - `context`: `{ title: [[title per document]], sentences: [[text per document]] }`, documents in prompt order;
 * - `oracle_context`: the oracle chunk's text (also when it was left out of the context);
 * - `cot_answer`: the chain-of-thought answer; `instruction`: the documents and the question, as prompted.
 */
export interface GorillaRow {
  id: string;
  type: 'general';
  question: string;
  context: { title: string[][]; sentences: string[][] };
  oracle_context: string;
  cot_answer: string;
  instruction: string;
}

/** Chat `messages` (system/user/assistant), read by TRL's SFTTrainer and OpenAI-style fine-tuning. */
export interface ChatRow {
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
}

/** `prompt`/`completion` pairs (the completion starts with a space, as completion trainers expect). */
export interface CompletionRow {
  prompt: string;
  completion: string;
}

export function toGorilla(example: RaftExample, template: PromptTemplate, oracleText: string): GorillaRow {
  return {
    id: example.id,
    type: 'general',
    question: example.question,
    context: { title: [example.documents.map((d) => d.title)], sentences: [example.documents.map((d) => d.text)] },
    oracle_context: oracleText,
    cot_answer: example.cotAnswer,
    instruction: renderUserPrompt(template, example.documents, example.question),
  };
}

export function toChat(example: RaftExample, template: PromptTemplate): ChatRow {
  return { messages: [...renderMessages(template, example.documents, example.question), { role: 'assistant', content: example.cotAnswer }] };
}

export function toCompletion(example: RaftExample, template: PromptTemplate): CompletionRow {
  const prompt = renderUserPrompt(template, example.documents, example.question);
  return { prompt: template.system ? `${template.system}\n\n${prompt}` : prompt, completion: ` ${example.cotAnswer}` };
}

/** One example as a JSONL line in `format`; `oracleText` looks up an oracle's text even when it was left out. */
export function exampleToRow(example: RaftExample, format: ExportFormat, template: PromptTemplate, oracleText: (chunkId: string) => string): object {
  switch (format) {
    case 'gorilla':
      return toGorilla(example, template, example.oracleChunkIds.map(oracleText).join('\n'));
    case 'chat':
      return toChat(example, template);
    case 'completion':
      return toCompletion(example, template);
  }
}

/** JSON Lines: one compact object per line, each line ending in "\n". */
export function toJsonl(rows: object[]): string {
  return rows.map((row) => JSON.stringify(row) + '\n').join('');
}
