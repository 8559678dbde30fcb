// Streams a generation's text word by word, decoding only a short window of recent tokens at each
// step. transformers.js' TextStreamer decodes every token since the last newline at every step, which
// grows with the line and costs a tiny model as much as its own forward pass.
import { BaseStreamer, type PreTrainedTokenizer, type TextStreamer } from '@huggingface/transformers';

/** Tokens decoded at most per step; the window then restarts at the last token, which gives the next one its context. */
const WINDOW = 8;
const REPLACEMENT = '\uFFFD';
/**
 * Steps to wait while the window's text ends in U+FFFD: a character cut between tokens completes
 * within 4 bytes, but invalid bytes (a random model's) never do; after this many steps they are shown.
 */
const MAX_HOLD = 16;

function isCjk(code: number): boolean {
  return (code >= 0x3040 && code <= 0x30ff) || (code >= 0x3400 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7af) || (code >= 0xf900 && code <= 0xfaff);
}

/**
 * A streamer for `model.generate`: skips the prompt and special tokens, calls `onToken` for every new
 * token (special ones too, as TextStreamer's token callback does) and `onText` with each finished word
 * (text up to a space or newline, or up to a CJK character), the rest at `end()`.
 */
export class WordStreamer extends BaseStreamer {
  private promptSeen = false;
  private readonly special: Set<bigint>;
  private readonly ids: bigint[] = [];
  /** First token of the decode window, and how much of the window's text has been taken. */
  private windowStart = 0;
  private windowTaken = 0;
  /** Decoded text not yet handed on: the unfinished last word. */
  private pending = '';
  /** Steps since the window's text last ended in a complete character. */
  private held = 0;

  constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly onToken: () => void,
    private readonly onText: (piece: string) => void,
  ) {
    super();
    this.special = new Set(tokenizer.all_special_ids.map((id) => BigInt(id)));
  }

  override put(value: bigint[][]): void {
    if (!this.promptSeen) {
      this.promptSeen = true;
      return;
    }
    const tokens = value[0];
    this.onToken();
    if (tokens.length === 1 && this.special.has(tokens[0])) return;
    this.ids.push(...tokens);
    const text = this.decode(this.windowStart);
    // An incomplete UTF-8 sequence (an emoji cut between byte-level tokens): wait for its next bytes.
    if (text.endsWith(REPLACEMENT) && ++this.held < MAX_HOLD) return;
    this.held = 0;
    this.take(text);
    this.flushWords();
    if (this.ids.length - this.windowStart >= WINDOW) this.slideWindow();
  }

  /** This streamer as `generate()`'s typings want it (a TextStreamer); generate only calls put() and end(). */
  get forGenerate(): TextStreamer {
    return this as unknown as TextStreamer;
  }

  override end(): void {
    this.take(this.decode(this.windowStart));
    if (this.pending) this.onText(this.pending);
    this.pending = '';
  }

  private take(windowText: string): void {
    this.pending += windowText.slice(this.windowTaken);
    this.windowTaken = Math.max(this.windowTaken, windowText.length);
  }

  private decode(from: number): string {
    return this.tokenizer.decode(this.ids.slice(from), { skip_special_tokens: true });
  }

  private flushWords(): void {
    const { pending } = this;
    if (!pending) return;
    const cut = isCjk(pending.charCodeAt(pending.length - 1)) ? pending.length : Math.max(pending.lastIndexOf(' '), pending.lastIndexOf('\n')) + 1;
    if (cut === 0) return;
    this.onText(pending.slice(0, cut));
    this.pending = pending.slice(cut);
  }

  /**
   * Restarts the window at the last token, whose text has just been taken in full. NOTE: alone it may
   * decode differently (a leading space dropped, or U+FFFD for the tail of a character begun earlier),
   * so what counts as taken is its text alone; later tokens are measured against that.
   */
  private slideWindow(): void {
    const last = this.ids.length - 1;
    this.windowStart = last;
    this.windowTaken = this.decode(last).length;
  }
}
