// What a RAFT answer did with its documents: which quotes are verbatim, where they come from, whether
// it cited the oracle or was distracted, and whether it kept the answer format; the one-line verdict the
// arena shows per answer, and the spans of a document that answers quoted. Shared by the arena (one
// answer) and the evaluation (aggregates).
import { extractQuotes, parseFinalAnswer } from '../raft/answer-format';
import { findNormalised } from '../text-match';

export interface AnalysedQuote {
  /** The quote as the model wrote it between the markers (trimmed). */
  text: string;
  /** Every document that contains the quote verbatim (a quote may sit in two overlapping chunks). */
  documentIndexes: number[];
  verbatim: boolean;
  /** Found verbatim in an oracle document. */
  fromOracle: boolean;
  /** Found verbatim in a non-oracle document that also holds the answer (never a distractor: see `distractor-check.ts`). */
  fromAnswerBearing: boolean;
  /** The exact text found in those documents: the quote, or the quote without enclosing quotation marks; null when not verbatim. */
  found: string | null;
  /** Not verbatim, but found after normalising case, spacing, quote marks and emphasis (e.g. a newline written as a space). */
  nearDocumentIndexes: number[];
  /** Not verbatim in any one document, but its start ends document i and its rest starts document i + 1. */
  spansDocuments: [number, number] | null;
}

export interface AnswerAnalysis {
  quotes: AnalysedQuote[];
  /** The text after `<ANSWER>:`, or null when the model did not follow the format. */
  finalAnswer: string | null;
  formatValid: boolean;
  /** Share of quotes that are verbatim substrings of a provided document (null without quotes). */
  quoteFidelity: number | null;
  /** At least one quote comes from an oracle document (null when no oracle was shown). */
  citedOracle: boolean | null;
  /** Quotes were given, all verbatim ones come from distractors, none from an oracle or a document that also holds the answer. */
  distracted: boolean;
}

/**
 * `oracle[i]` says whether document i is an oracle; `answerBearing[i]` whether a non-oracle document i holds the
 * answer anyway (a retrieved chunk that repeats it): quoting such a document is not being distracted.
 */
export function analyseAnswer(text: string, documents: string[], oracle: boolean[], answerBearing: boolean[] = []): AnswerAnalysis {
  const quotes = extractQuotes(text).map((quote) => analyseQuote(quote, documents, oracle, answerBearing));
  const finalAnswer = parseFinalAnswer(text);
  const verbatim = quotes.filter((q) => q.verbatim);
  const anyOracle = oracle.some(Boolean);
  return {
    quotes,
    finalAnswer,
    formatValid: finalAnswer !== null,
    quoteFidelity: quotes.length ? verbatim.length / quotes.length : null,
    citedOracle: anyOracle ? quotes.some((q) => q.fromOracle) : null,
    distracted: verbatim.length > 0 && verbatim.every((q) => !q.fromOracle && !q.fromAnswerBearing),
  };
}

