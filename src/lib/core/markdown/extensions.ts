// markdown-it rules for syntax that CommonMark leaves as noise: Obsidian wikilinks, embeds and callouts,
// and Hugo shortcodes. Each rule turns its syntax into the text a reader would see.
import type { MarkdownIt, StateCore, StateInline } from 'markdown-it';

/** Per-document scratch space the rules write into (passed as markdown-it's `env`). */
// NOTE: a type alias, not an interface, so that it is assignable to markdown-it's index-signature `Env`.
export type ParseEnv = {
  /** Wikilink targets in document order, repeats included. */
  links: string[];
};

const BANG = 0x21;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;

/** Installs every rule of this module on `md`. */
export function useExtensions(md: MarkdownIt): void {
  md.inline.ruler.before('link', 'wikilink', wikilink);
  md.inline.ruler.before('text', 'shortcode', shortcode);
  md.core.ruler.after('block', 'callout', callout);
}

/**
 * `[[Target]]` → "Target", `[[Target|label]]` → "label", `[[Page#Part]]` → "Page > Part"; the target is
 * recorded in `env.links`. `![[file.png]]` (an embed) is dropped: there is nothing to read in it.
 */
function wikilink(state: StateInline, silent: boolean): boolean {
  const { src } = state;
  let start = state.pos;
  const embed = src.charCodeAt(start) === BANG;
  if (embed) start++;
  if (src.charCodeAt(start) !== OPEN_BRACKET || src.charCodeAt(start + 1) !== OPEN_BRACKET) return false;
  const end = src.indexOf(']]', start + 2);
  if (end < 0 || end > state.posMax) return false;
  const inner = src.slice(start + 2, end);
  if (!inner.trim() || inner.includes('\n') || inner.includes('[')) return false;
  if (!silent && !embed) {
    const bar = inner.indexOf('|');
    // NOTE: inside a table cell the bar is written `\|`; the backslash belongs to the escape, not the target.
    const target = (bar < 0 ? inner : inner.slice(0, bar)).replace(/\\$/, '').trim();
    const label = bar < 0 ? '' : inner.slice(bar + 1).trim();
    const [page, ...parts] = target.split('#');
    const shownParts = parts.map((part) => part.trim()).filter((part) => part && !part.startsWith('^'));
    const token = state.push('text', '', 0);
    token.content = label || [page.trim(), ...shownParts].filter(Boolean).join(' > ') || target;
    if (page.trim()) (state.env as ParseEnv).links.push(page.trim());
  }
  state.pos = end + 2;
  return true;
}

/** Hugo shortcodes `{{< name args >}}`, `{{% name %}}` and their closing forms vanish; the text between them stays. */
function shortcode(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  if (src.charCodeAt(pos) !== OPEN_BRACE || src.charCodeAt(pos + 1) !== OPEN_BRACE) return false;
  const kind = src[pos + 2];
  if (kind !== '<' && kind !== '%') return false;
  const end = src.indexOf(kind === '<' ? '>}}' : '%}}', pos + 3);
  if (end < 0 || end + 3 > state.posMax) return false;
  if (!silent) state.pending += ' ';
  state.pos = end + 3;
  return true;
}

const CALLOUT = /^\[!([^\]\s]+)\][+-]?[ \t]*([^\n]*)/;

/**
 * `> [!warning] Title` → a quote whose first line is "Title" (or "Warning" when no title is given).
 * Runs before inline parsing, so it only rewrites the raw text of the quote's first paragraph.
 */
function callout(state: StateCore): void {
  const { tokens } = state;
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (tokens[i].type !== 'blockquote_open' || tokens[i + 1].type !== 'paragraph_open') continue;
    const inline = tokens[i + 2];
    const match = CALLOUT.exec(inline.content);
    if (!match) continue;
    const type = match[1];
    const title = match[2].trim() || type.charAt(0).toUpperCase() + type.slice(1).toLowerCase();
    inline.content = title + inline.content.slice(match[0].length);
  }
}
