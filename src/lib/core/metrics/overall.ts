// The arena's overall line: one sentence over both models' verdicts, saying who cited the oracle, who was
// distracted and who answered right ("Fine-tuned cited the oracle, base did not; base was distracted; ...").
import { exactMatch, tokenF1 } from './answer';
import type { VerdictKind } from './citations';

/** One model that has finished answering (done or stopped). */
export interface ModelOutcome {
  /** How the line names it: "base", "fine-tuned". */
  name: string;
  verdict: VerdictKind;
  /** The text after `<ANSWER>:`, or null when the model did not write one. */
  finalAnswer: string | null;
}

export interface OverallContext {
  /** The question comes from the question set, so its oracle is known. */
  oracleKnown: boolean;
  /** The pair's reference answer; '' or null when there is none to compare with. */
  reference: string | null;
}

/** Token F1 from which an answer counts as partly right rather than wrong (1 with exact match is "right"). */
export const PARTLY_RIGHT_F1 = 0.5;

const joinNames = (names: string[]) => (names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0]);

/** "base cited the oracle, fine-tuned did not" / "both cited the oracle" / "neither cited the oracle". */
function split(yes: string[], no: string[], did: string, didNot: string): string {
  if (no.length === 0) return `${yes.length > 1 ? 'both' : yes[0]} ${did}`;
  if (yes.length === 0) return no.length > 1 ? `neither ${did}` : `${no[0]} ${didNot}`;
  return `${joinNames(yes)} ${did}, ${joinNames(no)} did not`;
}

function correctness(outcome: ModelOutcome, reference: string): string {
  if (outcome.finalAnswer === null) return 'wrote no final answer';
  if (exactMatch(outcome.finalAnswer, reference)) return 'answered right';
  const f1 = tokenF1(outcome.finalAnswer, reference);
  return f1 >= PARTLY_RIGHT_F1 ? `answered partly right (F1 ${f1.toFixed(2)})` : `answered wrong (F1 ${f1.toFixed(2)})`;
}

/** The overall line, or null when no model has finished answering. */
export function overallLine(outcomes: readonly ModelOutcome[], context: OverallContext): string | null {
  if (outcomes.length === 0) return null;
  const names = (kinds: VerdictKind[]) => outcomes.filter((o) => kinds.includes(o.verdict)).map((o) => o.name);
  const parts: string[] = [];
  if (context.oracleKnown) {
    const cited = names(['cited-oracle']);
    parts.push(split(cited, outcomes.map((o) => o.name).filter((n) => !cited.includes(n)), 'cited the oracle', 'did not cite the oracle'));
    const distracted = names(['distracted']);
    if (distracted.length) parts.push(`${distracted.length > 1 && distracted.length === outcomes.length ? 'both were' : `${joinNames(distracted)} ${distracted.length > 1 ? 'were' : 'was'}`} distracted`);
  } else {
    parts.push('a typed question has no known oracle, so citations cannot be judged');
  }
  if (context.reference?.trim()) {
    const reference = context.reference;
    const said = outcomes.map((o) => ({ name: o.name, words: correctness(o, reference) }));
    const same = said.every((s) => s.words === said[0].words);
    parts.push(same && said.length > 1 ? `both ${said[0].words}` : said.map((s) => `${s.name} ${s.words}`).join(', '));
  }
  const line = parts.join('; ');
  return `${line[0].toUpperCase()}${line.slice(1)}.`;
}
