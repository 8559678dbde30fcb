// Merging short sections: a heading with a line or two under it makes a chunk too small to retrieve well
// (a reference article of many such sections gave 150+ chunks of 5-8 tokens). Runs of short sections are
// joined into chunks of at least `minTokens`; a short section alone between long ones joins a neighbour.
import { hash } from '../hash';
import type { TokenMeter } from './tokens';
import type { ChunkOptions } from './types';

/** A chunk before it gets its id: heading path, text (heading line first) and tokens (overhead included). */
export interface Draft {
  headingPath: string[];
  text: string;
  tokens: number;
}

/**
 * Merges the drafts of short sections, given each section's drafts in document order. A section is short when
 * it packed into one draft below `minTokens`. Consecutive short sections are joined in document order (each
 * keeps its heading line) while the group stays within `targetTokens`; a group closes once it reaches
 * `minTokens` at the next *anchor* section. A group still below the floor when a long section (or the end)
 * comes is appended to the chunk before it, else prepended to the chunk after it, when that stays within
 * `maxTokens`; otherwise it stays as it is (only when neighbours are nearly full or the article is that short).
 *
 * NOTE: anchors are sections whose heading hashes to an even digit. They make boundaries depend on the text
 * near them, not on everything before: an edit that changes one section's size moves at most the boundaries
 * up to the next anchor reached by both the old and new grouping, so chunks further on keep their ids.
 */
export function mergeShortSections(sections: Draft[][], settings: ChunkOptions, meter: TokenMeter): Draft[] {
  const { minTokens, targetTokens, maxTokens } = settings;
  if (minTokens <= 0) return sections.flat();
  const newline = meter.join('\n');
  const joinedTokens = (a: Draft, b: Draft) => a.tokens + newline + b.tokens - meter.overhead;
  const join = (a: Draft, b: Draft): Draft => ({ headingPath: commonPrefix(a.headingPath, b.headingPath), text: `${a.text}\n${b.text}`, tokens: joinedTokens(a, b) });

  const out: Draft[] = [];
  let group: Draft | null = null;
  /** A short group waiting to be put before the next section's first chunk. */
  let carry: Draft | null = null;

  const closeGroup = (next: Draft | undefined) => {
    if (!group) return;
    const previous = out[out.length - 1];
    if (group.tokens >= minTokens) out.push(group);
    else if (previous && joinedTokens(previous, group) <= maxTokens) out[out.length - 1] = join(previous, group);
    else if (next && joinedTokens(group, next) <= maxTokens) carry = group;
    else out.push(group);
    group = null;
  };

  for (const drafts of sections) {
    if (drafts.length === 0) continue;
    const short = drafts.length === 1 && drafts[0].tokens < minTokens;
    if (!short) {
      closeGroup(drafts[0]);
      const [first, ...rest] = drafts;
      out.push(carry ? join(carry, first) : first, ...rest);
      carry = null;
      continue;
    }
    const draft = drafts[0];
    if (!group) group = draft;
    else if (group.tokens >= minTokens && (isAnchor(draft) || joinedTokens(group, draft) > targetTokens)) {
      out.push(group);
      group = draft;
    } else group = join(group, draft);
  }
  closeGroup(undefined);
  return out;
}

function isAnchor(draft: Draft): boolean {
  const heading = draft.headingPath[draft.headingPath.length - 1] ?? '';
  return parseInt(hash(heading).slice(-1), 36) % 2 === 0;
}

function commonPrefix(a: string[], b: string[]): string[] {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n === a.length ? a : a.slice(0, n);
}
