// The RAFT answer format, written and read in one place: "##Reason: ... ##begin_quote##<verbatim
// text>##end_quote## ... <ANSWER>: <final answer>". Reading tolerates what real models produce.

export const BEGIN_QUOTE = '##begin_quote##';
export const END_QUOTE = '##end_quote##';
export const ANSWER_TAG = '<ANSWER>:';

export interface CotParts {
  /** The document the quote comes from, e.g. its title and heading path. */
  sourceLabel: string;
  quote: string;
  answer: string;
}

/**
 * A chain-of-thought answer that quotes the oracle verbatim (as the prompt shows it: markers neutralised, see
 * {@link neutraliseMarkers}) and ends with the final answer.
 */
export function writeCotAnswer({ sourceLabel, quote, answer }: CotParts): string {
  const [label, shown, final] = [sourceLabel, quote, answer].map(neutraliseMarkers);
  return `##Reason: The document "${label}" says ${BEGIN_QUOTE}${shown}${END_QUOTE} This answers the question directly. ${ANSWER_TAG} ${final}`;
}

/**
 * The answer for examples whose oracle was left out: no quote to give, answer from what was learned. It claims only
 * what the builder guarantees: the passage the answer comes from is not among the documents (the oracle, chunks with
 * its quote and near-copies of it are left out, and so is any chunk holding the answer: `distractor-check.ts`). It
 * does not claim that no document answers: a paraphrase elsewhere could, and the target must never be false.
 */
export function writeNoOracleAnswer(answer: string): string {
  return `##Reason: The documents do not include the passage this answer comes from, so I answer from what I know. ${ANSWER_TAG} ${neutraliseMarkers(answer)}`;
}

/** Quote markers as models write them: `##begin_quote##`, `## BEGIN_QUOTE ##`, `##begin quote##`, `##begin-quote##`. */
const BEGIN_PATTERN = String.raw`##\s*begin[\s_-]?quote\s*##`;
const END_PATTERN = String.raw`##\s*end[\s_-]?quote\s*##`;
/** `<ANSWER>:`, `<answer>:`, `< ANSWER > :` and `<ANSWER>` without the colon; never `</ANSWER>`. */
const ANSWER_PATTERN = String.raw`<\s*ANSWER\s*>(?:\s*:)?`;
/** End-of-turn and other special tokens a tokenizer may leave in the text (`<|im_end|>`, `</s>`, `<eos>`). */
const SPECIAL_PATTERN = String.raw`<\|[^|<>\n]{1,40}\|>|<\/s>|<eos>|<end_of_turn>|<start_of_turn>`;
const TOKENS = new RegExp(`(${BEGIN_PATTERN})|(${END_PATTERN})|(${ANSWER_PATTERN})|(${SPECIAL_PATTERN})`, 'gi');
/** Every marker a prompt or a reply is read by: the above, `</ANSWER>`, the default template's `<DOCUMENT>` tags, and `<STOP>` (completion format). */
const MARKERS = new RegExp([BEGIN_PATTERN, END_PATTERN, ANSWER_PATTERN, String.raw`<\s*\/\s*ANSWER\s*>`, String.raw`<\s*\/?\s*DOCUMENT\s*>`, String.raw`<\s*STOP\s*>`, SPECIAL_PATTERN].join('|'), 'gi');
const LOOKALIKE: Record<string, string> = { '<': '\uff1c', '>': '\uff1e', '#': '\uff03', '|': '\uff5c' };

/**
 * Data text (a document, question, answer, quote or title) with every marker in it made inert: inside a marker,
 * `<`, `>`, `#` and `|` become their fullwidth look-alikes (`</DOCUMENT>` → `＜/DOCUMENT＞`, `##end_quote##` →
 * `＃＃end_quote＃＃`, `<|im_end|>` → `＜｜im_end｜＞`), which no template, parser or tokenizer reads as a marker. A
 * document can then neither close its block early nor lend a reply a quote end or a final answer. Idempotent.
 */
