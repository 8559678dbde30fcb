// Parses one markdown document into a ParsedArticle: front matter, then markdown-it's block token stream
// walked into plain-text blocks (headings, prose, list items, quotes, code, table rows, HTML).
import MarkdownIt from 'markdown-it';
import type { MarkdownIt as Parser, Token } from 'markdown-it';
import { useExtensions, type ParseEnv } from './extensions';
import { readFrontMatter } from './front-matter';
import { stripHtml } from './html-text';
import { inlineText, tidyProse } from './inline-text';
import type { Block, HeadingDepth, ParsedArticle } from './types';

let parser: Parser | undefined;

function markdown(): Parser {
  if (!parser) {
    parser = new MarkdownIt('default', { html: true, linkify: false, typographer: false });
    // NOTE: nothing is ever rendered to HTML, so every link may parse; otherwise `[text](javascript:…)`
    // would stay as raw bracket syntax instead of reducing to "text".
    parser.validateLink = () => true;
    useExtensions(parser);
  }
  return parser;
}

/**
 * Parses the markdown `text` of the file at `path` (a relative path, kept as given).
 * Never throws on malformed input: problems become `warnings` and the readable rest is kept.
 */
export function parseArticle(path: string, text: string): ParsedArticle {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const front = readFrontMatter(source);
  const warnings: string[] = front.error ? [front.error] : [];
  const env: ParseEnv = { links: [] };
  const blocks = walk(markdown().parse(front.body, env), env);
  if (blocks.length === 0) {
    if (!source.trim()) warnings.push('The file is empty: nothing to chunk');
    else if (front.present && !front.body.trim()) warnings.push('The file has front matter but no content: nothing to chunk');
    else warnings.push('The file has no readable text: nothing to chunk');
  }
  const firstH1 = blocks.find((block) => block.kind === 'heading' && block.depth === 1);
  return {
    path,
    title: front.title ?? firstH1?.text ?? fileStem(path),
    metadata: {
      aliases: front.aliases,
      tags: front.tags,
      ...(front.description === undefined ? {} : { description: front.description }),
      links: [...new Set(env.links)],
      ...(front.error === undefined ? {} : { frontMatterError: front.error }),
    },
    blocks,
    warnings,
  };
}

function fileStem(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  return name.replace(/\.[^.]+$/, '') || name;
}

type Container = { kind: 'quote' } | { kind: 'list'; ordered: boolean } | { kind: 'item'; marker: string; used: boolean };

/** Turns the nested block token stream into flat blocks, in document order. */
function walk(tokens: Token[], env: ParseEnv): Block[] {
  const blocks: Block[] = [];
  const stack: Container[] = [];
  let row: string[] = [];
  let inHead = false;

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    switch (token.type) {
      case 'blockquote_open':
        stack.push({ kind: 'quote' });
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        stack.push({ kind: 'list', ordered: token.type === 'ordered_list_open' });
        break;
      case 'list_item_open':
        stack.push({ kind: 'item', marker: itemMarker(token, stack), used: false });
        break;
      case 'blockquote_close':
      case 'bullet_list_close':
      case 'ordered_list_close':
      case 'list_item_close':
        stack.pop();
        break;
      case 'heading_open': {
        const text = tidyProse(inlineText(tokens[i + 1]?.children ?? null)).replace(/\n/g, ' ');
        if (stack.length === 0) {
          if (text) blocks.push({ kind: 'heading', depth: Number(token.tag.slice(1)) as HeadingDepth, text });
        } else pushInContainer(stack, text, blocks);
        break;
      }
      case 'paragraph_open':
        pushInContainer(stack, inlineText(tokens[i + 1]?.children ?? null), blocks);
        break;
      case 'fence':
      case 'code_block': {
        const code = token.content.replace(/\n$/, '');
        if (code.trim()) blocks.push({ kind: 'code', text: code, lang: token.info.trim().split(/\s+/)[0] ?? '' });
        break;
      }
      case 'html_block': {
        const inner = markdown().parseInline(stripHtml(token.content), env)[0];
        const text = tidyProse(inlineText(inner?.children ?? null));
        if (text) blocks.push({ kind: 'html', text });
        break;
      }
      case 'thead_open':
        inHead = true;
        break;
      case 'thead_close':
        inHead = false;
        break;
      case 'tr_open':
        row = [];
        break;
      case 'th_open':
      case 'td_open':
        row.push(tidyProse(inlineText(tokens[i + 1]?.children ?? null)).replace(/\n/g, ' '));
        break;
      case 'tr_close':
        if (row.some(Boolean)) blocks.push({ kind: 'table-row', text: row.join(' | '), header: inHead });
        break;
      default:
        break;
    }
  }
  return blocks;
}

function itemMarker(token: Token, stack: Container[]): string {
  const lists = stack.filter((c): c is Extract<Container, { kind: 'list' }> => c.kind === 'list');
  const list = lists[lists.length - 1];
  const bullet = list?.ordered ? `${token.info || '1'}${token.markup || '.'}` : '-';
  return `${'  '.repeat(Math.max(0, lists.length - 1))}${bullet} `;
}

/** Emits paragraph text as a list item, a quote or a plain paragraph, after its nearest container. */
function pushInContainer(stack: Container[], raw: string, blocks: Block[]): void {
  const text = tidyProse(raw);
  if (!text) return;
  const nearest = stack[stack.length - 1];
  if (nearest?.kind === 'item') {
    // The marker goes on the item's first paragraph only; its other lines are indented under it.
    const indent = ' '.repeat(nearest.marker.length);
    const prefix = nearest.used ? indent : nearest.marker;
    nearest.used = true;
    blocks.push({ kind: 'list-item', text: prefix + text.replace(/\n/g, `\n${indent}`) });
  } else blocks.push({ kind: nearest?.kind === 'quote' ? 'quote' : 'paragraph', text });
}
