// The arena's state with fake models and a fake corpus: both answers stream and are analysed against the
// documents, one missing model leaves the other answering, a new question cancels the old answers, "one at a
// time" runs the answers in turn, Stop keeps the partial text, and the form and last answers survive a reload.
import { describe, expect, test } from 'vitest';
import type { LanguageModelRole } from '../../src/lib/config/models';
import type { ContextParams } from '../../src/lib/core/corpus/reports';
import { NotReadyError } from '../../src/lib/core/errors';
import type { GenerateFn } from '../../src/lib/core/inference/answer';
import type { ContextDocument } from '../../src/lib/core/inference/context';
import type { QAPair } from '../../src/lib/core/questions/types';
import { DEFAULT_TEMPLATE, renderMessages } from '../../src/lib/core/raft/prompt';
import { ARENA_KEY } from '../../src/lib/state/arena-form';
import { ArenaState, type ArenaDeps } from '../../src/lib/state/arena.svelte';
import { MemoryStorage } from '../support/memory-storage';

const ORACLE_TEXT = 'Refunds for monthly plans are available within 14 days of the first payment.';
const doc = (chunkId: string, text: string, role: 'oracle' | 'distractor', rank: number | null): ContextDocument => ({
  chunkId,
  articlePath: `${chunkId}.md`,
  title: chunkId,
  headingPath: [],
  text,
  score: rank === null ? null : 1 / rank,
  rank,
  role,
  injected: rank === null,
});

const PAIR: QAPair = {
  id: 'q_refund',
  question: 'How long is the refund window?',
  answer: 'Within 14 days.',
  oracleChunkIds: ['oracle'],
  split: 'test',
  tags: [],
  origin: 'imported',
  status: 'ok',
  createdAt: 0,
  updatedAt: 0,
};

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A model that streams `reply` word by word, one per tick; aborting stops it with the partial text. */
function scripted(reply: string, log: string[] = [], name = 'model'): GenerateFn {
  return async (_messages, _settings, { signal, onToken } = {}) => {
    log.push(`${name} start`);
    let text = '';
    let tokens = 0;
    for (const piece of reply.split(/(?<= )/)) {
      await tick();
      if (signal?.aborted) break;
      text += piece;
      onToken?.({ text: piece, tokens: ++tokens });
    }
    log.push(`${name} end`);
    return { text, tokens, timeToFirstTokenMs: 1, totalMs: 5, tokensPerSecond: 100, stoppedBy: signal?.aborted ? 'user' : 'eos' };
  };
}

interface Fixture {
  arena: ArenaState;
  retrievals: ContextParams[];
  storage: MemoryStorage;
}

function fixture(options: { models?: Partial<Record<LanguageModelRole, GenerateFn | null>>; oneAtATime?: boolean; pairs?: QAPair[]; storage?: MemoryStorage; log?: string[] } = {}): Fixture {
  const retrievals: ContextParams[] = [];
  const storage = options.storage ?? new MemoryStorage();
  const models = { base: scripted('Not sure. <ANSWER>: 30 days'), tuned: scripted(`##begin_quote##${ORACLE_TEXT}##end_quote## <ANSWER>: 14 days`), ...options.models };
  const deps: ArenaDeps = {
    retrieve: async (params) => {
      retrievals.push(params);
      const known = params.oracleChunkIds.includes('oracle');
      const documents = [doc('annual', 'Annual plans: within 30 days.', 'distractor', 1)];
      if (params.options.oracle !== 'removed') documents.push(doc('oracle', ORACLE_TEXT, known ? 'oracle' : 'distractor', 2));
      return { documents, ranking: documents.map((d) => d.chunkId), rankingArticles: [], mode: params.mode, searchMs: 1, embedMs: 0 };
    },
    listQuestions: async () => options.pairs ?? [PAIR],
    acquire: async (role) => {
      options.log?.push(`acquire ${role}`);
      const generate = models[role];
      if (!generate) throw new NotReadyError(`Load the ${role} model on the Models page first.`);
      return { generate };
    },
    modelLabel: (role) => (models[role] ? `tiny ${role}` : null),
    template: () => DEFAULT_TEMPLATE,
    templateError: () => null,
    oneAtATime: () => options.oneAtATime ?? false,
    storage,
  };
  return { arena: new ArenaState(deps), retrievals, storage };
}

