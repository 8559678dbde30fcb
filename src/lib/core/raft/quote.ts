// Picks the verbatim span of the oracle that the chain-of-thought answer quotes.
import { terms } from '../retrieval/lexical-terms';
import { groundAnswer } from '../questions/grounding';

/**
 * The pair's own quote when it is a verbatim part of the oracle; else the span of the oracle that
 * grounds the answer; else the oracle sentence sharing the most terms with question and answer.
 * Always an exact substring of `oracleText`.
 */
export function chooseQuote(oracleText: string, quote: string | undefined, answer: string, question: string): string {
  if (quote && oracleText.includes(quote)) return quote;
  const grounded = groundAnswer(answer, oracleText);
  if (grounded) return grounded.quote;
  return bestSentence(oracleText, `${question} ${answer}`);
}

function bestSentence(text: string, query: string): string {
  const wanted = new Set(terms(query));
  const lines = text.split('\n').slice(1).join('\n') || text; // skip the heading line
  const sentences = lines.match(/[^.!?\n]+[.!?]?/g)?.map((s) => s.trim()).filter((s) => s.length > 0) ?? [text.trim()];
  let best = sentences[0];
  let bestScore = -1;
  for (const sentence of sentences) {
    const score = terms(sentence).filter((t) => wanted.has(t)).length;
    if (score > bestScore) {
      best = sentence;
      bestScore = score;
    }
  }
  return best;
}
