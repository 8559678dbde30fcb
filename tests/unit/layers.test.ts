// The layer rules hold by themselves: `npm run lint` (dependency-cruiser over src, then tsc over core
// without DOM or Node types) passes on the tree, and fails, naming the rule and the file, when a copy
// of the tree gets a misplaced import of each kind or a core module that reaches for a browser API.
// NOTE: probes go into a temporary copy, never into src: other runs may read src meanwhile.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

/** A copy of what the lint reads (src, configs), node_modules linked; `probes` are written into it. */
function copyTree(probes: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'raft-layers-'));
  cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
  for (const file of ['package.json', 'tsconfig.json', '.dependency-cruiser.cjs']) cpSync(join(ROOT, file), join(dir, file));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [path, text] of Object.entries(probes)) writeFileSync(join(dir, path), text);
  return dir;
}

/** `npm run lint` in `dir`: its exit status and everything it printed. */
function lint(dir: string): { status: number | null; output: string } {
  const run = spawnSync('npm', ['run', '--silent', 'lint'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('layers', { timeout: 120_000 }, () => {
  describe('a misplaced import of each kind', () => {
    let dir = '';
    let result = { status: 0 as number | null, output: '' };
    beforeAll(() => {
      dir = copyTree({
        'src/lib/ui/LayerProbe.svelte': `<script lang="ts">\n  import { CorpusClient } from '../clients/corpus';\n  new CorpusClient();\n</script>\n`,
        'src/lib/ui/layer-probe-worker.ts': `export type { LoadMethod } from '../workers/models/protocol';\n`,
        'src/lib/state/layer-probe.ts': `export { RpcClient } from '../workers/rpc';\n`,
        'src/cli/layer-probe.ts': `export { Router } from '../lib/state/router.svelte';\n`,
        'src/lib/clients/layer-probe.ts': `export { createCorpusHandlers } from '../workers/corpus/handler';\n`,
        'src/lib/core/layer-probe.ts': `export { openDB } from 'idb';\n`,
        'src/lib/core/layer-probe-node.ts': `export { readFile } from 'node:fs/promises';\n`,
        'src/lib/core/layer-probe-a.ts': `import { b } from './layer-probe-b';\nexport const a = () => b();\n`,
        'src/lib/core/layer-probe-b.ts': `import { a } from './layer-probe-a';\nexport const b = (): number => (a ? 1 : 0);\n`,
      });
      result = lint(dir);
    }, 120_000);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('fails the lint', () => {
      expect(result.status).not.toBe(0);
    });

    it.each([
      ['ui-not-clients-or-workers', 'src/lib/ui/LayerProbe.svelte', 'src/lib/clients/corpus.ts'],
      ['ui-not-clients-or-workers', 'src/lib/ui/layer-probe-worker.ts', 'src/lib/workers/models/protocol.ts'],
      ['state-not-workers', 'src/lib/state/layer-probe.ts', 'src/lib/workers/rpc.ts'],
      ['cli-not-state-or-ui', 'src/cli/layer-probe.ts', 'src/lib/state/router.svelte.ts'],
      ['clients-only-protocols', 'src/lib/clients/layer-probe.ts', 'src/lib/workers/corpus/handler.ts'],
      // NOTE: the copy links node_modules, so idb resolves through the link to a longer path.
      ['core-is-pure', 'src/lib/core/layer-probe.ts', 'node_modules/idb/build/index.js'],
      ['core-is-pure', 'src/lib/core/layer-probe-node.ts', 'fs/promises'],
    ])('names the rule %s for %s', (rule, from, to) => {
      const line = result.output.split('\n').find((l) => l.includes(`error ${rule}: ${from} → `));
      expect(line, result.output).toBeDefined();
      expect(line!.endsWith(to)).toBe(true);
    });

    it('names the circle', () => {
      expect(result.output).toContain('error no-circular: src/lib/core/layer-probe-a.ts → \n      src/lib/core/layer-probe-b.ts →\n      src/lib/core/layer-probe-a.ts');
    });

    it('says what to do, and reports nothing else', () => {
      expect(result.output).toContain('Components talk to state classes, never to clients or workers');
      expect(result.output).toMatch(/x 8 dependency violations \(8 errors/);
    });
  });

  it('the tree passes the import rules, and core without DOM or Node types fails on a core module that reads `document` (only it)', () => {
    const dir = copyTree({ 'src/lib/core/layer-probe-dom.ts': `/** The page title. */\nexport const title = (): string => document.title;\n` });
    try {
      const { status, output } = lint(dir);
      expect(output).toContain('no dependency violations found');
      expect(status).not.toBe(0);
      const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((line) => line.startsWith('src/lib/core/layer-probe-dom.ts'))).toBe(true);
      expect(output).toMatch(/Cannot find name 'document'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
