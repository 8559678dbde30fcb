// What each export format is for and which fields its JSONL lines carry, as the Dataset page explains them.
import type { ExportFormat } from '../../core/formats/raft-formats';

export interface FormatInfo {
  label: string;
  /** Who reads this format. */
  use: string;
  fields: { name: string; meaning: string }[];
}

export const FORMAT_INFO: Record<ExportFormat, FormatInfo> = {
  gorilla: {
    label: 'gorilla (reference RAFT)',
    use: 'The format of the RAFT reference implementation (gorilla raft.py).',
    fields: [
      { name: 'id', meaning: 'the example’s id' },
      { name: 'type', meaning: '"general"' },
      { name: 'question', meaning: 'the question' },
      { name: 'context', meaning: '{ title: [[title per document]], sentences: [[text per document]] }, in prompt order' },
      { name: 'oracle_context', meaning: 'the oracle chunk’s text, also when it was left out of the context (several oracle chunks: the one the answer quotes)' },
      { name: 'cot_answer', meaning: 'the chain-of-thought answer, ending with <ANSWER>:' },
      { name: 'instruction', meaning: 'gorilla’s layout whatever the template: <DOCUMENT>…</DOCUMENT> per document, then the question as the last line' },
    ],
  },
  chat: {
    label: 'chat messages (TRL SFTTrainer / OpenAI)',
    use: 'Conversations for chat fine-tuning: TRL’s SFTTrainer, OpenAI-style fine-tuning.',
    fields: [{ name: 'messages', meaning: '[system (if any), user: the documents and the question, assistant: the chain-of-thought answer]' }],
  },
  completion: {
    label: 'prompt/completion',
    use: 'Plain pairs for completion trainers.',
    fields: [
      { name: 'prompt', meaning: 'the system message, a blank line, the documents and the question, then the separator \\n\\n###\\n\\n' },
      { name: 'completion', meaning: 'a space, the chain-of-thought answer, then the stop sequence <STOP>' },
    ],
  },
};
