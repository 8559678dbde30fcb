// A forgiving JSON reader for language-model output: curly and single quotes, unquoted keys, trailing or missing
// commas, raw line breaks and stray quotes inside strings, comments, Python literals, and output cut off mid-way
// (what was complete before the cut is kept, and the node says it is incomplete).

/** A parsed value with its source span [start, end) in the text. */
export type JsonNode =
  | { kind: 'array'; items: JsonNode[]; start: number; end: number; complete: boolean; partialStart?: number }
  | { kind: 'object'; entries: { key: string; value: JsonNode }[]; start: number; end: number; complete: boolean }
  | { kind: 'scalar'; value: string | number | boolean | null; start: number; end: number; complete: boolean };

const CLOSERS: Record<string, string> = { '"': '"', '\u201c': '\u201d"', '\u201d': '\u201d"', "'": "'", '\u2018': "\u2019'", '\u2019': "\u2019'" };
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const LITERAL = /(?:true|false|null|True|False|None)\b/y;
const IDENTIFIER = /[A-Za-z_$][\w$-]*/y;
const LITERALS: Record<string, boolean | null> = { true: true, True: true, false: false, False: false, null: null, None: null };

class Syntax extends Error {}

/**
 * Reads one value starting at `start` (which should be at `{` or `[`). Null when the text there is not a value
 * this reader can make sense of; a node with `complete: false` when the text ends inside it.
 */
export function parseLenient(text: string, start: number): JsonNode | null {
  try {
    return new Reader(text, start).value();
  } catch (error) {
    if (error instanceof Syntax) return null;
    throw error;
  }
}

class Reader {
  constructor(
    private readonly text: string,
    private pos: number,
  ) {}

  private get done(): boolean {
    return this.pos >= this.text.length;
  }

  /** Skips whitespace and `//` or `/* *\/` comments. */
  private skip(alsoCommas = false): void {
    const text = this.text;
    while (this.pos < text.length) {
      const ch = text[this.pos];
      if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t' || ch === '\u00a0' || (alsoCommas && ch === ',')) this.pos++;
      else if (text.startsWith('//', this.pos)) this.pos = text.includes('\n', this.pos) ? text.indexOf('\n', this.pos) : text.length;
      else if (text.startsWith('/*', this.pos)) this.pos = text.includes('*/', this.pos) ? text.indexOf('*/', this.pos) + 2 : text.length;
      else break;
    }
  }

  /** The next value, or null when the text ends before one starts. */
  value(): JsonNode | null {
    this.skip();
    if (this.done) return null;
    const ch = this.text[this.pos];
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch in CLOSERS) return this.string();
    const start = this.pos;
    for (const pattern of [NUMBER, LITERAL]) {
      pattern.lastIndex = start;
      const match = pattern.exec(this.text);
      if (!match) continue;
      this.pos = start + match[0].length;
      const value = pattern === NUMBER ? Number(match[0]) : LITERALS[match[0]];
      return { kind: 'scalar', value, start, end: this.pos, complete: true };
    }
    throw new Syntax();
  }

  private object(): JsonNode {
    const node: JsonNode = { kind: 'object', entries: [], start: this.pos, end: this.pos, complete: false };
    this.pos++;
    for (;;) {
      this.skip(true);
      if (this.done) break;
      if (this.text[this.pos] === '}') {
        this.pos++;
        node.complete = true;
        break;
      }
      const key = this.key();
      if (key === null) break;
      this.skip();
      if (this.done) break;
      if (this.text[this.pos] !== ':') throw new Syntax();
      this.pos++;
      const value = this.value();
      if (!value || !value.complete) break;
      node.entries.push({ key, value });
    }
    node.end = this.pos;
    return node;
  }

  private key(): string | null {
    if (this.text[this.pos] in CLOSERS) {
      const key = this.string();
      return key.complete ? String(key.value) : null;
    }
    IDENTIFIER.lastIndex = this.pos;
    const match = IDENTIFIER.exec(this.text);
    if (!match) throw new Syntax();
    this.pos += match[0].length;
    return match[0];
  }

  private array(): JsonNode {
    const node: JsonNode = { kind: 'array', items: [], start: this.pos, end: this.pos, complete: false };
    this.pos++;
    for (;;) {
      this.skip(true);
      if (this.done) break;
      if (this.text[this.pos] === ']') {
        this.pos++;
        node.complete = true;
        break;
      }
      const item = this.value();
      if (!item) break;
      if (!item.complete) {
        node.partialStart = item.start;
        break;
      }
      node.items.push(item);
    }
    node.end = this.pos;
    return node;
  }

  private string(): Extract<JsonNode, { kind: 'scalar' }> {
    const text = this.text;
    const start = this.pos;
    const closers = CLOSERS[text[start]];
    let out = '';
    this.pos++;
    while (!this.done) {
      const ch = text[this.pos];
      if (ch === '\\') {
        const next = text[this.pos + 1] ?? '';
        if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(this.pos + 2, this.pos + 6))) {
          out += String.fromCharCode(parseInt(text.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else {
          out += ESCAPES[next] ?? next;
          this.pos += 2;
        }
        continue;
      }
      this.pos++;
      if (closers.includes(ch) && this.closesHere()) return { kind: 'scalar', value: out, start, end: this.pos, complete: true };
      out += ch;
    }
    return { kind: 'scalar', value: out, start, end: this.pos, complete: false };
  }

  /**
   * Whether a quote just read closes its string: it does when followed by `,` `:` `}` `]` or the end of the text,
   * or by a line break and another quoted key (a missing comma). Otherwise it is an unescaped quote in the text.
   */
  private closesHere(): boolean {
    const rest = /^[ \t\r\n]*/.exec(this.text.slice(this.pos, this.pos + 200))![0];
    const next = this.text[this.pos + rest.length];
    if (next === undefined || ',:}]'.includes(next)) return true;
    return rest.includes('\n') && next in CLOSERS;
  }
}
