// Prints the sample wiki's chunks as JSON lines ({id, article, title, heading, text}), cut by the app's own
// chunker with its default settings, so the training script's passages and quotes are the app's documents.
//   node --import tsx recipes/demo/dump_chunks.ts public/sample-wiki > chunks.jsonl
import { approximateTokenCount, DEFAULT_CHUNK_OPTIONS, formatHeadingPath } from '../../src/lib/core/chunking';
import { prepareFile } from '../../src/lib/core/corpus/prepare';
import { readDocsFolder } from '../../src/cli/docs-folder';

const dir = process.argv[2] ?? 'public/sample-wiki';
for (const file of await readDocsFolder(dir)) {
  const bytes = new Uint8Array(await file.blob.arrayBuffer());
  const prepared = prepareFile({ path: file.path, bytes, chunking: { ...DEFAULT_CHUNK_OPTIONS }, countTokens: approximateTokenCount, now: 0 });
  if (prepared.kind !== 'article') continue;
  for (const chunk of prepared.chunks) {
    const heading = formatHeadingPath(chunk.headingPath.slice(1));
    process.stdout.write(JSON.stringify({ id: chunk.id, article: file.path, title: prepared.article.title, heading, text: chunk.text }) + '\n');
  }
}
