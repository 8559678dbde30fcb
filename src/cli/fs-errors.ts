// Filesystem failures as one line a user can act on: what could not be done to which path, and why in words
// (not an errno and a stack). Also the up-front check that `--out` can be written, before any work starts.
import { mkdtemp, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CliError } from './cli-error';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'it already exists',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EIO: 'input/output error',
};

/** A Node system error (`fs`, `net`): it carries an errno `code` and the system call that failed. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** "cannot open /x/y.jsonl: no such file or folder (ENOENT)"; the reason in words where the code is known. */
export function describeSystemError(error: NodeJS.ErrnoException & { code: string }): string {
  const what = error.path ? `cannot ${error.syscall} ${error.path}` : `${error.syscall} failed`;
  return `${what}: ${systemReason(error)}`;
}

/** Why a system call failed, in words, with its code: "permission denied (EACCES)". */
export function systemReason(error: NodeJS.ErrnoException & { code: string }): string {
  return `${REASONS[error.code] ?? error.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')} (${error.code})`;
}

/**
 * Fails fast, before any work, when `--out <folder>` cannot be written: it is a file, a part of its path is a
 * file, or its nearest existing folder refuses a new entry (permissions, read-only, /proc). Creates nothing
 * that stays: the probe folder is removed at once.
 */
export async function checkOutFolder(path: string, flag = '--out'): Promise<void> {
  const target = resolve(path);
  // 1. The nearest part of the path that exists.
  let base = target;
  let info = await stat(base).catch(() => null);
  while (!info && dirname(base) !== base) {
    base = dirname(base);
    info = await stat(base).catch(() => null);
  }
  if (!info) throw new CliError(`${flag} ${target}: no part of this path exists.`);
  if (!info.isDirectory()) {
    throw new CliError(base === target ? `${flag} ${target} is a file: give a folder (it is created when missing).` : `${flag} ${target} cannot be created: ${base} is a file, not a folder.`);
  }
  // 2. Writing there: a probe folder, created and removed (NOTE: mkdir recursive spins forever under /proc).
  try {
    await rmdir(await mkdtemp(join(base, '.raft-write-check-')));
  } catch (error) {
    const reason = isSystemError(error) ? systemReason(error) : String(error);
    throw new CliError(`${flag} ${target} cannot be written: creating an entry in ${base} failed: ${reason}. Choose a folder you can write to.`);
  }
}
