// Judging a language model's reply to the synthetic question prompt: the pairs it yields whose answers are grounded
// in the chunk become synthetic pairs with that chunk as oracle; everything else is a rejection with its reason.
import { formatHeadingPath, type Chunk } from '../core/chunking';
import { extractQAPairs, groundAnswer, MIN_GROUNDING_WORDS, oracleKey, pairId, type QAPair } from '../core/questions';
import { wordSpans } from '../core/text-match';

/** Something generated that was not saved, and why. */
export interface Rejection {
  chunkId: string;
  /** The chunk's article and heading path, for display. */
  where: string;
  /** The piece of the output (or the pair) rejected. */
  text: string;
  reason: string;
}

/** Tag every generated pair carries. */
export const SYNTHETIC_TAG = 'synthetic';

/** Where a chunk is, in words: `billing/refund-policy.md › Refund policy › Request a refund`. */
export function chunkLabel(chunk: Chunk): string {
  const heading = formatHeadingPath(chunk.headingPath);
  return heading ? `${chunk.articlePath} › ${heading}` : chunk.articlePath;
}

/** The grounded pairs of `output` about `chunk`, and the rejected pieces and pairs. */
export function judgeOutput(output: string, chunk: Chunk, now: number): { pairs: QAPair[]; rejected: Rejection[] } {
  const where = chunkLabel(chunk);
  const extracted = extractQAPairs(output);
  const rejected: Rejection[] = extracted.rejected.map((piece) => ({ chunkId: chunk.id, where, text: piece.text, reason: piece.reason }));
  const pairs: QAPair[] = [];
  for (const { question, answer } of extracted.pairs) {
    const grounding = groundAnswer(answer, chunk.text);
    if (!grounding) {
      const reason =
        wordSpans(answer).length < MIN_GROUNDING_WORDS
          ? `answer too short to check against the chunk (fewer than ${MIN_GROUNDING_WORDS} words)`
          : 'answer not found in the chunk';
      rejected.push({ chunkId: chunk.id, where, text: `Q: ${question}\nA: ${answer}`, reason });
      continue;
    }
    pairs.push({
      id: pairId(question, oracleKey({ chunkIds: [chunk.id] })),
      question,
      answer,
      oracleChunkIds: [chunk.id],
      quote: grounding.quote,
      split: 'unassigned',
      tags: [SYNTHETIC_TAG],
      origin: 'synthetic',
      status: 'ok',
      source: { article: chunk.articlePath },
      createdAt: now,
      updatedAt: now,
    });
  }
  return { pairs, rejected };
}
