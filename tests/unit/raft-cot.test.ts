// Model-written chain-of-thought: the checks a reply passes (format, quotes in the oracle, answer F1), the
// canonical answer kept, retries with the reasons then the template fallback, and the job (concurrency, resume
// from saved keys, transport retries, abort, the first error rethrown with everything written saved).
import { describe, expect, test } from 'vitest';
import type { Chunk } from '../../src/lib/core/corpus/types';
import type { ChatMessage } from '../../src/lib/core/generation';
import { extractQuotes, parseFinalAnswer } from '../../src/lib/core/raft/answer-format';
import { buildExamples, type BuildCorpus, type RaftPair } from '../../src/lib/core/raft/build';
import {
  applyCot,
  checkCot,
  checkCotPrompt,
  checkCotSettings,
  cotKey,
  cotMessages,
  cotForBuild,
  cotTasks,
  DEFAULT_COT_PROMPT,
  DEFAULT_COT_SETTINGS,
  runCotJob,
  writeCot,
} from '../../src/lib/core/raft/cot';
import type { CotGenerate, CotRecord, CotSettings, CotTask } from '../../src/lib/core/raft/cot-types';
import { DEFAULT_RAFT_PARAMS } from '../../src/lib/core/raft/types';

const ORACLE = 'Refunds\nRefunds are paid within “14 days” of the request. Annual plans are refunded pro rata.';
const TASK: CotTask = {
  key: 'k1',
  exampleId: 'ex1',
  question: 'How long do refunds take?',
  answer: '14 days',
  oracleText: ORACLE,
  quote: 'Refunds are paid within “14 days” of the request.',
  title: 'Billing › Refunds',
};
const TEMPLATE_ANSWER = '##Reason: The document "Billing › Refunds" says ##begin_quote##Refunds are paid within “14 days” of the request.##end_quote## This answers the question directly. <ANSWER>: 14 days';
/** The user prompt under which the echo model (it repeats the last user turn) writes a valid answer. */
const ECHO_PROMPT = { system: '', user: '##Reason: ##begin_quote##{quote}##end_quote## <ANSWER>: {answer}' };

describe('checkCot', () => {
  test('keeps a good reply, made canonical: ##Reason lead, verbatim quote, ends with the final answer', () => {
    const reply = 'The context says ##begin_quote##Refunds are paid within “14 days” of the request.##end_quote##, so two weeks.\n<ANSWER>: 14 days<|im_end|>';
    const check = checkCot(reply, TASK, 0.5);
    expect(check).toEqual({ ok: true, cotAnswer: '##Reason: The context says ##begin_quote##Refunds are paid within “14 days” of the request.##end_quote##, so two weeks. <ANSWER>: 14 days' });
  });

  test('a quote that matches only after normalisation is rewritten to the oracle\'s exact span', () => {
    const reply = '##Reason: ## BEGIN_QUOTE ##refunds are  PAID within "14 days" of the request.## end quote ## <ANSWER>: **14 days**';
    const check = checkCot(reply, TASK, 0.5);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(extractQuotes(check.cotAnswer)).toEqual(['Refunds are paid within “14 days” of the request.']);
    expect(ORACLE).toContain(extractQuotes(check.cotAnswer)[0]);
    expect(check.cotAnswer.endsWith('<ANSWER>: 14 days')).toBe(true);
  });

  test('an unterminated quote is closed; stray markers and earlier answer tags are dropped', () => {
    const reply = '##end_quote## First <ANSWER>: ##begin_quote##Annual plans are refunded pro rata. <ANSWER>: 14 days</ANSWER> trailing';
    const check = checkCot(reply, TASK, 0.5);
    expect(check).toEqual({ ok: true, cotAnswer: '##Reason: First ##begin_quote##Annual plans are refunded pro rata.##end_quote## <ANSWER>: 14 days' });
  });

  test('rejects a quote not in the oracle, with the quote in the reason', () => {
    const check = checkCot('##begin_quote##Refunds take a month.##end_quote## <ANSWER>: 14 days', TASK, 0.5);
    expect(check).toEqual({ ok: false, reasons: ['quote not in the oracle: "Refunds take a month."'] });
  });

  test('a quote from another document is not enough: it must be in the oracle', () => {
    const check = checkCot('##begin_quote##Enterprise plans are billed yearly.##end_quote## <ANSWER>: 14 days', TASK, 0.5);
    expect(check.ok).toBe(false);
  });

  test('rejects a reply that quotes nothing: the quote is what RAFT teaches', () => {
    const check = checkCot('Refunds take 14 days. <ANSWER>: 14 days', TASK, 0.5);
    expect(check).toEqual({ ok: false, reasons: ['quotes nothing from the oracle (no ##begin_quote##…##end_quote##)'] });
  });

  test('rejects a final answer that disagrees with the reference, showing F1 and the threshold', () => {
    const check = checkCot('##begin_quote##Annual plans are refunded pro rata.##end_quote## <ANSWER>: pro rata refunds for annual plans', TASK, 0.5);
    expect(check).toEqual({ ok: false, reasons: ['final answer F1 0.00 < 0.50 ("pro rata refunds for annual plans")'] });
    // The threshold is the user's: 0 keeps it.
    expect(checkCot('##begin_quote##Annual plans are refunded pro rata.##end_quote## <ANSWER>: pro rata', TASK, 0).ok).toBe(true);
    // A partial answer passes a lower threshold only: "14 days or more" vs "14 days" scores 2/3.
    expect(checkCot('##begin_quote##Annual plans##end_quote## <ANSWER>: 14 days or more', TASK, 0.66).ok).toBe(true);
    expect(checkCot('##begin_quote##Annual plans##end_quote## <ANSWER>: 14 days or more', TASK, 0.67).ok).toBe(false);
  });

  test('rejects a reply without <ANSWER>: and an empty reply, listing every problem', () => {
    expect(checkCot('##begin_quote##Annual plans are refunded pro rata.##end_quote## So 14 days.', TASK, 0.5)).toEqual({ ok: false, reasons: ['no <ANSWER>: line'] });
    expect(checkCot('   ', TASK, 0.5)).toEqual({ ok: false, reasons: ['empty reply', 'quotes nothing from the oracle (no ##begin_quote##…##end_quote##)'] });
    const both = checkCot('##begin_quote##Nothing like the oracle at all, a long invented sentence that goes on and on.##end_quote##', TASK, 0.5);
    expect(both).toEqual({ ok: false, reasons: ['no <ANSWER>: line', 'quote not in the oracle: "Nothing like the oracle at all, a long invented sentence th…"'] });
  });

  test('the echo reply to the edited prompt passes; the echo of the default prompt does not', () => {
    const echo = (messages: ChatMessage[]) => messages.at(-1)!.content;
    expect(checkCot(echo(cotMessages(ECHO_PROMPT, TASK)), TASK, 0.5).ok).toBe(true);
    expect(checkCot(echo(cotMessages(DEFAULT_COT_PROMPT, TASK)), TASK, 0.5).ok).toBe(false);
  });
});

