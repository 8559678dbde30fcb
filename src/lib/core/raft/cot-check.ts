// The checks a model-written chain-of-thought answer passes before it is kept: the RAFT format parses (a final
// `<ANSWER>:` line), it quotes the oracle at least once, every quote is in the oracle (verbatim, or after the
// arena's normalisation, then rewritten to the oracle's exact span), and the final answer agrees with the
// reference answer (token F1). A kept answer is rewritten into one canonical shape.
import { tokenF1 } from '../metrics/answer';
import { findNormalised } from '../text-match';
import { ANSWER_TAG, BEGIN_QUOTE, END_QUOTE, answerSegments, extractQuotes, neutraliseMarkers, parseFinalAnswer, type AnswerSegment } from './answer-format';
import type { CotTask } from './cot-types';

export type CotCheck = { ok: true; cotAnswer: string } | { ok: false; reasons: string[] };

/** Longest excerpt of a quote or reply shown in a rejection reason. */
const EXCERPT = 60;

/**
 * Checks a reply against its task. Kept answers are canonical: they start with `##Reason: `, wrap each quote in
 * `##begin_quote##`/`##end_quote##` around the oracle's exact text, drop special tokens and stray markers, and end
 * with `<ANSWER>: <final answer>` (nothing after it). Rejections give one short line per problem.
 */
export function checkCot(reply: string, task: Pick<CotTask, 'oracleText' | 'answer'>, minAnswerF1: number): CotCheck {
  const segments = answerSegments(reply);
  const reasons: string[] = [];
  // The oracle as the writer's prompt showed it: a kept quote then carries no live marker text.
  const oracleText = neutraliseMarkers(task.oracleText);
  // 1. The format: a final answer, and at least one quote (quoting the oracle is what RAFT teaches).
  const final = finalTagIndex(segments);
  if (final < 0) reasons.push(reply.trim() ? 'no <ANSWER>: line' : 'empty reply');
  const quotes = segments.filter((s): s is Extract<AnswerSegment, { kind: 'quote' }> => s.kind === 'quote');
  if (quotes.length === 0) reasons.push('quotes nothing from the oracle (no ##begin_quote##…##end_quote##)');
  // 2. Every quote in the oracle: verbatim, or after normalisation (case, accents, spacing, quote marks, emphasis).
  const spans: string[] = [];
  for (const quote of quotes) {
    const span = locateInOracle(quote.text.trim(), oracleText);
    if (span === null) reasons.push(`quote not in the oracle: "${excerpt(quote.text.trim())}"`);
    else spans[quote.quote] = span;
  }
  // 3. The final answer agrees with the reference.
  if (final >= 0) {
    const answer = parseFinalAnswer(reply) ?? '';
    const f1 = tokenF1(answer, task.answer);
    if (f1 < minAnswerF1) reasons.push(`final answer F1 ${f1.toFixed(2)} < ${minAnswerF1.toFixed(2)} ("${excerpt(answer)}")`);
  }
  if (reasons.length > 0) return { ok: false, reasons };
  const cotAnswer = canonical(segments, final, spans);
  // NOTE: a sanity check of the rewrite itself; it holds by construction, so it never rejects a good reply.
  const kept = extractQuotes(cotAnswer);
  if (parseFinalAnswer(cotAnswer) === null || kept.length === 0 || kept.some((q) => !oracleText.includes(q))) {
    return { ok: false, reasons: ['the reply could not be rewritten with verbatim quotes'] };
  }
  return { ok: true, cotAnswer };
}

/** The exact text of the oracle a quote stands for, or null when the oracle does not hold it. */
export function locateInOracle(quote: string, oracleText: string): string | null {
  if (!quote) return null;
  if (oracleText.includes(quote)) return quote;
  const span = findNormalised(oracleText, quote);
  return span ? oracleText.slice(span.start, span.end) : null;
}

/** Index of the `<ANSWER>:` segment `parseFinalAnswer` reads (the last one followed by an answer), or -1. */
function finalTagIndex(segments: AnswerSegment[]): number {
  for (let i = segments.length - 1; i >= 0; i--) {
    if (segments[i].kind !== 'answer-tag') continue;
    let answer = '';
    for (let j = i + 1; j < segments.length && segments[j].kind !== 'answer-tag' && segments[j].kind !== 'special'; j++) answer += segments[j].text;
    if (parseFinalAnswer(ANSWER_TAG + answer) !== null) return i;
  }
  return -1;
}

/** The reply rebuilt: canonical markers around the oracle's spans, no special tokens, ending with the final answer. */
function canonical(segments: AnswerSegment[], final: number, spans: string[]): string {
  const render = (from: number, to: number) => {
    let out = '';
    for (let i = from; i < to; i++) {
      const s = segments[i];
      // Text after a dropped piece loses its leading space when one is already there (no "First  ##begin…").
      if (s.kind === 'text') out += /\s$/.test(out) ? s.text.replace(/^[ \t]+/, '') : s.text;
      else if (s.kind === 'begin' && segments[i + 1]?.kind === 'quote') out += BEGIN_QUOTE;
      else if (s.kind === 'quote') out += spans[s.quote] + END_QUOTE;
      // Other markers, earlier answer tags and special tokens are dropped: the quote segments carry their own.
    }
    return out;
  };
  let end = final + 1;
  while (end < segments.length && segments[end].kind !== 'answer-tag' && segments[end].kind !== 'special') end++;
  const answer = parseFinalAnswer(`${ANSWER_TAG} ${render(final + 1, end)}`) ?? '';
  const reasoning = render(0, final)
    .replace(/^\s*##\s*Reason\s*:\s*/i, '')
    .trim();
  return `##Reason: ${reasoning}${reasoning ? ' ' : ''}${ANSWER_TAG} ${answer}`;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT - 1)}…` : flat;
}
