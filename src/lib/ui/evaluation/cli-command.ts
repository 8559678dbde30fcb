// The `raft eval` command line that repeats a run of the page, and what it cannot repeat.
import type { EvalRun } from '../../core/eval/types';
import { DEFAULT_TEMPLATE } from '../../core/raft/prompt';

export function evalCliCommand(run: EvalRun): { text: string; note: string } {
  const s = run.settings;
  const roles = [...new Set(run.arms.map((a) => a.role))];
  const withRetrieval = run.arms.some((a) => a.retrieval);
  const closed = run.arms.some((a) => !a.retrieval);
  const parts = ['npm run raft -- eval --docs <docs folder> --questions <questions file>'];
  for (const role of ['base', 'tuned'] as const) if (roles.includes(role)) parts.push(`--model <${role === 'base' ? 'base' : 'fine-tuned'} model folder>`);
  if (withRetrieval) {
    parts.push(`--mode ${s.mode}`, `--k ${s.k}`, `--oracle ${s.oracle}`, `--distractors ${s.distractors.join(',')}`);
    if (s.mode !== 'lexical') parts.push('--embedder <embedding model folder>');
    if (closed) parts.push('--closed-book');
  } else parts.push('--k 0');
  parts.push(`--seed ${s.seed}`, `--max-new-tokens ${s.generation.maxNewTokens}`, `--missing-answer ${s.missingAnswer}`);
  const edited = JSON.stringify(s.template) !== JSON.stringify(DEFAULT_TEMPLATE);
  if (edited) parts.push('--template <template.json>');
  parts.push('--out <folder>');
  const notes = [
    'Same documents, questions (with the same split), models, settings and seed give the same numbers (timings aside).',
    roles.length === 1 && roles[0] === 'tuned' ? 'The command line calls its first --model the base model: the arm names differ.' : '',
    edited ? 'The template was edited: save it as JSON {system, document, user} for --template.' : '',
    s.judge ? 'The command line has no LLM judge.' : '',
    s.resamples !== 2000 ? `The command line uses 2000 bootstrap resamples, not ${s.resamples}.` : '',
    !s.generation.greedy ? 'The command line decodes greedily.' : '',
  ];
  return { text: parts.join(' \\\n  '), note: notes.filter(Boolean).join(' ') };
}
