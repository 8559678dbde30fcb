import { describe, expect, test } from 'vitest';
import { decodeText, parseArticle, type Block } from '../../src/lib/core/markdown';

const texts = (blocks: Block[]) => blocks.map((block) => block.text);
const parse = (markdown: string, path = 'notes/page.md') => parseArticle(path, markdown);

describe('parseArticle: front matter and titles', () => {
  test('reads title, tags, aliases and description from YAML front matter', () => {
    const article = parse('---\ntitle: Refund policy\ntags: [billing, "#refunds"]\naliases: Refunds, Money back\ndescription: How refunds work\n---\nBody text.\n');
    expect(article.title).toBe('Refund policy');
    expect(article.metadata).toMatchObject({ tags: ['billing', 'refunds'], aliases: ['Refunds', 'Money back'], description: 'How refunds work' });
    expect(texts(article.blocks)).toEqual(['Body text.']);
    expect(article.warnings).toEqual([]);
  });

  test('invalid YAML keeps the body, drops the metadata and says on which line', () => {
    const article = parse('---\ntitle: ok\ntags: [unclosed\n---\n# Heading\n\nStill here.\n');
    expect(article.warnings).toEqual([expect.stringMatching(/^Front matter is not valid YAML \(line \d+\): kept the text, ignored the metadata$/)]);
    expect(article.metadata.frontMatterError).toBe(article.warnings[0]);
    expect(article.metadata.tags).toEqual([]);
    expect(article.title).toBe('Heading');
    expect(texts(article.blocks)).toEqual(['Heading', 'Still here.']);
  });

  test('a file with only front matter has no blocks and says so', () => {
    const article = parse('---\ntitle: Draft\n---\n');
    expect(article.blocks).toEqual([]);
    expect(article.title).toBe('Draft');
    expect(article.warnings).toEqual(['The file has front matter but no content: nothing to chunk']);
  });

  test('an empty file has no blocks and says so; its title is the file name', () => {
    const article = parse('', 'billing/refund-policy.md');
    expect(article).toMatchObject({ path: 'billing/refund-policy.md', title: 'refund-policy', blocks: [] });
    expect(article.warnings).toEqual(['The file is empty: nothing to chunk']);
  });

  test('the first "# " heading is the title when front matter has none; CRLF and a BOM are tolerated', () => {
    const article = parse('\uFEFFIntro\r\n\r\n## Later\r\n\r\n# Main title\r\n');
    expect(article.title).toBe('Main title');
    expect(article.blocks).toEqual([
      { kind: 'paragraph', text: 'Intro' },
      { kind: 'heading', depth: 2, text: 'Later' },
      { kind: 'heading', depth: 1, text: 'Main title' },
    ]);
  });

  test('a "---" never closed is read as text, with a warning', () => {
    const article = parse('---\ntitle: x\n\nSome text.\n');
    expect(article.warnings[0]).toMatch(/never closed/);
    expect(texts(article.blocks)).toContain('Some text.');
  });
});

