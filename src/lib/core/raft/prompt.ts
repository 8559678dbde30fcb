// The prompt layout, defined once and used both to build training examples and at inference time
// (arena, evaluation), so the fine-tuned model sees at test time exactly what it was trained on.
import type { ChatMessage } from '../generation';
import { formatHeadingPath } from '../chunking/types';
import { neutraliseMarkers } from './answer-format';

export interface PromptTemplate {
  /** System message of the chat format (empty: no system message). */
  system: string;
  /** One document; placeholders {text}, {title}, {heading}. */
  document: string;
  /** The user turn; placeholders {documents} and {question}. */
  user: string;
}

/** As in the RAFT reference implementation: `<DOCUMENT>…</DOCUMENT>` per document, then the question. */
export const DEFAULT_TEMPLATE: Readonly<PromptTemplate> = Object.freeze({
  system:
    'You are a helpful assistant. Answer the question using the documents. Quote the sentences you rely on verbatim between ##begin_quote## and ##end_quote##, ignore documents that do not help, and end with <ANSWER>: followed by the final answer.',
  document: '<DOCUMENT>{text}</DOCUMENT>\n',
  user: '{documents}{question}',
});

export interface PromptDocument {
  text: string;
  title: string;
  headingPath: string[];
}

function fill(template: string, values: Record<string, string>): string {
  // One pass, so placeholder-like text inside a document is never substituted again.
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? values[key] : whole));
}

/** The user turn. Marker text inside the data is neutralised here, the one place every prompt is built (README). */
export function renderUserPrompt(template: PromptTemplate, documents: PromptDocument[], question: string): string {
  const docs = documents
    .map((d) => fill(template.document, { text: neutraliseMarkers(d.text), title: neutraliseMarkers(d.title), heading: neutraliseMarkers(formatHeadingPath(d.headingPath)) }))
    .join('');
  return fill(template.user, { documents: docs, question: neutraliseMarkers(question) });
}

export function renderMessages(template: PromptTemplate, documents: PromptDocument[], question: string): ChatMessage[] {
  const user: ChatMessage = { role: 'user', content: renderUserPrompt(template, documents, question) };
  return template.system ? [{ role: 'system', content: template.system }, user] : [user];
}

/** Checks a user-edited template; returns what is wrong, or null. */
export function checkTemplate(template: PromptTemplate): string | null {
  if (!template.user.includes('{documents}')) return 'The user template must contain {documents}.';
  if (!template.user.includes('{question}')) return 'The user template must contain {question}.';
  if (!template.document.includes('{text}')) return 'The document template must contain {text}.';
  return null;
}
