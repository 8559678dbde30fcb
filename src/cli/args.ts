// Command-line flags: parsed with node:util, checked, and turned into typed options with clear errors.
import { parseArgs } from 'node:util';
import { messageOf } from '../lib/core/errors';
import { RETRIEVAL_MODES, type RetrievalMode } from '../lib/core/retrieval/types';
import { CliError } from './cli-error';

export type Flags = Record<string, string | boolean | string[] | undefined>;

/** `multiple`: the flag may be given several times (its value is then a list). */
export function parseFlags(argv: string[], spec: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>): Flags {
  try {
    return parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false }).values as Flags;
  } catch (error) {
    throw new CliError(messageOf(error));
  }
}

export function requireString(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== 'string' || !value) throw new CliError(`--${name} is required.`);
  return value;
}

export function numberFlag(flags: Flags, name: string, fallback: number, min: number, max: number, integer = false): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  // NOTE: Number('') and Number(' ') are 0: an empty value is a mistake, not a zero.
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new CliError(`--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}; got "${raw}".`);
  }
  return value;
}

export function choiceFlag<T extends string>(flags: Flags, name: string, choices: readonly T[], fallback: T): T {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  if (!choices.includes(raw as T)) throw new CliError(`--${name} must be one of ${choices.join(', ')}; got "${raw}".`);
  return raw as T;
}

export const modeFlag = (flags: Flags): RetrievalMode => choiceFlag(flags, 'mode', RETRIEVAL_MODES, 'lexical');

/** Every value of a flag given several times (e.g. `--model a --model b`), in order. */
export function listFlag(flags: Flags, name: string): string[] {
  const raw = flags[name];
  return raw === undefined ? [] : Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
}
