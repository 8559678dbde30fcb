// What a re-chunk of the whole corpus did, in words for the page: told before (on the embedder's card)
// and after (a notice), so the chunk count never changes without a message.
import type { RechunkReport } from './reports';

const count = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

/** "Loading X re-chunked 25 articles: 169 → 240 chunks, … 3 questions re-tied by their quote; 1 orphaned …". */
export function rechunkMessage(r: RechunkReport): string {
  const why =
    r.reason === 'embedder'
      ? `Loading ${r.model ?? 'the embedding model'} re-chunked ${count(r.articles, 'article')}, as chunk sizes are now counted with its tokenizer`
      : r.reason === 'settings'
        ? `The new chunk settings re-chunked ${count(r.articles, 'article')}`
        : `Newer chunking rules re-chunked ${count(r.articles, 'article')}`;
  const chunks = r.chunksBefore === r.chunksAfter ? `still ${count(r.chunksAfter, 'chunk')}` : `${r.chunksBefore.toLocaleString('en')} → ${count(r.chunksAfter, 'chunk')}`;
  const moved = r.questionsReattached + r.questionsOrphaned;
  const questions =
    moved === 0
      ? 'No question lost its chunk.'
      : `${count(moved, 'question')} lost ${moved === 1 ? 'its' : 'their'} chunk: ${r.questionsReattached.toLocaleString('en')} re-tied to the new chunk holding ${moved === 1 ? 'its' : 'their'} quote${r.questionsOrphaned ? `, ${r.questionsOrphaned.toLocaleString('en')} orphaned (fix ${r.questionsOrphaned === 1 ? 'it' : 'them'} on the Questions page)` : ''}.`;
  return `${why}: ${chunks}. ${questions} A dataset built before holds the old chunks: the Dataset page says so and builds again on request.`;
}

/** Said before loading an embedding model into a corpus of `articles` articles and `chunks` chunks. */
export function rechunkWarning(articles: number, chunks: number): string {
  return `Loading one re-chunks your ${count(articles, 'article')} (${count(chunks, 'chunk')} now) with its tokenizer, so the chunk count changes; questions follow their quote to the new chunks, and a notice says what changed.`;
}