describe('asking both models', () => {
  test('a test question: retrieval gets its oracle, both answers stream and are judged against the documents', async () => {
    const { arena, retrievals } = fixture();
    await arena.refreshQuestions();
    arena.pick(PAIR.id);
    arena.setContext({ k: 3 });
    await arena.ask();
    // The pair's answer goes along, so added distractors that hold it are passed over.
    expect(retrievals).toEqual([{ question: PAIR.question, mode: 'lexical', options: { k: 3, oracle: 'retrieved', extraDistractors: 0 }, oracleChunkIds: ['oracle'], answer: PAIR.answer }]);
    const run = arena.run!;
    expect(run.messages).toEqual(renderMessages(DEFAULT_TEMPLATE, run.documents, PAIR.question));
    const { base, tuned } = run.answers;
    expect([base.status, tuned.status]).toEqual(['done', 'done']);
    expect(base.verdict.line).toBe('no quotes');
    expect(base.analysis.finalAnswer).toBe('30 days');
    expect(tuned.verdict.line).toBe('cited the oracle');
    expect(tuned.analysis.quotes[0].documentIndexes).toEqual([1]);
    expect(tuned.model).toBe('tiny tuned');
    expect(tuned.result?.tokens).toBeGreaterThan(3);
  });

  test('a typed question has no known oracle: the quote is traced to its document without a judgement', async () => {
    const { arena, retrievals } = fixture();
    arena.setQuestion('refunds?');
    await arena.ask();
    expect(retrievals[0].oracleChunkIds).toEqual([]);
    expect(arena.run!.answers.tuned.verdict).toMatchObject({ kind: 'quoted', line: 'quoted document 2' });
  });

  test('with only one model loaded, that side says what to load and the other still answers', async () => {
    const { arena } = fixture({ models: { tuned: null } });
    arena.setQuestion('refunds?');
    await arena.ask();
    expect(arena.run!.answers.base.status).toBe('done');
    expect(arena.run!.answers.tuned).toMatchObject({ status: 'unavailable', error: 'Load the tuned model on the Models page first.' });
  });

  test('a new question cancels the answers in flight: the newest request wins', async () => {
    const log: string[] = [];
    const { arena } = fixture({ models: { base: scripted('a '.repeat(200), log, 'base') }, log });
    arena.setQuestion('first');
    const first = arena.ask();
    await tick();
    await tick();
    const old = arena.run!;
    arena.setQuestion('second');
    const second = arena.ask();
    await Promise.all([first, second]);
    expect(old.answers.base.status).toBe('stopped');
    expect(old.answers.base.text.length).toBeLessThan(20);
    expect(arena.run).not.toBe(old);
    expect(arena.run!.request.question).toBe('second');
    expect(arena.run!.answers.base.status).toBe('done');
    expect(arena.run!.answers.base.text).toBe('a '.repeat(200));
  });

  test('one at a time: the second model is asked for only after the first has answered', async () => {
    const log: string[] = [];
    const { arena } = fixture({ oneAtATime: true, log, models: { base: scripted('one two', log, 'base'), tuned: scripted('three', log, 'tuned') } });
    arena.setQuestion('q');
    await arena.ask();
    expect(log).toEqual(['acquire base', 'base start', 'base end', 'acquire tuned', 'tuned start', 'tuned end']);
  });

  test('side by side otherwise: both stream at once', async () => {
    const log: string[] = [];
    const { arena } = fixture({ log, models: { base: scripted('one two three', log, 'base'), tuned: scripted('four five six', log, 'tuned') } });
    arena.setQuestion('q');
    await arena.ask();
    expect(log.indexOf('tuned start')).toBeLessThan(log.indexOf('base end'));
  });

  test('Stop keeps one answer’s text so far; the other finishes', async () => {
    const { arena } = fixture({ models: { base: scripted('w '.repeat(100)) } });
    arena.setQuestion('q');
    const asked = arena.ask();
    while (!arena.run?.answers.base.text) await tick();
    arena.stop('base');
    await asked;
    const { base, tuned } = arena.run!.answers;
    expect(base.status).toBe('stopped');
    expect(base.text.length).toBeGreaterThan(0);
    expect(base.text.length).toBeLessThan(200);
    expect(base.result?.stoppedBy).toBe('user');
    expect(tuned.status).toBe('done');
  });

  test('Stop both while the second waits for its turn: it never starts', async () => {
    const log: string[] = [];
    const { arena } = fixture({ oneAtATime: true, log, models: { base: scripted('w '.repeat(50), log, 'base'), tuned: scripted('x', log, 'tuned') } });
    arena.setQuestion('q');
    const asked = arena.ask();
    while (!arena.run?.answers.base.text) await tick();
    arena.stopAll();
    await asked;
    expect(arena.run!.answers.tuned.status).toBe('stopped');
    expect(log).not.toContain('tuned start');
  });

  test('distractor stress re-asks the same question with the oracle removed', async () => {
    const { arena, retrievals } = fixture();
    await arena.refreshQuestions();
    arena.pick(PAIR.id);
    await arena.ask();
    await arena.stress({ oracle: 'removed', extraDistractors: 2 });
    expect(retrievals[1]).toMatchObject({ question: PAIR.question, options: { oracle: 'removed', extraDistractors: 2 }, oracleChunkIds: ['oracle'] });
    expect(arena.run!.answers.tuned.verdict.line).toBe('quote not in any document');
  });

  test('a linked pair that was deleted is asked as a free question, with a notice', async () => {
    const { arena } = fixture({ pairs: [] });
    arena.show({ question: PAIR.question, pairId: PAIR.id });
    await arena.ask();
    expect(arena.run!.notice).toContain('no longer in the question set');
    expect(arena.run!.oracleKnown).toBe(false);
    expect(arena.pair).toBeNull();
  });

  test('a broken prompt template is reported instead of asking', async () => {
    const { arena } = fixture();
    (arena as unknown as { deps: ArenaDeps }).deps.templateError = () => 'The user template must contain {question}.';
    arena.setQuestion('q');
    await arena.ask();
    expect(arena.run).toMatchObject({ phase: 'error', error: 'The prompt template on the Dataset page has a problem: The user template must contain {question}.' });
  });
});

