// Pulls question/answer pairs out of a language model's raw reply to "answer with JSON like
// [{"question": ..., "answer": ...}]": fences, prose around the JSON, wrappers, q/a keys, sloppy syntax and a reply
// cut off mid-object are all handled; every object that cannot be used is reported with the reason.
import { normaliseForMatch } from '../text-match';
import { parseLenient, type JsonNode } from './lenient-json';

/** A usable pair: both texts trimmed and non-empty. */
export interface ExtractedPair {
  question: string;
  answer: string;
}

/** A piece of the output that looked like a pair but could not be used. */
export interface RejectedPiece {
  /** The source text of the piece (the whole output, shortened, when no JSON was found). */
  text: string;
  reason: string;
}

/** Pairs taken from a model's output, and the pieces that could not be used. */
export interface ExtractResult {
  pairs: ExtractedPair[];
  rejected: RejectedPiece[];
}

const QUESTION_KEYS = new Set(['question', 'q']);
const ANSWER_KEYS = new Set(['answer', 'a']);
/** Longest excerpt of the output kept in a "no JSON found" rejection. */
const MAX_EXCERPT = 500;

/**
 * Extracts pairs from `output`. Every `{` or `[` starts a candidate value; values that cannot be read are skipped,
 * so JSON inside prose or ```json fences is found, and an unreadable array still yields the readable objects in it.
 * Duplicate questions (after normalising) are rejected. Output with no usable JSON gives no pairs and one
 * rejection, "no JSON found in the model output".
 */
export function extractQAPairs(output: string): ExtractResult {
  const result: ExtractResult = { pairs: [], rejected: [] };
  const seen = new Set<string>();
  const source = (node: JsonNode) => output.slice(node.start, node.end).trim();
  const reject = (text: string, reason: string) => result.rejected.push({ text, reason });

  const fromObject = (node: Extract<JsonNode, { kind: 'object' }>): void => {
    if (!node.complete) return void reject(source(node), 'truncated output: this object was cut off');
    const find = (keys: Set<string>) => node.entries.find((e) => keys.has(e.key.trim().toLowerCase()))?.value;
    const question = find(QUESTION_KEYS);
    const answer = find(ANSWER_KEYS);
    if (!question && !answer) return fromOtherObject(node);
    addPair(question, answer, source(node));
  };

  const fromOtherObject = (node: Extract<JsonNode, { kind: 'object' }>): void => {
    // A wrapper such as {"questions": [...]}, or a map {"Question?": "Answer"}.
    const nested = node.entries.filter((e) => e.value.kind !== 'scalar');
    const asked = node.entries.filter((e) => e.key.trim().endsWith('?') && typeof textOf(e.value) === 'string');
    if (nested.length > 0) for (const { value } of nested) collect(value);
    else if (asked.length > 0) for (const e of asked) addPair(e.key, e.value, `"${e.key}": ${source(e.value)}`);
    else reject(source(node), `no question or answer field (keys: ${node.entries.map((e) => e.key).join(', ') || 'none'})`);
  };

  const addPair = (q: JsonNode | string | undefined, a: JsonNode | undefined, text: string): void => {
    const question = typeof q === 'string' ? q.trim() : textOf(q);
    const answer = textOf(a);
    const problem = checkText('question', q, question) ?? checkText('answer', a, answer);
    if (problem) return void reject(text, problem);
    const key = normaliseForMatch(question!);
    if (seen.has(key)) return void reject(text, 'duplicate question');
    seen.add(key);
    result.pairs.push({ question: question!, answer: answer! });
  };

  const collect = (node: JsonNode): void => {
    if (node.kind === 'object') return fromObject(node);
    if (node.kind !== 'array') return;
    if (isTextPair(node)) return addPair(node.items[0], node.items[1], source(node));
    if (!node.items.some((item) => item.kind !== 'scalar') && node.partialStart === undefined) return;
    for (const item of node.items) {
      if (item.kind === 'scalar') reject(source(item), 'not a question/answer object');
      else collect(item);
    }
    if (node.partialStart !== undefined) reject(output.slice(node.partialStart, node.end).trim(), 'truncated output: this object was cut off');
  };

  for (let at = nextOpening(output, 0); at >= 0; ) {
    const node = parseLenient(output, at);
    if (node) collect(node);
    else if (output[at] === '{') {
      const piece = unreadableObject(output, at);
      if (piece) reject(piece, 'not readable as JSON');
    }
    at = nextOpening(output, node ? Math.max(node.end, at + 1) : at + 1);
  }
  if (result.pairs.length === 0 && result.rejected.length === 0) {
    const excerpt = output.trim().length > MAX_EXCERPT ? output.trim().slice(0, MAX_EXCERPT) + '…' : output.trim();
    reject(excerpt, 'no JSON found in the model output');
  }
  return result;
}

function nextOpening(text: string, from: number): number {
  const brace = text.indexOf('{', from);
  const bracket = text.indexOf('[', from);
  if (brace < 0) return bracket;
  if (bracket < 0) return brace;
  return Math.min(brace, bracket);
}

/** The text of an object at `at` that could not be read, when it looks like it was meant to hold a question. */
function unreadableObject(text: string, at: number): string | null {
  const ends = [text.indexOf('{', at + 1), text.indexOf('}', at) + 1].filter((end) => end > 0);
  const piece = text.slice(at, ends.length > 0 ? Math.min(...ends) : text.length).trim();
  return /\b(?:question|q)["'\u201d\u2019]?\s*:/i.test(piece) ? piece : null;
}

/** `["question", "answer"]`: some models emit pairs as two-item lists. */
function isTextPair(node: Extract<JsonNode, { kind: 'array' }>): boolean {
  return node.complete && node.items.length === 2 && node.items.every((item) => item.kind === 'scalar' && typeof item.value === 'string');
}

/** Text of a scalar (numbers and booleans as written), or of a list of scalars joined with "; ". */
function textOf(node: JsonNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'scalar') return node.value === null ? '' : String(node.value).trim();
  if (node.kind === 'array' && node.items.every((item) => item.kind === 'scalar')) {
    return node.items.map((item) => textOf(item)).filter(Boolean).join('; ');
  }
  return undefined;
}

/** Why a question or answer cannot be used, or undefined when it can. */
function checkText(field: string, node: JsonNode | string | undefined, text: string | undefined): string | undefined {
  if (node === undefined) return `missing ${field}`;
  if (text === undefined) return `${field} is not text`;
  if (text === '') return `empty ${field}`;
  if (/^(?:\.{2,}|…|<[^<>]*>|\[[^[\]]*\]|\{[^{}]*\}|(?:your )?(?:question|answer)( here)?)$/i.test(text)) return `${field} is a placeholder ("${text}")`;
  return undefined;
}
