// Answer correctness against a reference, SQuAD-style: normalise (lower case, no punctuation, no
// articles, single spaces), then exact match and token-level F1.

export function normaliseAnswer(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\b(a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function exactMatch(prediction: string, reference: string): number {
  return normaliseAnswer(prediction) === normaliseAnswer(reference) ? 1 : 0;
}

/** Token F1 with multiset overlap; two empty answers agree (1), one empty answer scores 0. */
export function tokenF1(prediction: string, reference: string): number {
  const predicted = normaliseAnswer(prediction).split(' ').filter(Boolean);
  const expected = normaliseAnswer(reference).split(' ').filter(Boolean);
  if (predicted.length === 0 || expected.length === 0) return predicted.length === expected.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const token of expected) counts.set(token, (counts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of predicted) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      common++;
      counts.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predicted.length;
  const recall = common / expected.length;
  return (2 * precision * recall) / (precision + recall);
}