describe('opening a question from another stage', () => {
  test('show() fills the form, clamps the context and reads the pair’s reference answer', async () => {
    const { arena } = fixture();
    arena.show({ question: PAIR.question, pairId: PAIR.id, mode: 'hybrid', context: { oracle: 'forced', k: 99 } });
    expect(arena.form).toMatchObject({ question: PAIR.question, mode: 'hybrid', context: { k: 50, oracle: 'forced', extraDistractors: 0 } });
    await tick();
    expect(arena.pair).toEqual({ id: PAIR.id, question: PAIR.question, answer: PAIR.answer });
  });
  test('a free question clears the link; editing the text keeps it, marked as edited', () => {
    const { arena } = fixture();
    arena.show({ question: PAIR.question, pairId: PAIR.id });
    arena.setQuestion(`${PAIR.question} Answer briefly.`);
    expect(arena.edited).toBe(true);
    expect(arena.pair?.id).toBe(PAIR.id);
    arena.show({ question: 'Something else' });
    expect(arena.pair).toBeNull();
  });
});

describe('kept across a reload', () => {
  test('the form and the last answers come back; an answer cut off by the reload says so', async () => {
    const storage = new MemoryStorage();
    const { arena } = fixture({ storage });
    await arena.refreshQuestions();
    arena.pick(PAIR.id);
    arena.setSettings({ maxNewTokens: 64, greedy: false, temperature: 0.3 });
    await arena.ask();
    const reloaded = fixture({ storage }).arena;
    expect(reloaded.form).toEqual(arena.form);
    expect(reloaded.run!.answers.tuned).toMatchObject({ status: 'done', text: arena.run!.answers.tuned.text });
    expect(reloaded.run!.answers.tuned.verdict.line).toBe('cited the oracle');
    expect(reloaded.run!.documents).toEqual(arena.run!.documents);

    const stored = JSON.parse(storage.getItem(ARENA_KEY)!);
    stored.last.answers.base.status = 'running';
    storage.setItem(ARENA_KEY, JSON.stringify(stored));
    expect(fixture({ storage }).arena.run!.answers.base.status).toBe('interrupted');
  });
});
