// Splits a leading YAML front matter block (`---` … `---`) from a markdown document and reads its metadata.
import { parseDocument } from 'yaml';
import { messageOf } from '../errors';

/** What front matter gave: the metadata it holds and the markdown that follows it. */
export interface FrontMatter {
  /** The markdown after the front matter (the whole document when there is none). */
  body: string;
  /** 1-based line of the document on which `body` starts. */
  bodyLine: number;
  /** True when the document opened with a complete front matter block, valid or not. */
  present: boolean;
  title?: string;
  aliases: string[];
  tags: string[];
  description?: string;
  /** Why the metadata was ignored, worded for the user. */
  error?: string;
}

const OPEN = /^---[ \t]*$/;
const CLOSE = /^(---|\.\.\.)[ \t]*$/;

/**
 * Front matter larger than this is not parsed whole: YAML's parse and duplicate-key check grow faster than
 * the text (100,000 keys kept the corpus worker busy 71 s), and real front matter is a few hundred bytes.
 * Over either bound only the fields the app reads are picked out and parsed; the file is still added.
 */
export const FRONT_MATTER_LIMITS = {
  /** Characters of YAML between the `---` lines. */
  maxChars: 32_768,
  /** Lines of YAML between the `---` lines. */
  maxLines: 1_000,
} as const;

/** The top-level keys `parseYaml` reads (kept when an oversized front matter is cut down). */
const READ_KEYS = new Set(['title', 'aliases', 'alias', 'tags', 'tag', 'description']);

/** Splits and parses front matter; `text` must already use `\n` line endings. Never throws. */
export function readFrontMatter(text: string): FrontMatter {
  const none: FrontMatter = { body: text, bodyLine: 1, present: false, aliases: [], tags: [] };
  const firstEnd = text.indexOf('\n');
  if (firstEnd < 0 || !OPEN.test(text.slice(0, firstEnd))) return none;
  let lineStart = firstEnd + 1;
  let line = 2;
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? text.length : nl;
    if (CLOSE.test(text.slice(lineStart, lineEnd))) {
      const yamlText = text.slice(firstEnd + 1, lineStart);
      const body = nl < 0 ? '' : text.slice(nl + 1);
      const yamlLines = line - 2;
      const metadata = withinLimits(yamlText, yamlLines) ? parseYaml(yamlText) : parseOversized(yamlText, yamlLines);
      return { ...metadata, body, bodyLine: line + 1, present: true };
    }
    if (nl < 0) break;
    lineStart = nl + 1;
    line++;
  }
  return { ...none, error: 'Front matter starting on line 1 is never closed with "---": read it as text' };
}

type Metadata = Omit<FrontMatter, 'body' | 'bodyLine' | 'present'>;

function withinLimits(yamlText: string, lines: number): boolean {
  return yamlText.length <= FRONT_MATTER_LIMITS.maxChars && lines <= FRONT_MATTER_LIMITS.maxLines;
}

/** Reads only the known top-level keys of a front matter over the bounds, and says so. */
function parseOversized(yamlText: string, lines: number): Metadata {
  const size = `${lines.toLocaleString('en-US')} line${lines === 1 ? '' : 's'}, ${kilobytes(yamlText.length)}`;
  const bound = `${FRONT_MATTER_LIMITS.maxLines.toLocaleString('en-US')} lines or ${kilobytes(FRONT_MATTER_LIMITS.maxChars)}`;
  const known = pickKnownKeys(yamlText);
  const knownLines = known ? known.split('\n').length : 0;
  if (!known || !withinLimits(known, knownLines)) {
    return { aliases: [], tags: [], error: `Front matter is too large (${size}; the bound is ${bound}): kept the text, ignored the metadata` };
  }
  const parsed = parseYaml(known);
  const note = `Front matter is too large (${size}; the bound is ${bound}): read only its title, aliases, tags and description`;
  return { ...parsed, error: parsed.error ?? note };
}

/** The top-level `key:` entries among READ_KEYS with their indented or `- item` continuation lines. */
function pickKnownKeys(yamlText: string): string {
  const kept: string[] = [];
  let keeping = false;
  for (const line of yamlText.split('\n')) {
    const key = /^([A-Za-z_][\w-]*)[ \t]*:/.exec(line)?.[1];
    if (key !== undefined) keeping = READ_KEYS.has(key);
    else if (!/^([ \t]|-[ \t]|-$)/.test(line) && line.trim() !== '') keeping = false;
    if (keeping) kept.push(line);
  }
  return kept.join('\n');
}

function kilobytes(chars: number): string {
  return chars < 1_048_576 ? `${Math.round(chars / 1024)} KB` : `${(chars / 1_048_576).toFixed(1)} MB`;
}

function parseYaml(yamlText: string): Metadata {
  const empty: Metadata = { aliases: [], tags: [] };
  const doc = parseDocument(yamlText, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const position = doc.errors[0].linePos?.[0];
    // NOTE: +1 for the opening `---` line, so the number matches what the user sees in their editor.
    const where = position ? ` (line ${position.line + 1})` : '';
    return { ...empty, error: `Front matter is not valid YAML${where}: kept the text, ignored the metadata` };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ...empty, error: `Front matter could not be read (${messageOf(error)}): kept the text, ignored the metadata` };
  }
  if (data === null || data === undefined) return empty;
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { ...empty, error: 'Front matter is not a list of "key: value" lines: kept the text, ignored the metadata' };
  }
  const fields = data as Record<string, unknown>;
  return {
    title: scalar(fields.title),
    aliases: list(fields.aliases ?? fields.alias, /,/),
    tags: list(fields.tags ?? fields.tag, /[,\s]+/).map((tag) => tag.replace(/^#/, '')).filter(Boolean),
    description: scalar(fields.description),
  };
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function list(value: unknown, separator: RegExp): string[] {
  const items = Array.isArray(value) ? value.map(scalar) : (scalar(value)?.split(separator) ?? []);
  return items.map((item) => item?.trim()).filter((item): item is string => !!item);
}
