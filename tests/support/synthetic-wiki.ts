// A deterministic synthetic wiki of realistic markdown (front matter, headings, lists, tables, code,
// wikilinks), sized like a real team wiki; used by the large-corpus tests and the benchmarks.
import { createRng } from '../../src/lib/core/rng';

const TOPICS = ['billing', 'sync', 'api', 'security', 'editor', 'mobile', 'admin', 'export', 'search', 'integrations', 'storage', 'teams'];
const WORDS = (
  'account workspace note folder device client server request response token limit plan invoice refund payment team member owner admin ' +
  'permission share link export import backup restore version history conflict merge upload download attachment image table list heading ' +
  'shortcut command palette search index query filter tag label archive trash delete recover password login session key secret webhook ' +
  'event retry timeout error code status queue worker schedule minute hour day week month year region storage quota usage report audit'
).split(' ');

export interface SyntheticFile {
  path: string;
  text: string;
}

/** `count` articles of about `wordsPerArticle` words each. */
export function syntheticWiki(count = 170, wordsPerArticle = 950, seed = 1): SyntheticFile[] {
  const rng = createRng(seed);
  const rand = () => rng.next();
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const sentence = () => {
    const n = 8 + Math.floor(rand() * 14);
    const words = Array.from({ length: n }, () => pick(WORDS));
    if (rand() < 0.3) words.splice(3, 0, String(Math.floor(rand() * 500)));
    return words.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.';
  };
  const files: SyntheticFile[] = [];
  for (let i = 0; i < count; i++) {
    const topic = TOPICS[i % TOPICS.length];
    const title = `${topic[0].toUpperCase()}${topic.slice(1)} guide ${i + 1}`;
    const parts = [`---\ntitle: ${title}\ntags: [${topic}, guide]\n---\n`, `# ${title}\n`];
    let words = 0;
    let section = 0;
    while (words < wordsPerArticle) {
      parts.push(`## ${pick(WORDS)} ${pick(WORDS)} ${++section}\n`);
      const paragraph = Array.from({ length: 3 + Math.floor(rand() * 4) }, sentence).join(' ');
      parts.push(paragraph + '\n');
      words += paragraph.split(' ').length;
      const extra = rand();
      if (extra < 0.25) parts.push(Array.from({ length: 4 }, () => `- ${sentence()}`).join('\n') + '\n');
      else if (extra < 0.4) parts.push('```json\n' + JSON.stringify({ [pick(WORDS)]: Math.floor(rand() * 100), retry: true }, null, 2) + '\n```\n');
      else if (extra < 0.5) parts.push(`| setting | value |\n| --- | --- |\n| ${pick(WORDS)} | ${Math.floor(rand() * 60)} |\n| ${pick(WORDS)} | ${pick(WORDS)} |\n`);
      else if (extra < 0.6) parts.push(`See [[${pick(TOPICS)}/guide-${1 + Math.floor(rand() * count)}|the ${pick(WORDS)} guide]] for more.\n`);
    }
    files.push({ path: `${topic}/guide-${i + 1}.md`, text: parts.join('\n') });
  }
  return files;
}
