// Reduces raw HTML (one html_block or html_inline token at a time) to the text a reader would see.

const DROPPED_ELEMENT = /<(script|style|template|noscript)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;
const COMMENT = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![A-Za-z][^>]*>|<\?[\s\S]*?(?:\?>|$)/g;
const LINE_BREAKING_TAG = /<\/?(?:br|p|div|li|ul|ol|tr|table|h[1-6]|blockquote|pre|section|article|details|summary|dd|dt|hr)\b[^>]*>/gi;
const ANY_TAG = /<\/?[A-Za-z][^>]*>/g;

/**
 * Strips tags from an HTML fragment: `<script>`/`<style>` contents and comments vanish, block-level tags
 * become line breaks, other tags vanish. Entities are left for the markdown inline parser to decode.
 */
export function stripHtml(html: string): string {
  return html.replace(DROPPED_ELEMENT, '').replace(COMMENT, '').replace(LINE_BREAKING_TAG, '\n').replace(ANY_TAG, '');
}

const OPENING_DROPPED = /^<(script|style|template|noscript)\b/i;
const CLOSING_DROPPED = /^<\/(script|style|template|noscript)\b/i;
const BREAK = /^<br\b/i;

/** How one inline HTML tag affects the text around it. */
export type InlineTagEffect = 'enter-dropped' | 'leave-dropped' | 'line-break' | 'none';

/** Classifies an inline HTML token: entering/leaving an element whose content is dropped, a `<br>`, or neither. */
export function inlineTagEffect(tag: string): InlineTagEffect {
  if (OPENING_DROPPED.test(tag)) return /\/>\s*$/.test(tag) ? 'none' : 'enter-dropped';
  if (CLOSING_DROPPED.test(tag)) return 'leave-dropped';
  return BREAK.test(tag) ? 'line-break' : 'none';
}
