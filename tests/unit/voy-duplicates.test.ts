// Identical chunks and voy (issue 13, item 8): 32+ identical vectors made voy's k-d tree panic ("unreachable")
// and took dense search down in the app and the CLI. voy now gets each distinct vector once, and any voy
// failure hands search to the flat scan, which the engine status says.
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { FlatIndex } from '../../src/lib/core/retrieval/flat-index';
import { createRng } from '../../src/lib/core/rng';
import { normalize } from '../../src/lib/core/retrieval/vector-math';
import { VoyIndex } from '../../src/lib/workers/index/voy-index';
import { Retriever } from '../../src/lib/workers/corpus/retriever';

const dim = 16;
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}_${String(i).padStart(3, '0')}`);

function randomVectors(count: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) out.set(normalize(Float32Array.from({ length: dim }, () => rng.next() - 0.5)), i * dim);
  return out;
}

/** 40 copies of one vector (a boilerplate footer) then 200 distinct ones. */
function corpusWithFooters() {
  const footer = randomVectors(1, 1);
  const copies = new Float32Array(40 * dim);
  for (let i = 0; i < 40; i++) copies.set(footer, i * dim);
  const all = new Float32Array(240 * dim);
  all.set(copies);
  all.set(randomVectors(200, 2), 40 * dim);
  return { footer, ids: [...ids('footer', 40), ...ids('note', 200)], vectors: all };
}

test('voy with 40 identical vectors searches like the flat scan: every copy found, with its score', () => {
  const { footer, ids: allIds, vectors } = corpusWithFooters();
  const voy = new VoyIndex(dim);
  const flat = new FlatIndex(dim);
  voy.upsert(allIds, vectors);
  flat.upsert(allIds, vectors);
  const hits = voy.search(footer, 45);
  expect(hits.map((h) => h.id)).toEqual(flat.search(footer, 45).map((h) => h.id));
  expect(hits.slice(0, 40).map((h) => h.id)).toEqual(ids('footer', 40));
  hits.slice(0, 40).forEach((hit) => expect(hit.score).toBeCloseTo(1, 5));
  const other = randomVectors(1, 3);
  expect(voy.search(other, 10).map((h) => h.id)).toEqual(flat.search(other, 10).map((h) => h.id));
});

test('when voy itself fails, dense search still answers from the flat scan and the engine status says why', () => {
  // 40 distinct vectors sharing one coordinate: not duplicates, yet kiddo panics on them too.
  const vectors = randomVectors(40, 4);
  for (let i = 0; i < 40; i++) vectors[i * dim] = 0.25;
  const retriever = new Retriever();
  retriever.addVectors(ids('c', 40), vectors, dim);
  expect(retriever.engineStatus().engine).toBe('voy');
  const query = vectors.slice(5 * dim, 6 * dim);
  const hits = retriever.search('', 'dense', 3, query);
  expect(hits[0]).toMatchObject({ chunkId: 'c_005', rank: 1 });
  expect(hits).toHaveLength(3);
  expect(retriever.engineStatus()).toEqual({ engine: 'flat', reason: expect.stringMatching(/^flat scan: voy failed on these vectors \(.+\), so the exact scan answers; reload to try voy again$/) });
  expect(retriever.search('', 'dense', 3, query)).toEqual(hits);
});

test('the CLI evaluates dense retrieval over 40 files of identical text', { timeout: 90_000 }, async () => {
  const docs = await mkdtemp(join(tmpdir(), 'raft-dupes-'));
  await mkdir(join(docs, 'footers'));
  const footer = '# Contact\n\nQuestions? Write to help@example.com or call us on weekdays from nine to five.\n';
  for (let i = 0; i < 40; i++) await writeFile(join(docs, 'footers', `page-${i}.md`), footer);
  await writeFile(join(docs, 'quokka.md'), '# Quokkas\n\nThe quokka lives on Rottnest Island off the coast of Western Australia.\n');
  const questions = join(docs, 'questions.jsonl');
  await writeFile(questions, `${JSON.stringify({ question: 'Where does the quokka live?', answer: 'Rottnest Island', article: 'quokka.md', quote: 'The quokka lives on Rottnest Island' })}\n`);
  const model = resolve(import.meta.dirname, '../models/tiny/embedder');
  const args = ['run', '--silent', 'raft', '--', 'eval-retrieval', '--docs', docs, '--questions', questions, '--mode', 'dense', '--model', model, '--k', '41'];
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
    execFile('npm', args, { cwd: resolve(import.meta.dirname, '../..') }, (error, out, err) => done({ code: error ? 1 : 0, stdout: out, stderr: err })),
  );
  expect(stderr).not.toMatch(/unreachable|panicked/);
  expect(stderr).toMatch(/Vector engine: voy/);
  expect(code).toBe(0);
  expect(JSON.parse(stdout.trim())).toMatchObject({ n: 1, k: 41, mode: 'dense', recall_at_k: 1 });
});
