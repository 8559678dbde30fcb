// The normalised form of one markdown document: readable plain-text blocks in document order.

/** Heading level, from `#` (1) to `######` (6). */
export type HeadingDepth = 1 | 2 | 3 | 4 | 5 | 6;

/** Prose-like blocks whose text is plain, inline formatting already reduced. */
export type ProseKind = 'paragraph' | 'list-item' | 'quote' | 'html';

/** One block of a document, as plain text. */
export type Block =
  | { kind: 'heading'; depth: HeadingDepth; text: string }
  /** `list-item` text starts with its marker (`- `, `3. `), indented two spaces per nesting level. */
  | { kind: ProseKind; text: string }
  /** A fenced or indented code block, verbatim (no trailing newline); `lang` is '' when none was given. */
  | { kind: 'code'; text: string; lang: string }
  /** One table row, cells joined with " | "; `header` marks the row under which the `---` line sits. */
  | { kind: 'table-row'; text: string; header: boolean };

/** Every kind of block: 'heading', the prose kinds, 'code' and 'table-row'. */
export type BlockKind = Block['kind'];

export interface ArticleMetadata {
  /** Front matter `aliases` (a string or a list). */
  aliases: string[];
  /** Front matter `tags` (a list, or a string split at commas and spaces), without a leading `#`. */
  tags: string[];
  description?: string;
  /** Wikilink targets (`[[Target|label]]` → "Target"), without `#heading` parts, deduplicated, in order. */
  links: string[];
  /** Set when the front matter could not be used; the same problem is also in `warnings`. */
  frontMatterError?: string;
}

export interface ParsedArticle {
  /** Relative path as given, e.g. "billing/refund-policy.md". */
  path: string;
  /** Front matter `title`, else the first `# ` heading, else the file name without its extension. */
  title: string;
  metadata: ArticleMetadata;
  blocks: Block[];
  /** User-facing notes about what was ignored or could not be read. */
  warnings: string[];
}
