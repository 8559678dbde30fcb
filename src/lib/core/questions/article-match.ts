// Finds the article an import row means: by exact path, path without extension, path suffix, then title or alias.
// The first rule that matches anything decides; more than one article at that rule is ambiguous.
import { normaliseForMatch } from '../text-match';

/** What resolution needs to know about an article. */
export interface ArticleRef {
  path: string;
  title: string;
  aliases: readonly string[];
}

/** The article a reference names, the articles it could name, or none. */
export type ArticleMatch = { kind: 'found'; path: string } | { kind: 'ambiguous'; candidates: string[] } | { kind: 'none' };

/** `./billing\\Refund-Policy.md` → `billing/Refund-Policy.md`. */
function cleanPath(ref: string): string {
  return ref.trim().replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '');
}

function withoutExtension(path: string): string {
  return path.replace(/\.[^./]+$/, '');
}

class Index {
  private readonly map = new Map<string, string[]>();

  add(key: string, path: string): void {
    const list = this.map.get(key);
    if (!list) this.map.set(key, [path]);
    else if (!list.includes(path)) list.push(path);
  }

  get(key: string): string[] {
    return this.map.get(key) ?? [];
  }
}

/**
 * Builds a matcher over `articles` (indexes built once, so each lookup is a few map reads). Rules, in order:
 * 1. exact path; 2. path or path without extension, ignoring case; 3. a trailing part of the path after a `/`,
 * with or without extension (`refund-policy.md`, `billing/refund-policy`); 4. title or alias, ignoring case,
 * accents and spacing.
 */
export function createArticleMatcher(articles: readonly ArticleRef[]): (ref: string) => ArticleMatch {
  const exact = new Set(articles.map((a) => a.path));
  const whole = new Index();
  const suffix = new Index();
  const named = new Index();
  for (const { path, title, aliases } of articles) {
    const lower = path.toLowerCase();
    whole.add(lower, path);
    whole.add(withoutExtension(lower), path);
    for (let at = lower.indexOf('/'); at >= 0; at = lower.indexOf('/', at + 1)) {
      suffix.add(lower.slice(at + 1), path);
      suffix.add(withoutExtension(lower.slice(at + 1)), path);
    }
    for (const name of [title, ...aliases]) if (name.trim()) named.add(normaliseForMatch(name), path);
  }
  return (ref) => {
    const path = cleanPath(ref);
    if (exact.has(path)) return { kind: 'found', path };
    for (const candidates of [whole.get(path.toLowerCase()), suffix.get(path.toLowerCase()), named.get(normaliseForMatch(ref))]) {
      if (candidates.length === 1) return { kind: 'found', path: candidates[0] };
      if (candidates.length > 1) return { kind: 'ambiguous', candidates: [...candidates].sort() };
    }
    return { kind: 'none' };
  };
}
