// A question pair being written or edited: the form's fields and oracle chunk picker, and the pair they make.
// A new pair gets its id from the question and its oracle chunks; an edited pair keeps its id.
import { groundAnswer, oracleKey, pairId, type PairSplit, type QAPair } from '../core/questions';
import type { Corpus } from './corpus.svelte';
import { parseTags } from './question-filter';
import { ChunkPicker, type PickedChunk } from './question-picker.svelte';

export class PairDraft {
  question = $state('');
  answer = $state('');
  /** Comma-separated free tags. */
  tags = $state('');
  split = $state<PairSplit>('unassigned');
  error = $state('');
  /** Oracle chunk ids of the pair that are no longer in the corpus. */
  missing = $state.raw<string[]>([]);
  readonly picker: ChunkPicker;

  /** `original`: the pair being edited; none for a new pair. */
  constructor(
    corpus: Corpus,
    readonly original: QAPair | null = null,
  ) {
    this.picker = new ChunkPicker(corpus);
    if (!original) return;
    this.question = original.question;
    this.answer = original.answer;
    this.tags = original.tags.join(', ');
    this.split = original.split;
    this.picker.fallback = original.question;
    void this.picker.pickIds(original.oracleChunkIds).then((missing) => (this.missing = missing));
    void this.picker.run();
  }

  /** The pair the form describes, ready to save; null (with `error` set) when something must be fixed first. */
  build(now = Date.now()): QAPair | null {
    const question = this.question.trim();
    const answer = this.answer.trim();
    const picked = this.picker.picked;
    const needsOracle = !this.original || this.original.status === 'ok';
    if (!question) return this.#fail('Write a question.');
    if (picked.length === 0 && needsOracle) return this.#fail('Pick at least one oracle chunk: the chunk that holds the answer.');
    this.error = '';
    const oracleChunkIds = picked.map((p) => p.chunk.id);
    const quote = this.#quote(answer, picked);
    const fields = { question, answer, oracleChunkIds, tags: parseTags(this.tags), split: this.split, updatedAt: now };
    const original = this.original;
    if (!original) {
      const pair: QAPair = {
        id: pairId(question, oracleKey({ chunkIds: oracleChunkIds })),
        ...fields,
        origin: 'manual',
        status: 'ok',
        source: { article: picked[0].chunk.articlePath },
        createdAt: now,
      };
      if (quote) pair.quote = quote;
      return pair;
    }
    const pair: QAPair = { ...original, ...fields };
    if (pair.split !== original.split) delete pair.splitDrawn; // set by hand: the user's, never redrawn
    if (quote) pair.quote = quote;
    else delete pair.quote;
    if (picked.length > 0) {
      // Fixed (or still) tied to chunks: the article lets the worker find the oracle again after re-chunking.
      pair.status = 'ok';
      delete pair.problem;
      pair.source = { ...original.source, article: picked[0].chunk.articlePath };
    }
    return pair;
  }

  /** The answer as found in an oracle chunk; else the pair's old quote when a picked chunk still holds it. */
  #quote(answer: string, picked: readonly PickedChunk[]): string | undefined {
    for (const { chunk } of picked) {
      const grounded = answer ? groundAnswer(answer, chunk.text) : null;
      if (grounded) return grounded.quote;
    }
    const old = this.original?.quote;
    return old && picked.some((p) => p.chunk.text.includes(old)) ? old : undefined;
  }

  #fail(message: string): null {
    this.error = message;
    return null;
  }
}
