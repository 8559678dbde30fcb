// `--template <file>`: the prompt template from a JSON file, either a template itself
// ({system, document, user}) or a dataset's manifest.json (its `template`), so an edited template
// from the app is reproduced exactly on the command line.
import { checkTemplate, DEFAULT_TEMPLATE, type PromptTemplate } from '../lib/core/raft/prompt';
import { CliError, readJsonFlag } from './cli-error';

export const TEMPLATE_HELP = '--template <file>        prompt template: a JSON {system, document, user}, or a manifest.json (default: the built-in one)';

export async function readTemplate(path: string | undefined): Promise<PromptTemplate> {
  if (!path) return { ...DEFAULT_TEMPLATE };
  const parsed = await readJsonFlag('--template', path);
  const holder = parsed as { template?: unknown } | null;
  const candidate = (holder && typeof holder === 'object' && 'template' in holder ? holder.template : parsed) as Record<string, unknown> | null;
  const fields = ['system', 'document', 'user'] as const;
  if (!candidate || typeof candidate !== 'object' || fields.some((f) => typeof candidate[f] !== 'string')) {
    throw new CliError(`--template ${path} must hold "system", "document" and "user" strings (or be a manifest.json with a "template").`);
  }
  const template: PromptTemplate = { system: candidate.system as string, document: candidate.document as string, user: candidate.user as string };
  const problem = checkTemplate(template);
  if (problem) throw new CliError(`--template ${path}: ${problem}`);
  return template;
}
