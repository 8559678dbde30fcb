import { expect, test } from 'vitest';
import { Retriever } from '../../src/lib/workers/corpus/retriever';

function unitVectors(count: number, dim: number): Float32Array {
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) out[i * dim + (i % dim)] = 1;
  return out;
}

test('above the voy limit the flat engine takes over automatically, says so, and answers the same', () => {
  const retriever = new Retriever(100);
  const query = unitVectors(1, 8);
  retriever.addVectors(Array.from({ length: 80 }, (_, i) => `a${i}`), unitVectors(80, 8), 8);
  expect(retriever.engineStatus()).toEqual({ engine: 'voy', reason: 'voy (default up to 100 chunks)' });
  const before = retriever.search('', 'dense', 5, query);
  retriever.addVectors(Array.from({ length: 40 }, (_, i) => `b${i}`), unitVectors(40, 8), 8);
  expect(retriever.engineStatus().engine).toBe('flat');
  expect(retriever.engineStatus().reason).toMatch(/120 chunks is above voy's 100 limit/);
  const after = retriever.search('', 'dense', 5, query);
  expect(after.map((h) => h.score)).toEqual(before.map((h) => h.score));
  expect(retriever.vectorCount).toBe(120);
});

test('an engine chosen in Settings is kept whatever the size', () => {
  const retriever = new Retriever(10);
  retriever.setEngine('voy');
  retriever.addVectors(Array.from({ length: 20 }, (_, i) => `c${i}`), unitVectors(20, 4), 4);
  expect(retriever.engineStatus()).toEqual({ engine: 'voy', reason: 'voy chosen in Settings' });
  retriever.setEngine('flat');
  expect(retriever.engineStatus().engine).toBe('flat');
  expect(retriever.search('', 'dense', 3, unitVectors(1, 4))).toHaveLength(3);
});
