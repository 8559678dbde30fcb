// Turns one article block into packing units no larger than the chunk budget: a whole block when it fits,
// otherwise sentences (prose), runs of whole lines (code, each run re-fenced) or words (table rows).
import type { Block } from '../markdown/types';
import { fitPieces, type Piece } from './split';
import type { TokenMeter } from './tokens';

/** The smallest thing the packer places: never split again, joined to the previous unit by `sep`. */
export interface Unit extends Piece {
  /** Prose can lend trailing sentences to the next chunk as overlap; code and table rows cannot. */
  prose: boolean;
}

/** Units of `block`, each costing at most `budget` tokens (bar a single character that alone exceeds it). */
export function blockUnits(block: Block, budget: number, meter: TokenMeter): Unit[] {
  switch (block.kind) {
    case 'heading':
      return [];
    case 'code':
      return codeUnits(block.text, block.lang, budget, meter);
    case 'table-row':
      return fitPieces(block.text, budget, meter, '\n').map((piece) => ({ ...piece, prose: false }));
    default:
      return fitPieces(block.text, budget, meter, '\n').map((piece) => ({ ...piece, prose: true }));
  }
}

/** The fence that safely wraps `code`: three backticks, or one more than the longest backtick run inside it. */
function fenceFor(code: string): string {
  let longest = 0;
  for (const run of code.match(/`{3,}/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * A code block as one fenced unit when it fits; otherwise consecutive whole lines grouped into fenced units.
 * NOTE: a line too long for any unit is cut at spaces (then characters) and its pieces placed on lines of their own.
 */
function codeUnits(code: string, lang: string, budget: number, meter: TokenMeter): Unit[] {
  const fence = fenceFor(code);
  const open = fence + lang;
  const whole = `${open}\n${code}\n${fence}`;
  const wholeTokens = meter.cost(whole);
  if (wholeTokens <= budget) return [{ text: whole, sep: '\n', tokens: wholeTokens, prose: false }];

  const newline = meter.join('\n');
  const fenceTokens = meter.cost(open) + meter.cost(fence) + 2 * newline;
  const lineBudget = Math.max(1, budget - fenceTokens);
  const lines = code.split('\n').flatMap((line) => (meter.cost(line) <= lineBudget ? [{ text: line, tokens: meter.cost(line) }] : fitPieces(line, lineBudget, meter, '')));

  const units: Unit[] = [];
  let run: string[] = [];
  let runTokens = 0;
  const flush = () => {
    if (run.length === 0) return;
    units.push({ text: `${open}\n${run.join('\n')}\n${fence}`, sep: '\n', tokens: fenceTokens + runTokens, prose: false });
    run = [];
    runTokens = 0;
  };
  for (const line of lines) {
    const added = run.length === 0 ? line.tokens : newline + line.tokens;
    if (run.length > 0 && fenceTokens + runTokens + added > budget) {
      flush();
      run.push(line.text);
      runTokens = line.tokens;
    } else {
      run.push(line.text);
      runTokens += added;
    }
  }
  flush();
  return units;
}