describe('parseArticle: real-world markdown comes through readable', () => {
  const cases: [string, string, string[]][] = [
    ['wikilink with label', 'See [[Billing FAQ|the FAQ]] first.', ['See the FAQ first.']],
    ['wikilink without label', 'See [[Billing FAQ]].', ['See Billing FAQ.']],
    ['wikilink to a heading', 'See [[Plans#Pro tier]].', ['See Plans > Pro tier.']],
    ['Obsidian embed', 'Diagram: ![[flow.png]] above.', ['Diagram: above.']],
    ['callout with title', '> [!warning] Be careful\n> Refunds take 5 days.', ['Be careful\nRefunds take 5 days.']],
    ['callout without title', '> [!tip]-\n> Ask support.', ['Tip\nAsk support.']],
    ['Hugo shortcodes', '{{< note >}}\nInner **note** {{% ref "x" %}} text.\n{{< /note >}}', ['Inner note text.']],
    ['inline formatting', 'Use **bold**, _em_, `code` and [a link](https://x.org).', ['Use bold, em, `code` and a link.']],
    ['inline code keeps its backticks', 'Run ``git log `--oneline` `` or `npm  install`.', ['Run ``git log `--oneline` `` or `npm install`.']],
    ['javascript: link', 'Click [here](javascript:alert(1)) now.', ['Click here now.']],
    ['image', 'Look: ![a refund form](form.png).', ['Look: a refund form.']],
    ['inline HTML with script', 'A <b>bold</b> word<script>alert(1)</script> &amp; more.', ['A bold word & more.']],
    ['HTML block with script and style', '<div class="x">\nHello <em>there</em>\n<script>\nsteal()\n</script><style>p{}</style>\n</div>', ['Hello there']],
    ['HTML comment', '<!-- hidden -->\n\nShown.', ['Shown.']],
  ];
  test.each(cases)('%s', (_, markdown, expected) => {
    expect(texts(parse(markdown).blocks)).toEqual(expected);
  });

  test('wikilink targets are recorded once each, embeds are not', () => {
    expect(parse('[[A]] [[B|b]] [[A#x]] ![[img.png]]').metadata.links).toEqual(['A', 'B']);
  });

  test('tables become one block per row, cells joined with " | ", header flagged', () => {
    const article = parse('| Plan | Price |\n|------|-------|\n| **Pro** | $10 |\n| Team | $20 |\n');
    expect(article.blocks).toEqual([
      { kind: 'table-row', text: 'Plan | Price', header: true },
      { kind: 'table-row', text: 'Pro | $10', header: false },
      { kind: 'table-row', text: 'Team | $20', header: false },
    ]);
  });

  test('fenced code inside a list stays verbatim, with its language, apart from the list text', () => {
    const markdown = '1. Install:\n   ```bash\n   npm i x  # *not* emphasis\n   ```\n2. Run it\n   - nested item\n';
    expect(parse(markdown).blocks).toEqual([
      { kind: 'list-item', text: '1. Install:' },
      { kind: 'code', text: 'npm i x  # *not* emphasis', lang: 'bash' },
      { kind: 'list-item', text: '2. Run it' },
      { kind: 'list-item', text: '  - nested item' },
    ]);
  });

  test('a fence holding ``` lines is kept whole', () => {
    const article = parse('````md\n```js\nx()\n```\n````\n');
    expect(article.blocks).toEqual([{ kind: 'code', text: '```js\nx()\n```', lang: 'md' }]);
  });

  test('quotes and headings keep their kinds and depths', () => {
    expect(parse('# One\n\n### Three\n\n> quoted\n').blocks).toEqual([
      { kind: 'heading', depth: 1, text: 'One' },
      { kind: 'heading', depth: 3, text: 'Three' },
      { kind: 'quote', text: 'quoted' },
    ]);
  });
});

describe('decodeText', () => {
  const utf8 = (text: string) => new TextEncoder().encode(text);

  test('decodes UTF-8 and strips a BOM', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('# Café')]))).toEqual({ text: '# Café' });
  });
  test('decodes UTF-16 with a BOM', () => {
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]))).toEqual({ text: 'hi' });
  });
  test('rejects invalid UTF-8 and says which line', () => {
    const result = decodeText(new Uint8Array([...utf8('ok\nline two '), 0xc3, 0x28]));
    expect(result).toEqual({ error: 'This file is not valid UTF-8 text (first bad byte on line 2): re-save it as UTF-8 and add it again' });
  });
  test('rejects binary files: NUL bytes or many control characters', () => {
    expect(decodeText(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))).toEqual({ error: expect.stringMatching(/binary file \(it contains NUL bytes\)/) });
    expect(decodeText(new Uint8Array(Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41))))).toEqual({
      error: expect.stringMatching(/binary file \(it is full of control characters\)/),
    });
  });
  test('an empty file decodes to empty text', () => {
    expect(decodeText(new Uint8Array())).toEqual({ text: '' });
  });
});