const ENCLOSED = /^["'\u201c\u2018\u00ab]\s*([\s\S]+?)\s*["'\u201d\u2019\u00bb]$/;

function analyseQuote(text: string, documents: string[], oracle: boolean[], answerBearing: boolean[]): AnalysedQuote {
  const inner = ENCLOSED.exec(text)?.[1];
  for (const candidate of inner ? [text, inner] : [text]) {
    const documentIndexes = documents.flatMap((doc, i) => (doc.includes(candidate) ? [i] : []));
    if (documentIndexes.length > 0) {
      const fromOracle = documentIndexes.some((i) => oracle[i]);
      const fromAnswerBearing = documentIndexes.some((i) => !oracle[i] && answerBearing[i]);
      return { text, documentIndexes, verbatim: true, fromOracle, fromAnswerBearing, found: candidate, nearDocumentIndexes: [], spansDocuments: null };
    }
  }
  const nearDocumentIndexes = documents.flatMap((doc, i) => (findNormalised(doc, text) ? [i] : []));
  return { text, documentIndexes: [], verbatim: false, fromOracle: false, fromAnswerBearing: false, found: null, nearDocumentIndexes, spansDocuments: spanningDocuments(text, documents) };
}

/** Whitespace and tags (`</DOCUMENT>`, `<DOCUMENT>`) a quote copied across two documents carries at the join. */
const JOIN = /^(?:\s|<[^<>\n]{0,40}>)+|(?:\s|<[^<>\n]{0,40}>)+$/g;

/** The consecutive documents [i, i + 1] a quote runs across: its head ends document i, its tail starts i + 1. */
export function spanningDocuments(quote: string, documents: string[]): [number, number] | null {
  const probe = quote.slice(0, Math.min(12, quote.length));
  if (!probe.trim()) return null;
  for (let i = 0; i + 1 < documents.length; i++) {
    const doc = documents[i].trimEnd();
    const next = documents[i + 1].trimStart();
    for (let at = doc.indexOf(probe); at >= 0; at = doc.indexOf(probe, at + 1)) {
      const head = doc.slice(at);
      if (!quote.startsWith(head)) continue;
      const tail = quote.slice(head.length).replace(JOIN, '');
      if (tail && next.startsWith(tail)) return [i, i + 1];
    }
  }
  return null;
}

/** What the question is known to need, for the verdict. */
export interface VerdictContext {
  /** The question comes from the question set, so its oracle chunk is known. */
  oracleKnown: boolean;
  /** Document i is an oracle. */
  oracle: boolean[];
  /** Document i is not an oracle but holds the answer (or the oracle's quote) anyway. */
  answerBearing?: boolean[];
  /** The answer text is empty (the model wrote nothing). */
  empty: boolean;
}

export type VerdictKind = 'empty' | 'cited-oracle' | 'distracted' | 'quoted' | 'not-in-documents' | 'no-quotes';

export interface Verdict {
  kind: VerdictKind;
  /** The one line the user reads first, e.g. "cited the oracle". */
  line: string;
  /** Facts behind the line, one sentence each. */
  details: string[];
  tone: 'good' | 'bad' | 'neutral';
}

const documentList = (indexes: number[]) => {
  const names = indexes.map((i) => String(i + 1));
  return `${indexes.length > 1 ? 'documents' : 'document'} ${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0]}`;
};

/** Who cited the right document, who was distracted: the verdict line of one answer. */
export function answerVerdict(analysis: AnswerAnalysis, context: VerdictContext): Verdict {
  const { quotes } = analysis;
  const verbatim = quotes.filter((q) => q.verbatim);
  const details: string[] = [];
  const missed = quotes.length - verbatim.length;
  if (missed > 0 && verbatim.length > 0) details.push(`${missed} of ${quotes.length} quotes ${missed === 1 ? 'is' : 'are'} not in any document.`);
  for (const q of quotes.filter((q) => !q.verbatim)) {
    const short = q.text.length > 60 ? `${q.text.slice(0, 57)}…` : q.text;
    if (q.spansDocuments) details.push(`“${short}” runs across ${documentList(q.spansDocuments)}, verbatim in neither.`);
    else if (q.nearDocumentIndexes.length) details.push(`“${short}” matches ${documentList(q.nearDocumentIndexes)} only with different case, spacing or punctuation.`);
  }
  const cited = [...new Set(verbatim.flatMap((q) => q.documentIndexes))].sort((a, b) => a - b);
  const oracleShown = context.oracle.some(Boolean);
  if (context.empty) return { kind: 'empty', line: 'no answer: the model wrote nothing', details, tone: 'bad' };
  if (verbatim.some((q) => q.fromOracle)) {
    const others = cited.filter((i) => !context.oracle[i]);
    details.unshift(`Quoted ${documentList(cited.filter((i) => context.oracle[i]))} (oracle)${others.length ? ` and ${documentList(others)} (distractor)` : ''}.`);
    return { kind: 'cited-oracle', line: 'cited the oracle', details, tone: 'good' };
  }
  const bearing = cited.filter((i) => context.answerBearing?.[i]);
  if (bearing.length > 0 && context.oracleKnown) {
    details.unshift(`Quoted ${documentList(bearing)}, which also ${bearing.length > 1 ? 'hold' : 'holds'} the answer: not the oracle, but not a distractor either.`);
    return { kind: 'quoted', line: `quoted ${documentList(bearing)}, which also ${bearing.length > 1 ? 'hold' : 'holds'} the answer`, details, tone: 'good' };
  }
  if (verbatim.length > 0 && context.oracleKnown) {
    details.unshift(`Quoted ${documentList(cited)}: ${oracleShown ? 'the oracle was among the documents, unquoted' : 'the oracle was not among the documents'}.`);
    return { kind: 'distracted', line: 'distracted: quoted only distractors', details, tone: 'bad' };
  }
  if (verbatim.length > 0) {
    details.unshift('A question typed freely has no known oracle: pick a test question to see whether this is the right document.');
    return { kind: 'quoted', line: `quoted ${documentList(cited)}`, details, tone: 'neutral' };
  }
  if (quotes.length > 0) return { kind: 'not-in-documents', line: 'quote not in any document', details, tone: 'bad' };
  return { kind: 'no-quotes', line: 'no quotes', details, tone: 'neutral' };
}

/** A stretch of a document and the answers (by owner name) that quoted it; no owner: not quoted. */
export interface QuotedSpan {
  text: string;
  owners: string[];
}

/**
 * `text` cut where the quotes of each owner (e.g. 'base', 'tuned') start and end: every occurrence of every
 * quote is marked with its owner, overlaps carry both owners, and the spans concatenate back to `text`.
 */
export function quotedSpans(text: string, quotes: { owner: string; quotes: readonly string[] }[]): QuotedSpan[] {
  const cuts = new Set([0, text.length]);
  const ranges: { start: number; end: number; owner: string }[] = [];
  for (const { owner, quotes: list } of quotes) {
    for (const quote of list) {
      if (!quote) continue;
      for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1)) {
        ranges.push({ start: at, end: at + quote.length, owner });
        cuts.add(at).add(at + quote.length);
      }
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const spans: QuotedSpan[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const [start, end] = [points[k], points[k + 1]];
    const owners = quotes.map((q) => q.owner).filter((owner) => ranges.some((r) => r.owner === owner && r.start <= start && r.end >= end));
    const last = spans.at(-1);
    if (last && last.owners.join() === owners.join()) last.text += text.slice(start, end);
    else spans.push({ text: text.slice(start, end), owners });
  }
  return spans.length ? spans : [{ text, owners: [] }];
}