describe('prompt and messages', () => {
  test('the default prompt follows gorilla generate_label and also gives the reference answer', () => {
    const [system, user] = cotMessages(DEFAULT_COT_PROMPT, TASK);
    expect(system.role).toBe('system');
    expect(user.content).toContain(`Question: ${TASK.question}\nContext: ${ORACLE}\nReference answer: 14 days`);
    expect(user.content).toMatch(/##begin_quote## and ##end_quote##/);
    expect(user.content).toMatch(/<ANSWER>: \$answer/);
  });

  test('placeholders are filled once: placeholder-like text in the oracle stays', () => {
    const task = { ...TASK, oracleText: 'Use {answer} literally.' };
    expect(cotMessages({ system: '', user: '{context} | {answer} | {title} | {unknown}' }, task)).toEqual([{ role: 'user', content: 'Use {answer} literally. | 14 days | Billing › Refunds | {unknown}' }]);
  });

  test('a retry shows the rejected reply and why it was rejected', () => {
    const messages = cotMessages(ECHO_PROMPT, TASK, { reply: 'no quote here', reasons: ['no <ANSWER>: line', 'quotes nothing'] });
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[1].content).toBe('no quote here');
    expect(messages[2].content).toMatch(/^That answer was rejected: no <ANSWER>: line; quotes nothing\. Write it again/);
  });

  test('edited settings and prompts are checked, with what to do', () => {
    expect(checkCotSettings(DEFAULT_COT_SETTINGS)).toBeNull();
    expect(checkCotSettings({ ...DEFAULT_COT_SETTINGS, minAnswerF1: 1.5 })).toMatch(/from 0 to 1/);
    expect(checkCotSettings({ ...DEFAULT_COT_SETTINGS, attempts: 0 })).toMatch(/from 1 to 5/);
    expect(checkCotSettings({ ...DEFAULT_COT_SETTINGS, generation: { ...DEFAULT_COT_SETTINGS.generation, maxNewTokens: 2.5 } })).toMatch(/New tokens/);
    expect(checkCotPrompt({ system: '', user: '{documents} {question}' })).toBe('Unknown placeholder {documents} in the writer prompt: use {question}, {context}, {answer}, {quote}, {title}.');
    expect(checkCotPrompt({ system: 'x', user: ' ' })).toMatch(/empty/);
    expect(checkCotPrompt(ECHO_PROMPT)).toBeNull();
  });
});

