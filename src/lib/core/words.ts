// Figures in words, shared by every page: counts with the right plural ("1 chunk", "2 chunks") and time left.

/** `n` and the word, the word in the plural unless `n` is 1; `many` for irregular plurals ("1 query", "2 queries"). */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? word : many}`;
}

/** Seconds left as words: "less than a second left", "about 8 s left", "about 3 min 5 s left", "about 1 h 4 min left". */
export function timeLeft(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 1) return 'less than a second left';
  if (s < 60) return `about ${s} s left`;
  if (s < 600) return `about ${Math.floor(s / 60)} min ${s % 60} s left`;
  if (s < 3600) return `about ${Math.round(s / 60)} min left`;
  return `about ${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min left`;
}
