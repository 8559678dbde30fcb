// Deterministic question files of a given size in each import format (JSONL, CSV, JSON), used by the
// import tests (every row parsed) and by the questions benchmark (how fast); and resolved pairs for the split.
import type { QAPair } from '../../src/lib/core/questions';

/** The i-th resolved pair, not yet split, whose oracle is the one chunk `c_<article>`. */
export const splitPair = (i: number, article: string): QAPair => ({
  id: `q_${i}`,
  question: `Question ${i}?`,
  answer: `Answer ${i}`,
  oracleChunkIds: [`c_${article}`],
  split: 'unassigned',
  tags: [],
  origin: 'imported',
  status: 'ok',
  createdAt: 0,
  updatedAt: 0,
});

/** The i-th question row: quotes, commas and tags that every format must carry through. */
export const questionRow = (i: number) => ({
  question: `Question number ${i}: how long do I have to ask for a refund on plan ${i % 7}, "really"?`,
  answer: `Within ${i % 60} days of the first payment, as the refund policy says; see the billing pages for details.`,
  article: `billing/article-${i % 50}.md`,
  quote: `Refunds for monthly plans are available within ${i % 60} days of the first payment of a new subscription.`,
  tags: ['billing', `t${i % 5}`],
});

/** A file's text and how many question rows it holds. */
export interface QuestionFile {
  text: string;
  count: number;
}

/** One file per format, each of about `bytes` characters. */
export function questionFiles(bytes: number): Record<'jsonl' | 'csv' | 'json', QuestionFile> {
  const build = (line: (i: number) => string, header = ''): QuestionFile => {
    const parts = header ? [header] : [];
    let size = header.length;
    for (let i = 0; size < bytes; i++) {
      const text = line(i);
      parts.push(text);
      size += text.length + 1;
    }
    return { text: parts.join('\n'), count: parts.length - (header ? 1 : 0) };
  };
  const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const csvLine = (i: number) => {
    const r = questionRow(i);
    return [r.question, r.answer, r.article, r.quote, r.tags.join(',')].map(csvField).join(',');
  };
  const json = build((i) => JSON.stringify(questionRow(i)) + ',');
  return {
    jsonl: build((i) => JSON.stringify(questionRow(i))),
    csv: build(csvLine, 'question,answer,article,quote,tags'),
    json: { text: `[${json.text.slice(0, -1)}]`, count: json.count },
  };
}