/** A small corpus and pairs; P = 0.5 so some examples leave their oracle out. */
function fixture() {
  const chunks: Chunk[] = Array.from({ length: 12 }, (_, i) => ({
    id: `c${String(i).padStart(2, '0')}`,
    articlePath: `a${i % 4}.md`,
    headingPath: [`Article ${i % 4}`, `Part ${i}`],
    text: `Part ${i}\nThe limit of item ${i} is ${i * 3 + 1} units per day. Nothing else.`,
    tokenCount: 16,
    contentHash: `h${i}`,
    index: i,
  }));
  const byId = new Map(chunks.map((c) => [c.id, c]));
  const corpus: BuildCorpus = {
    chunk: (id) => byId.get(id),
    articleTitle: (path) => `Title ${path}`,
    chunkIdsOfArticle: (path) => chunks.filter((c) => c.articlePath === path).map((c) => c.id),
    allChunkIds: chunks.map((c) => c.id),
  };
  const pairs: RaftPair[] = chunks.map((c, i) => ({ id: `p${i}`, question: `What is the limit of item ${i}?`, answer: `${i * 3 + 1} units`, oracleChunkIds: [c.id], split: 'train' }));
  const examples = buildExamples(pairs, corpus, () => ({ ranked: [] }), { ...DEFAULT_RAFT_PARAMS, distractors: 2, pOracle: 0.5, seed: 3 });
  return { examples, text: (id: string) => byId.get(id)?.text ?? '' };
}

const settings = (over: Partial<CotSettings> = {}): CotSettings => ({ ...DEFAULT_COT_SETTINGS, prompt: ECHO_PROMPT, ...over });
const echoGenerate: CotGenerate = async (messages) => messages.at(-1)!.content;

