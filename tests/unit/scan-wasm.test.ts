// The committed WebAssembly modules are exactly what their .wat sources compile to: a hand edit of
// either side, or a .wat changed without `npm run wasm`, fails here.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SCAN_WASM } from '../../src/lib/core/retrieval/scan-wasm.generated';
import { compileWat, generateTarget, repoPath, WAT_TARGETS } from '../../scripts/wasm/generate';

describe('generated wasm modules', () => {
  for (const target of WAT_TARGETS) {
    it(`${target.generated} is ${target.source} compiled (run \`npm run wasm\` after editing the .wat)`, async () => {
      const committed = await readFile(repoPath(target.generated), 'utf8');
      expect(committed).toBe(await generateTarget(target));
    });
  }

  it('the scan module the app loads is the compiled scan.wat, and scores rows as dot products', async () => {
    const source = await readFile(repoPath('src/lib/core/retrieval/scan.wat'), 'utf8');
    expect([...SCAN_WASM]).toEqual([...(await compileWat('scan.wat', source))]);

    // Two rows of 16 dims against a query: out[0] = row0 · q, out[1] = row1 · q.
    const memory = new WebAssembly.Memory({ initial: 1 });
    const scan = new WebAssembly.Instance(new WebAssembly.Module(SCAN_WASM), { env: { memory } }).exports
      .scan as (data: number, rows: number, rowBytes: number, query: number, out: number) => void;
    const f32 = new Float32Array(memory.buffer);
    const [outAt, queryAt, dataAt] = [0, 64, 128];
    for (let i = 0; i < 16; i++) {
      f32[queryAt / 4 + i] = i + 1;
      f32[dataAt / 4 + i] = 1;
      f32[dataAt / 4 + 16 + i] = i % 2 ? -0.5 : 0.5;
    }
    scan(dataAt, 2, 64, queryAt, outAt);
    expect([f32[0], f32[1]]).toEqual([136, -4]);
  });
});
