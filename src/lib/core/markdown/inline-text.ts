// Reduces markdown-it inline tokens to plain text: formatting vanishes, links keep their text,
// images keep their alt text, inline HTML keeps only what a reader would see. Inline code keeps its
// backticks, so a quote copied from the source (`npm install`) is found verbatim in the chunk.
import type { Token } from 'markdown-it';
import { inlineTagEffect } from './html-text';

/** Plain text of an inline token's children (or of a token list), not yet tidied. */
export function inlineText(tokens: Token[] | null): string {
  let out = '';
  let droppedDepth = 0;
  for (const token of tokens ?? []) {
    if (token.type === 'html_inline') {
      const effect = inlineTagEffect(token.content);
      if (effect === 'enter-dropped') droppedDepth++;
      else if (effect === 'leave-dropped') droppedDepth = Math.max(0, droppedDepth - 1);
      else if (effect === 'line-break' && droppedDepth === 0) out += '\n';
      continue;
    }
    if (droppedDepth > 0) continue;
    switch (token.type) {
      case 'text':
      case 'text_special':
        out += token.content;
        break;
      case 'code_inline':
        out += codeSpan(token.content, token.markup);
        break;
      case 'softbreak':
      case 'hardbreak':
        out += '\n';
        break;
      case 'image':
        out += inlineText(token.children);
        break;
      default:
        // Formatting and link open/close tokens carry no text: `[text](javascript:…)` keeps just "text".
        break;
    }
  }
  return out;
}

/** Inline code as written: its backtick run around it, padded with a space where the code itself starts or ends with a backtick. */
function codeSpan(code: string, fence: string): string {
  const pad = code.startsWith('`') || code.endsWith('`') ? ' ' : '';
  return `${fence || '`'}${pad}${code}${pad}${fence || '`'}`;
}

/** Collapses runs of spaces, trims each line and drops empty lines; for prose, never for code. */
export function tidyProse(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const tidy = line.replace(/[ \t\u00a0]+/g, ' ').trim();
    if (tidy) lines.push(tidy);
  }
  return lines.join('\n');
}