describe('tasks, keys and applying records', () => {
  const { examples, text } = fixture();
  const tasks = cotTasks(examples, text, settings(), 'echo');

  test('one task per example that keeps its oracle, quoting what the template quotes', () => {
    const withOracle = examples.filter((e) => e.oraclePresent);
    expect(withOracle.length).toBeGreaterThan(0);
    expect(withOracle.length).toBeLessThan(examples.length);
    expect(tasks.map((t) => t.exampleId)).toEqual(withOracle.map((e) => e.id));
    for (const task of tasks) {
      const example = examples.find((e) => e.id === task.exampleId)!;
      expect(task.quote).toBe(example.quotes[0].text);
      expect(task.oracleText).toBe(text(example.oracleChunkIds[0]));
      expect(task.title).toMatch(/^Title a\d\.md › Part \d+$/);
    }
  });

  test('keys are stable, and change with the question, the oracle, the prompt, the settings or the writer model', () => {
    const [task] = tasks;
    const base = cotKey(task, settings(), 'echo');
    expect(base).toBe(task.key);
    expect(cotTasks(examples, text, settings(), 'echo')[0].key).toBe(base);
    expect(new Set(tasks.map((t) => t.key)).size).toBe(tasks.length);
    for (const changed of [
      cotKey({ ...task, question: task.question + '?' }, settings(), 'echo'),
      cotKey({ ...task, oracleText: task.oracleText + ' ' }, settings(), 'echo'),
      cotKey(task, settings({ prompt: { ...ECHO_PROMPT, system: 'x' } }), 'echo'),
      cotKey(task, settings({ minAnswerF1: 0.6 }), 'echo'),
      cotKey(task, settings({ generation: { ...DEFAULT_COT_SETTINGS.generation, maxNewTokens: 100 } }), 'echo'),
      cotKey(task, settings(), 'llama'),
    ]) expect(changed).not.toBe(base);
  });

  test('applying records replaces the answer, its quotes and the cot marks; other examples stay as built', () => {
    const [first, second] = tasks;
    const records = new Map<string, CotRecord>([
      [first.key, { key: first.key, origin: 'model', cotAnswer: `##Reason: It says ##begin_quote##${first.quote}##end_quote## <ANSWER>: ${first.answer}`, attempts: 2, rejections: ['no <ANSWER>: line'], model: 'echo' }],
      [second.key, { key: second.key, origin: 'fallback', cotAnswer: 'template text <ANSWER>: x', attempts: 3, rejections: ['a', 'b', 'c'], model: 'echo' }],
    ]);
    const applied = applyCot(examples, tasks, records);
    const one = applied.find((e) => e.id === first.exampleId)!;
    expect(one.cotAnswer).toMatch(/^##Reason: It says/);
    expect(one.cot).toEqual({ origin: 'model', model: 'echo', attempts: 2 });
    expect(one.quotes).toEqual([{ text: first.quote, documentIndex: one.oraclePositions[0] }]);
    expect(one.problems).toEqual([]);
    const two = applied.find((e) => e.id === second.exampleId)!;
    expect(two.cot).toEqual({ origin: 'fallback', model: 'echo', attempts: 3, rejections: ['a', 'b', 'c'] });
    expect(two.cotAnswer).toBe('template text <ANSWER>: x');
    const untouched = applied.filter((e) => e.id !== first.exampleId && e.id !== second.exampleId);
    expect(untouched).toEqual(examples.filter((e) => e.id !== first.exampleId && e.id !== second.exampleId));
    // A record whose key no longer matches (the prompt changed) is not applied.
    expect(applyCot(examples, cotTasks(examples, text, settings({ attempts: 2 }), 'echo'), records)).toEqual(examples);
  });

  test('a build with a model writer gets the tasks and their template answers; the template changes nothing', () => {
    expect(cotForBuild(examples, { source: 'template', model: null, settings: null }, text)).toEqual({ examples, tasks: [], templateAnswers: {} });
    const first = cotForBuild(examples, { source: 'endpoint', model: 'echo', settings: settings(), records: [] }, text);
    expect(first.examples).toBe(examples);
    expect(first.tasks).toEqual(tasks);
    for (const task of tasks) expect(first.templateAnswers[task.key]).toBe(examples.find((e) => e.id === task.exampleId)!.cotAnswer);
    const record: CotRecord = { key: tasks[0].key, origin: 'model', cotAnswer: `##Reason: ##begin_quote##${tasks[0].quote}##end_quote## <ANSWER>: ${tasks[0].answer}`, attempts: 1, rejections: [], model: 'echo' };
    const second = cotForBuild(examples, { source: 'endpoint', model: 'echo', settings: settings(), records: [record] }, text);
    expect(second.examples.find((e) => e.id === tasks[0].exampleId)!.cotAnswer).toBe(record.cotAnswer);
    // The fallback text stays the template's, whatever was applied.
    expect(second.templateAnswers).toEqual(first.templateAnswers);
  });
});

describe('writeCot', () => {
  test('the echo model with the edited prompt writes a valid answer at the first attempt', async () => {
    const record = await writeCot({ ...TASK }, TEMPLATE_ANSWER, echoGenerate, settings(), 'echo');
    expect(record).toMatchObject({ key: 'k1', origin: 'model', attempts: 1, rejections: [], model: 'echo' });
    expect(parseFinalAnswer(record.cotAnswer)).toBe('14 days');
  });

  test('the echo model with the default prompt is rejected, retried with the reasons, and falls back', async () => {
    const asked: ChatMessage[][] = [];
    const generate: CotGenerate = async (messages) => (asked.push(messages), messages.at(-1)!.content);
    const record = await writeCot(TASK, TEMPLATE_ANSWER, generate, { ...DEFAULT_COT_SETTINGS }, 'echo');
    expect(record.origin).toBe('fallback');
    expect(record.cotAnswer).toBe(TEMPLATE_ANSWER);
    expect(record.attempts).toBe(3);
    expect(record.rejections).toHaveLength(3);
    expect(asked.map((m) => m.length)).toEqual([2, 4, 4]);
    // Each retry carries the last reply and its rejection reasons.
    expect(asked[1][2].content).toBe(asked[0][1].content);
    expect(asked[1][3].content).toContain(record.rejections[0]);
    expect(asked[2][3].content).toContain(record.rejections[1]);
  });

  test('a reply accepted on the second attempt counts two attempts and keeps the first rejection', async () => {
    const replies = ['no quote <ANSWER>: 14 days', '##begin_quote##Refunds are paid within “14 days”##end_quote## <ANSWER>: 14 days'];
    const record = await writeCot(TASK, TEMPLATE_ANSWER, async () => replies.shift()!, settings(), 'm');
    expect(record).toMatchObject({ origin: 'model', attempts: 2, rejections: ['quotes nothing from the oracle (no ##begin_quote##…##end_quote##)'] });
  });

  test('a generate() that throws is not a rejection: the error propagates', async () => {
    const failing: CotGenerate = async () => {
      throw new Error('HTTP 500');
    };
    await expect(writeCot(TASK, TEMPLATE_ANSWER, failing, settings(), 'm')).rejects.toThrow('HTTP 500');
  });
});

describe('runCotJob', () => {
  const { examples, text } = fixture();
  const tasks = cotTasks(examples, text, settings(), 'echo');
  const templateAnswers = new Map(tasks.map((t) => [t.key, examples.find((e) => e.id === t.exampleId)!.cotAnswer]));
  const base = { tasks, templateAnswers, settings: settings(), model: 'echo', retryDelayMs: () => 0 };

  test('writes every task with bounded concurrency, saving each record and reporting progress', async () => {
    let inFlight = 0;
    let most = 0;
    const generate: CotGenerate = async (messages) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      return messages.at(-1)!.content;
    };
    const saved: CotRecord[] = [];
    const progress: number[] = [];
    const result = await runCotJob({ ...base, generate, concurrency: 3, done: new Set(), save: async (r) => void saved.push(r), onProgress: (p) => progress.push(p.done) });
    expect(result).toEqual({ written: tasks.length, fellBack: 0, stopped: false });
    expect(most).toBe(3);
    expect(saved.map((r) => r.key).sort()).toEqual(tasks.map((t) => t.key).sort());
    expect(progress).toEqual(tasks.map((_, i) => i + 1));
  });

  test('skips keys already done: a rerun asks only the rest', async () => {
    const done = new Set(tasks.slice(0, 2).map((t) => t.key));
    const asked: string[] = [];
    const generate: CotGenerate = async (messages) => (asked.push(messages.at(-1)!.content), messages.at(-1)!.content);
    const progress: { done: number; total: number }[] = [];
    await runCotJob({ ...base, generate, concurrency: 2, done, save: async () => {}, onProgress: (p) => progress.push(p) });
    expect(asked).toHaveLength(tasks.length - 2);
    expect(progress[0]).toMatchObject({ done: 3, total: tasks.length });
  });

  test('a transport error is retried; a lasting one stops the job after in-flight tasks settle, keeping what was saved', async () => {
    let calls = 0;
    const flaky: CotGenerate = async (messages) => {
      if (++calls === 1) throw new Error('socket hang up');
      return messages.at(-1)!.content;
    };
    const retried: number[] = [];
    const saved: CotRecord[] = [];
    const ok = await runCotJob({ ...base, generate: flaky, concurrency: 1, done: new Set(), save: async (r) => void saved.push(r), onRetry: ({ retry }) => retried.push(retry) });
    expect(ok.written).toBe(tasks.length);
    expect(retried).toEqual([1]);

    // The server dies after three replies: three records are saved, then the error comes back.
    let answered = 0;
    const dying: CotGenerate = async (messages) => {
      if (answered >= 3) throw new Error('ECONNREFUSED');
      answered++;
      return messages.at(-1)!.content;
    };
    const kept: CotRecord[] = [];
    let attempts = 0;
    await expect(runCotJob({ ...base, generate: dying, concurrency: 1, done: new Set(), save: async (r) => void kept.push(r), onRetry: () => attempts++ })).rejects.toThrow('ECONNREFUSED');
    expect(kept).toHaveLength(3);
    expect(attempts).toBe(2);
  });

  test('an error that no retry can fix (e.g. a refused key) stops the job at once', async () => {
    let calls = 0;
    const refused: CotGenerate = async () => {
      calls++;
      throw Object.assign(new Error('HTTP 401: check the API key'), { fatal: true });
    };
    const job = runCotJob({ ...base, generate: refused, concurrency: 1, done: new Set(), save: async () => {}, retryable: (e) => !(e as { fatal?: boolean }).fatal });
    await expect(job).rejects.toThrow('check the API key');
    expect(calls).toBe(1);
  });

  test('abort stops the job: it resolves as stopped, and what was saved stays', async () => {
    const controller = new AbortController();
    const saved: CotRecord[] = [];
    const generate: CotGenerate = async (messages, signal) => {
      if (saved.length === 2) controller.abort();
      signal?.throwIfAborted();
      return messages.at(-1)!.content;
    };
    const result = await runCotJob({ ...base, generate, concurrency: 1, done: new Set(), save: async (r) => void saved.push(r), signal: controller.signal });
    expect(result).toEqual({ written: 2, fellBack: 0, stopped: true });
    expect(saved).toHaveLength(2);
  });

  test('counts fallbacks apart from written answers', async () => {
    const result = await runCotJob({ ...base, settings: { ...DEFAULT_COT_SETTINGS, attempts: 1 }, generate: echoGenerate, concurrency: 4, done: new Set(), save: async () => {} });
    // The keys were made for the echo prompt; the default prompt's echo is rejected, so every task falls back.
    expect(result).toEqual({ written: 0, fellBack: tasks.length, stopped: false });
  });
});
