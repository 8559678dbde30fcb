// `raft eval-retrieval`: how often the retriever alone finds each question's oracle chunk.
import { retrievalScores, type RetrievalCase } from '../../lib/core/metrics/retrieval';
import { modeFlag, numberFlag, parseFlags, requireString } from '../args';
import { CliError } from '../cli-error';
import { describeProblems, openSession } from '../session';

export const EVAL_RETRIEVAL_HELP = `raft eval-retrieval: recall@k and MRR of the oracle chunk, and recall@k of its article.

  --docs <folder>       markdown folder                                       (required)
  --questions <file>    JSONL, JSON or CSV questions with their oracle         (required)
  --mode <m>            lexical | dense | hybrid                        (default lexical)
  --model <folder>      embedding model folder, for dense and hybrid
  --k <k>               cut-off, 1..100                                       (default 5)

Prints one JSON object: {"n", "k", "mode", "recall_at_k", "mrr", "article_recall_at_k"}.`;

export async function evalRetrieval(argv: string[], log: (line: string) => void, print: (line: string) => void): Promise<void> {
  const flags = parseFlags(argv, { docs: { type: 'string' }, questions: { type: 'string' }, mode: { type: 'string' }, model: { type: 'string' }, k: { type: 'string' } });
  const k = numberFlag(flags, 'k', 5, 1, 100, true);
  const mode = modeFlag(flags);
  const session = await openSession({ docs: requireString(flags, 'docs'), questions: requireString(flags, 'questions'), mode, model: flags.model as string | undefined, log });
  try {
    for (const line of describeProblems(session.questions)) log(`  ${line} (not counted)`);
    const pairs = (await session.corpus.call('listQuestions', undefined)).filter((p) => p.status === 'ok');
    if (pairs.length === 0) throw new CliError('No question resolved to a chunk: nothing to evaluate.');
    const articleOf = new Map<string, string>();
    const cases: RetrievalCase[] = [];
    let engineReason: string | undefined;
    for (const pair of pairs) {
      const { hits, engine } = await session.corpus.call('search', { query: pair.question, mode, k });
      engineReason = engine?.reason;
      hits.forEach((h) => articleOf.set(h.chunkId, h.chunk.articlePath));
      const oracleArticles = (await session.corpus.call('chunkArticles', { ids: pair.oracleChunkIds })).filter((a): a is string => a !== null);
      cases.push({ retrieved: hits.map((h) => h.chunkId), retrievedArticles: hits.map((h) => h.chunk.articlePath), oracleChunkIds: pair.oracleChunkIds, oracleArticles });
    }
    // The engine after the last search: says so when voy failed and the flat scan answered instead.
    if (engineReason) log(`Vector engine: ${engineReason}`);
    print(JSON.stringify({ ...retrievalScores(cases, k), mode }));
  } finally {
    session.close();
  }
}
