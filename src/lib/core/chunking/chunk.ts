// Heading-aware chunking of a ParsedArticle: each section (the blocks under one heading) is packed into chunks
// near the target size, never above the maximum, with sentence overlap between chunks of the same section;
// then chunks below the floor (short sections) are merged with their neighbours (see merge.ts).
import { hash } from '../hash';
import type { Block, ParsedArticle } from '../markdown/types';
import { mergeShortSections, type Draft } from './merge';
import { splitSentences } from './split';
import { TokenMeter } from './tokens';
import { resolveChunkOptions, type Chunk, type ChunkOptions, type CountTokens } from './types';
import { blockUnits, type Unit } from './units';

interface Section {
  headingPath: string[];
  blocks: Block[];
}

/**
 * Splits `article` into chunks in document order. `countTokens` is called about once per block (per sentence,
 * line or word only for blocks too large for one chunk, and for overlap), and never twice for the same string.
 * NOTE: a chunk's id depends on its article, heading path and text (plus a counter for identical repeats),
 * never on its position, so an edit re-identifies only the chunks whose text it changes.
 * @throws RangeError when an option is out of range (see {@link resolveChunkOptions}).
 */
export function chunkArticle(article: ParsedArticle, options: Partial<ChunkOptions>, countTokens: CountTokens): Chunk[] {
  const settings = resolveChunkOptions(options);
  const meter = new TokenMeter(countTokens);
  const packed = sections(article.blocks).map((section) => {
    const heading = section.headingPath[section.headingPath.length - 1] ?? article.title;
    return packSection(section, heading, settings, meter).map((draft): Draft => ({ ...draft, headingPath: section.headingPath }));
  });
  const chunks: Chunk[] = [];
  const occurrences = new Map<string, number>();
  for (const { headingPath, text, tokens } of mergeShortSections(packed, settings, meter)) {
    const contentHash = hash(text);
    const key = `${headingPath.join('\u0000')}\u0000${contentHash}`;
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    chunks.push({
      id: 'c_' + hash(`${article.path}\u0000${key}\u0000${occurrence}`),
      articlePath: article.path,
      headingPath,
      text,
      tokenCount: tokens,
      contentHash,
      index: chunks.length,
    });
  }
  return chunks;
}

/** Groups blocks under their heading path; headings themselves open sections and carry no content. */
function sections(blocks: Block[]): Section[] {
  const out: Section[] = [];
  const stack: { depth: number; text: string }[] = [];
  let current: Section = { headingPath: [], blocks: [] };
  for (const block of blocks) {
    if (block.kind !== 'heading') {
      current.blocks.push(block);
      continue;
    }
    if (current.blocks.length > 0) out.push(current);
    while (stack.length > 0 && stack[stack.length - 1].depth >= block.depth) stack.pop();
    stack.push({ depth: block.depth, text: block.text });
    current = { headingPath: stack.map((entry) => entry.text), blocks: [] };
  }
  if (current.blocks.length > 0) out.push(current);
  return out;
}

/**
 * Greedy packing of one section's units, with overlap carried from each chunk into the next. A last chunk below
 * `minTokens` is folded back into the one before when the two fit under the maximum together.
 */
function packSection(section: Section, heading: string, settings: ChunkOptions, meter: TokenMeter): { text: string; tokens: number }[] {
  const { targetTokens, maxTokens, overlapTokens, minTokens } = settings;
  // NOTE: a heading longer than a quarter of the maximum would crowd out the content; it stays in headingPath only.
  const headingTokens = meter.cost(heading);
  const headingLine = headingTokens <= maxTokens / 4 ? heading : '';
  const base = meter.overhead + (headingLine ? headingTokens + meter.join('\n') : 0);
  const budget = Math.max(1, maxTokens - base);
  const units = section.blocks.flatMap((block) => blockUnits(block, budget, meter));

  /** Each chunk's units; `carried` of them at its start repeat the end of the previous chunk (overlap). */
  const packed: { units: Unit[]; cost: number; carried: number }[] = [];
  let current: Unit[] = [];
  let cost = 0;
  let carried = 0;
  for (const unit of units) {
    const grown = cost + meter.join(unit.sep) + unit.tokens;
    if (current.length === 0) {
      current = [unit];
      cost = unit.tokens;
    } else if (base + grown <= targetTokens || (base + grown <= maxTokens && base + cost < targetTokens / 2)) {
      current.push(unit);
      cost = grown;
    } else {
      packed.push({ units: current, cost, carried });
      const room = budget - unit.tokens - meter.join(unit.sep);
      const repeated = overlap(current, Math.min(overlapTokens, room), meter);
      current = [...repeated, unit];
      carried = repeated.length;
      cost = unitsCost(current, meter);
    }
  }
  if (current.length > 0) packed.push({ units: current, cost, carried });

  const last = packed[packed.length - 1];
  if (packed.length > 1 && base + last.cost < minTokens) {
    const previous = packed[packed.length - 2];
    const units = [...previous.units, ...last.units.slice(last.carried)];
    const cost = unitsCost(units, meter);
    if (base + cost <= maxTokens) packed.splice(-2, 2, { units, cost, carried: previous.carried });
  }
  return packed.map(({ units, cost }) => {
    const body = units.map((unit, i) => (i === 0 ? unit.text : unit.sep + unit.text)).join('');
    return { text: headingLine ? `${headingLine}\n${body}` : body, tokens: base + cost };
  });
}

function unitsCost(units: Unit[], meter: TokenMeter): number {
  let cost = 0;
  units.forEach((unit, i) => (cost += (i === 0 ? 0 : meter.join(unit.sep)) + unit.tokens));
  return cost;
}

/**
 * Trailing whole sentences of `previous` worth at most `limit` tokens, as units. Stops at code or a table
 * row, and never takes the chunk's first sentence (the overlap must be less than the chunk it repeats).
 */
function overlap(previous: Unit[], limit: number, meter: TokenMeter): Unit[] {
  const taken: Unit[] = [];
  let cost = 0;
  for (let u = previous.length - 1; u >= 0 && previous[u].prose; u--) {
    const sentences = splitSentences(previous[u].text);
    sentences[0].sep = previous[u].sep;
    for (let s = sentences.length - 1; s >= 0; s--) {
      if (u === 0 && s === 0) return taken;
      const tokens = meter.cost(sentences[s].text);
      const added = tokens + (taken.length > 0 ? meter.join(taken[0].sep) : 0);
      if (cost + added > limit) return taken;
      taken.unshift({ ...sentences[s], tokens, prose: true });
      cost += added;
    }
  }
  return taken;
}