export function neutraliseMarkers(text: string): string {
  return text.replace(MARKERS, (marker) => marker.replace(/[<>#|]/g, (c) => LOOKALIKE[c]));
}

/** One piece of an answer: plain text, a marker, the answer tag, a special token, or a quote (the n-th, 0-based). */
export type AnswerSegment =
  | { kind: 'text' | 'begin' | 'end' | 'answer-tag' | 'special'; text: string }
  | { kind: 'quote'; text: string; quote: number };

/**
 * The answer cut into its parts, in order; concatenating the parts' text gives the answer back. A quote runs
 * from a begin marker to the end marker, or (left unterminated) to the next begin marker, `<ANSWER>:`, a special
 * token or the end of the text. An `<ANSWER>:` or a special token with the quote's end marker still to come is
 * part of the quote (documents can contain such text). Blank quotes are text. The n-th quote is
 * `extractQuotes(text)[n]`, untrimmed.
 */
export function answerSegments(text: string): AnswerSegment[] {
  const tokens = [...text.matchAll(TOKENS)].map((m) => {
    const [token, begin, end, tag] = m;
    return { at: m.index, token, kind: begin ? 'begin' : end ? 'end' : tag ? 'answer-tag' : 'special' } as const;
  });
  // For each token, whether the next marker after it closes a quote (an end marker, not a new begin).
  const closesLater: boolean[] = new Array(tokens.length).fill(false);
  let next: 'begin' | 'end' | null = null;
  for (let i = tokens.length - 1; i >= 0; i--) {
    closesLater[i] = next === 'end';
    const kind = tokens[i].kind;
    if (kind === 'begin' || kind === 'end') next = kind;
  }
  const segments: AnswerSegment[] = [];
  let at = 0;
  let quoteFrom: number | null = null;
  let quotes = 0;
  const pushText = (part: string) => {
    if (part) segments.push({ kind: 'text', text: part });
  };
  const closeQuote = (until: number) => {
    const part = text.slice(quoteFrom!, until);
    if (part.trim()) segments.push({ kind: 'quote', text: part, quote: quotes++ });
    else pushText(part);
    quoteFrom = null;
  };
  tokens.forEach(({ at: index, token, kind }, i) => {
    if (quoteFrom !== null && (kind === 'answer-tag' || kind === 'special') && closesLater[i]) return; // inside the quote
    if (quoteFrom !== null) closeQuote(index);
    else pushText(text.slice(at, index));
    segments.push({ kind, text: token });
    at = index + token.length;
    if (kind === 'begin') quoteFrom = at;
  });
  if (quoteFrom !== null) closeQuote(text.length);
  else pushText(text.slice(at));
  return segments;
}

/**
 * Quotes between the markers, in order, trimmed. Tolerates case, spacing and separator variants of the markers
 * (`## begin_quote ##`, `##BEGIN QUOTE##`), an unterminated quote (kept up to the next marker, `<ANSWER>:`, a
 * special token or the end) and stray end markers.
 */
export function extractQuotes(text: string): string[] {
  return answerSegments(text).flatMap((s) => (s.kind === 'quote' ? [s.text.trim()] : []));
}

/**
 * The final answer after the last `<ANSWER>:` that has one (case and spacing tolerant; a tag quoted from a
 * document does not count), or null when absent. The answer ends at a special token (the turn is over) or a
 * closing `</ANSWER>`; markdown bold around it is dropped.
 */
export function parseFinalAnswer(text: string): string | null {
  const segments = answerSegments(text);
  for (let i = segments.length - 1; i >= 0; i--) {
    if (segments[i].kind !== 'answer-tag') continue;
    let answer = '';
    for (let j = i + 1; j < segments.length && segments[j].kind !== 'answer-tag' && segments[j].kind !== 'special'; j++) answer += segments[j].text;
    answer = answer.replace(/<\s*\/\s*ANSWER\s*>[\s\S]*$/i, '').replace(/^[\s*_]+|[\s*_]+$/g, '');
    if (answer) return answer;
  }
  return null;
}

export interface QuoteCheck {
  text: string;
  /** Index of the first document containing the quote verbatim, or null. */
  documentIndex: number | null;
}

/** Checks every quote verbatim against the documents, as they were shown to the model. */
export function locateQuotes(quotes: string[], documents: string[]): QuoteCheck[] {
  return quotes.map((text) => {
    const index = documents.findIndex((doc) => doc.includes(text));
    return { text, documentIndex: index >= 0 ? index : null };
  });
}
