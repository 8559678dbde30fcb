// The command line and the filesystem: a file or folder it cannot read or write is one line naming the path and
// the reason, with a non-zero exit and no stack; an unwritable --out stops the run before any work; an empty
// number flag is refused.
import { execFile, execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
/** A hang guard (starting the CLI takes about 3 s, more under load), not a timing check. */
const GUARD = { timeout: 60_000 };
const WIKI = ['--docs', 'public/sample-wiki', '--questions', 'public/sample-wiki/questions.jsonl'];
// NOTE: root reads and writes through any permission bits, so the permission cases run the CLI as "nobody" there.
const UNPRIVILEGED = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
/** Why "nobody" cannot start the CLI from this checkout (it sits under a folder only root may enter, such as a
 * 0700 home or temp folder), or null: the permission cases are then skipped with that reason, not failed. */
const UNPRIVILEGED_BLOCKED = (() => {
  if (!('uid' in UNPRIVILEGED)) return null;
  const script = join(ROOT, 'src/cli/raft.ts');
  try {
    execFileSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(script)}, require('fs').constants.R_OK)`], { ...UNPRIVILEGED, stdio: 'ignore' });
    return null;
  } catch {
    return `these cases run the CLI as uid 65534 ("nobody"), who cannot read ${script}: clone into a folder others can enter to run them`;
  }
})();

/** The CLI as `npm run raft` starts it (node directly, so it can run as another user). */
function raft(args: string[], user: { uid?: number; gid?: number } = {}): Promise<{ code: number; stderr: string }> {
  const node = ['--experimental-wasm-modules', '--no-warnings=ExperimentalWarning', '--import', 'tsx', 'src/cli/raft.ts'];
  return new Promise((done) =>
    execFile(process.execPath, [...node, ...args], { cwd: ROOT, timeout: 50_000, ...user }, (error, _stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
    ),
  );
}

/** One line starting "error:", and no stack trace. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines.at(-1)).toMatch(pattern);
  expect(lines.at(-1)).toMatch(/^error: /);
  expect(stderr).not.toMatch(/\n\s+at /);
}

/** A temporary folder the unprivileged user can read (`mode` 0o777: and write). */
async function openTemp(prefix: string, mode = 0o755): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, mode);
  return dir;
}

describe('number flags', () => {
  test('an empty --seed is an error, not seed 0, in build and eval', GUARD, async () => {
    const [built, evaluated] = await Promise.all([raft(['build', ...WIKI, '--out', join(tmpdir(), 'raft-never'), '--seed', '']), raft(['eval', ...WIKI, '--model', 'no-model', '--seed', ' '])]);
    expect(built.code).not.toBe(0);
    expectOneLine(built.stderr, /--seed must be a whole number .*; got ""/);
    expect(evaluated.code).not.toBe(0);
    expectOneLine(evaluated.stderr, /--seed must be a whole number .*; got " "/);
  });
});

describe('--out', () => {
  test.skipIf(!existsSync('/proc/self'))('in /proc fails at once, before the docs are read (it used to spin forever)', GUARD, async () => {
    const [built, evaluated] = await Promise.all([raft(['build', ...WIKI, '--out', '/proc/raft-x/y']), raft(['eval', ...WIKI, '--model', 'no-model', '--out', '/proc/raft-x'])]);
    for (const run of [built, evaluated]) {
      expect(run.code).not.toBe(0);
      expectOneLine(run.stderr, /--out \/proc\/raft-x.* cannot be written: creating an entry in \/proc failed/);
      expect(run.stderr).not.toContain('docs:');
    }
  });

  test('a file, or a path through a file, is named as such before any work', GUARD, async () => {
    const dir = await openTemp('raft-out-');
    await writeFile(join(dir, 'taken'), 'x');
    const [file, through] = await Promise.all([raft(['build', ...WIKI, '--out', join(dir, 'taken')]), raft(['build', ...WIKI, '--out', join(dir, 'taken', 'sub')])]);
    expectOneLine(file.stderr, /--out .*taken is a file: give a folder/);
    expectOneLine(through.stderr, /--out .*taken\/sub cannot be created: .*taken is a file, not a folder/);
    for (const run of [file, through]) {
      expect(run.code).not.toBe(0);
      expect(run.stderr).not.toContain('docs:');
    }
  });

  test('a folder without write permission is refused up front (EACCES)', GUARD, async (context) => {
    if (UNPRIVILEGED_BLOCKED) context.skip(UNPRIVILEGED_BLOCKED);
    const dir = await openTemp('raft-ro-');
    await mkdir(join(dir, 'locked'), { mode: 0o555 });
    await chmod(join(dir, 'locked'), 0o555);
    const run = await raft(['build', ...WIKI, '--out', join(dir, 'locked', 'out')], UNPRIVILEGED);
    expect(run.code).not.toBe(0);
    expectOneLine(run.stderr, /cannot be written: creating an entry in .*locked failed: permission denied \(EACCES\)/);
    expect(run.stderr).not.toContain('docs:');
  });
});

describe('reading', () => {
  test('an unreadable file in the docs folder is one line naming it (EACCES), not a stack', GUARD, async (context) => {
    if (UNPRIVILEGED_BLOCKED) context.skip(UNPRIVILEGED_BLOCKED);
    const dir = await openTemp('raft-docs-');
    await writeFile(join(dir, 'a.md'), '# A\n\nReadable.\n');
    await writeFile(join(dir, 'b.md'), '# B\n\nLocked.\n', { mode: 0o000 });
    await chmod(join(dir, 'b.md'), 0o000);
    const run = await raft(['build', '--docs', dir, '--questions', resolve(ROOT, 'public/sample-wiki/questions.jsonl'), '--out', join(await openTemp('raft-o-', 0o777), 'out')], UNPRIVILEGED);
    expect(run.code).not.toBe(0);
    expectOneLine(run.stderr, new RegExp(`^error: cannot open ${join(dir, 'b.md')}: permission denied \\(EACCES\\)$`));
  });

  test('a missing docs folder, and a folder given as the questions file, are one line each', GUARD, async () => {
    const [docs, questions] = await Promise.all([
      raft(['build', '--docs', 'no-such-folder', '--questions', 'public/sample-wiki/questions.jsonl', '--out', join(tmpdir(), 'raft-never')]),
      raft(['build', '--docs', 'public/sample-wiki', '--questions', 'public/sample-wiki', '--out', join(tmpdir(), 'raft-never')]),
    ]);
    expectOneLine(docs.stderr, /Docs folder not found: .*no-such-folder/);
    expectOneLine(questions.stderr, /Cannot read the questions file .*sample-wiki: it is a folder, not a file \(EISDIR\)/);
    expect([docs.code, questions.code].every((c) => c !== 0)).toBe(true);
  });
});
