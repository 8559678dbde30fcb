// Turns one record of an import file (a JSON object, or a CSV row keyed by its header) into a RawQuestionRow:
// field-name aliases, text coercion, feedback/split/tags vocabularies, and a message for anything not understood.
import type { RawQuestionRow } from './types';

/** A problem with one line of an import file. */
export interface LineError {
  /** 1-based line of the file. */
  line: number;
  message: string;
}

type Field = 'question' | 'answer' | 'chunkIds' | 'article' | 'quote' | 'feedback' | 'split' | 'tags';

/** Accepted field names, compared without case, spaces, dashes or underscores (`Chunk ID` = `chunk_id` = `chunkId`). */
const FIELD_NAMES: Record<string, Field> = {
  question: 'question',
  q: 'question',
  answer: 'answer',
  a: 'answer',
  chunkid: 'chunkIds',
  chunkids: 'chunkIds',
  article: 'article',
  quote: 'quote',
  feedback: 'feedback',
  split: 'split',
  tags: 'tags',
};

/** The field a column or key name stands for, or undefined when it is not one we read. */
export function fieldOf(name: string): Field | undefined {
  return FIELD_NAMES[name.toLowerCase().replace(/[\s_-]+/g, '')];
}

const UP = new Set(['up', '+1', '1', '👍', 'thumbs up', 'thumbsup']);
const DOWN = new Set(['down', '-1', '👎', 'thumbs down', 'thumbsdown']);
const NONE = new Set(['', '0', 'none']);

/**
 * Checks one record. A missing or blank question drops the row (with an error); a value that is not understood
 * in another field is ignored (with an error saying so) and the row is kept.
 */
export function rowFromRecord(record: Record<string, unknown>, line: number): { row: RawQuestionRow | null; errors: LineError[] } {
  const errors: LineError[] = [];
  const fail = (message: string) => errors.push({ line, message });
  const values: Partial<Record<Field, unknown>> = {};
  for (const [key, value] of Object.entries(record)) {
    const field = fieldOf(key);
    if (field && values[field] === undefined) values[field] = value;
  }
  const text = (field: Field): string | undefined => {
    const value = values[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value.trim() || undefined;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    fail(`${field} must be text; ignored`);
    return undefined;
  };

  const question = text('question');
  if (!question) {
    fail(values.question === undefined ? 'no question field' : 'empty question');
    return { row: null, errors };
  }
  const row: RawQuestionRow = { line, question, tags: tagsOf(values.tags, fail) };
  const answer = text('answer');
  if (answer) row.answer = answer;
  const chunkIds = chunkIdsOf(values.chunkIds, fail);
  if (chunkIds.length > 0) row.chunkIds = chunkIds;
  const article = text('article');
  if (article) row.article = article;
  const quote = text('quote');
  if (quote) row.quote = quote;

  const feedback = text('feedback')?.toLowerCase().replace(/[\u{1f3fb}-\u{1f3ff}\ufe0f]/gu, '');
  if (feedback !== undefined && UP.has(feedback)) row.feedback = 1;
  else if (feedback !== undefined && DOWN.has(feedback)) row.feedback = -1;
  else if (feedback !== undefined && !NONE.has(feedback)) fail(`feedback "${feedback}" not understood (use up/down, 1/-1 or 👍/👎); ignored`);

  const split = text('split')?.toLowerCase();
  if (split === 'train' || split === 'test') row.split = split;
  else if (split !== undefined) fail(`split "${split}" not understood (use train or test); ignored`);
  return { row, errors };
}

function tagsOf(value: unknown, fail: (message: string) => void): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  if (!list) {
    fail('tags must be a list or comma-separated text; ignored');
    return [];
  }
  const tags = list.filter((t) => typeof t === 'string' || typeof t === 'number').map((t) => String(t).trim().replace(/^#/, ''));
  return [...new Set(tags.filter(Boolean))];
}

function chunkIdsOf(value: unknown, fail: (message: string) => void): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,;|]+/) : null;
  if (!list || list.some((id) => typeof id !== 'string')) {
    fail('chunk_id must be text or a list of texts; ignored');
    return [];
  }
  return [...new Set((list as string[]).map((id) => id.trim()).filter(Boolean))];
}
