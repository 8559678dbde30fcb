// Export formats of RAFT examples, one JSON object per line. External field names are kept as the
// tools that read them expect them (`cot_answer`, `oracle_context`, `messages`, `prompt`).
import type { RaftExample } from '../raft/types';
import { neutraliseMarkers } from '../raft/answer-format';
import { renderMessages, renderUserPrompt, type PromptDocument, type PromptTemplate } from '../raft/prompt';

export type ExportFormat = 'gorilla' | 'chat' | 'completion';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['gorilla', 'chat', 'completion'];

/** Ends every `prompt` of the completion format, so the model (and whoever prompts it) knows where the answer begins. */
export const COMPLETION_SEPARATOR = '\n\n###\n\n';
/** Ends every `completion`: generation stops there (gorilla `format.py`'s default stop keyword). */
export const COMPLETION_STOP = '<STOP>';

/**
 * The RAFT reference implementation's format (gorilla `raft.py`):
 * - `id`, `type` ("general"), `question`;
 * - `context`: `{ title: [[title per document]], sentences: [[text per document]] }`, documents in prompt order;
 * - `oracle_context`: the text of one oracle chunk (also when it was left out of the context), see {@link oracleContext};
 * - `cot_answer`: the chain-of-thought answer;
 * - `instruction`: gorilla's own layout whatever the app's template, see {@link gorillaInstruction}.
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

/**
 * `prompt`/`completion` pairs as legacy completion fine-tuning expects them: the prompt ends with
 * {@link COMPLETION_SEPARATOR}, the completion starts with a space and ends with {@link COMPLETION_STOP}.
 */
export interface CompletionRow {
  prompt: string;
  completion: string;
}

/**
 * gorilla `raft.py`'s `instruction`: `<DOCUMENT>{text}</DOCUMENT>\n` per document, then the question as the last line;
 * marker text in both neutralised as in every prompt.
 * NOTE: gorilla `format.py --output-format eval` takes every line but the last as the context, so the layout is
 * fixed (the app's template does not apply) and line breaks inside the question become spaces.
 */
export function gorillaInstruction(documents: readonly Pick<PromptDocument, 'text'>[], question: string): string {
  const docs = documents.map((d) => `<DOCUMENT>${neutraliseMarkers(d.text)}</DOCUMENT>\n`).join('');
  return docs + neutraliseMarkers(question).trim().replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * The oracle chunk gorilla's `oracle_context` holds: the first oracle chunk (in the pair's order) whose text holds
 * a quote of the answer, else the first oracle chunk. A multi-chunk oracle thus gives one chunk's text, equal to
 * one of the documents when the oracle is in the context, never the chunks joined.
 */
export function oracleContext(example: Pick<RaftExample, 'oracleChunkIds' | 'quotes'>, oracleText: (chunkId: string) => string): string {
  const texts = example.oracleChunkIds.map(oracleText);
  const quoted = texts.find((text) => example.quotes.some((q) => q.text && text.includes(q.text)));
  return quoted ?? texts[0] ?? '';
}

export function toGorilla(example: RaftExample, oracleText: (chunkId: string) => string): GorillaRow {
  return {
    id: example.id,
    type: 'general',
    question: example.question,
    context: { title: [example.documents.map((d) => d.title)], sentences: [example.documents.map((d) => d.text)] },
    oracle_context: oracleContext(example, oracleText),
    cot_answer: example.cotAnswer,
    instruction: gorillaInstruction(example.documents, example.question),
  };
}

export function toChat(example: RaftExample, template: PromptTemplate): ChatRow {
  return { messages: [...renderMessages(template, example.documents, example.question), { role: 'assistant', content: example.cotAnswer }] };
}

export function toCompletion(example: RaftExample, template: PromptTemplate): CompletionRow {
  const prompt = renderUserPrompt(template, example.documents, example.question);
  return {
    prompt: (template.system ? `${template.system}\n\n${prompt}` : prompt) + COMPLETION_SEPARATOR,
    completion: ` ${example.cotAnswer}${COMPLETION_STOP}`,
  };
}

/** One example as a JSONL line in `format`; `oracleText` looks up an oracle's text even when it was left out. */
export function exampleToRow(example: RaftExample, format: ExportFormat, template: PromptTemplate, oracleText: (chunkId: string) => string): object {
  switch (format) {
    case 'gorilla':
      return toGorilla(example, oracleText);
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
