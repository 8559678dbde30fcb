// An error the CLI prints as one clear line and exits non-zero on, without a stack trace, and reading a flag's JSON file.
import { readFile } from 'node:fs/promises';
import { messageOf } from '../lib/core/errors';

/** An error the CLI prints as one line, without a stack trace, and exits non-zero on. */
export class CliError extends Error {
  override name = 'CliError';
}

/** The JSON a flag names (`--template <file>`), or a CliError naming the flag, the file and what was wrong. */
export async function readJsonFlag(flag: string, path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CliError(`${flag} ${path} could not be read as JSON: ${messageOf(error)}`);
  }
}
