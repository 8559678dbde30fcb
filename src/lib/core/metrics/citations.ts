// What a RAFT answer did with its documents: which quotes are verbatim, where they come from, whether
// it cited the oracle or was distracted, and whether it kept the answer format. Shared by the arena
// (one answer) and the evaluation (aggregates).
import { extractQuotes, parseFinalAnswer } from '../raft/answer-format';

export interface AnalysedQuote {
  text: string;
  /** Every document that contains the quote verbatim (a quote may sit in two overlapping chunks). */
  documentIndexes: number[];
  verbatim: boolean;
  /** Found verbatim in an oracle document. */
  fromOracle: boolean;
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
  /** Quotes were given, all verbatim ones come from distractors, none from an oracle. */
  distracted: boolean;
}

/** `oracle[i]` says whether document i is an oracle. */
export function analyseAnswer(text: string, documents: string[], oracle: boolean[]): AnswerAnalysis {
  const quotes = extractQuotes(text).map((quote) => {
    const documentIndexes = documents.flatMap((doc, i) => (doc.includes(quote) ? [i] : []));
    return { text: quote, documentIndexes, verbatim: documentIndexes.length > 0, fromOracle: documentIndexes.some((i) => oracle[i]) };
  });
  const finalAnswer = parseFinalAnswer(text);
  const verbatim = quotes.filter((q) => q.verbatim);
  const anyOracle = oracle.some(Boolean);
  return {
    quotes,
    finalAnswer,
    formatValid: finalAnswer !== null,
    quoteFidelity: quotes.length ? verbatim.length / quotes.length : null,
    citedOracle: anyOracle ? quotes.some((q) => q.fromOracle) : null,
    distracted: verbatim.length > 0 && verbatim.every((q) => !q.fromOracle),
  };
}
