// The arena form as stored: defaults for anything missing or invalid, ranges enforced, a corrupt entry ignored.
import { expect, test } from 'vitest';
import { DEFAULT_FORM, mergeContext, mergeSettings, parseArena } from '../../src/lib/state/arena-form';

test('nothing stored, or a corrupt entry, gives the defaults', () => {
  expect(parseArena(null)).toEqual({ form: DEFAULT_FORM, last: null });
  expect(parseArena('{not json')).toEqual({ form: DEFAULT_FORM, last: null });
  expect(parseArena('[1,2]')).toEqual({ form: DEFAULT_FORM, last: null });
});

test('invalid fields fall back one by one; numbers are clamped to their ranges', () => {
  const raw = JSON.stringify({
    form: { question: 'Q?', pair: { id: '' }, mode: 'fuzzy', context: { k: 500, oracle: 'sometimes', extraDistractors: -3 }, settings: { maxNewTokens: 1e9, temperature: 'hot', topP: 0, greedy: 'yes' } },
  });
  expect(parseArena(raw).form).toEqual({
    question: 'Q?',
    pair: null,
    mode: 'lexical',
    context: { k: 50, oracle: 'retrieved', extraDistractors: 0 },
    settings: { maxNewTokens: 4096, temperature: DEFAULT_FORM.settings.temperature, topP: 0.01, greedy: DEFAULT_FORM.settings.greedy },
  });
});

test('a stored run with a malformed document or template is dropped, not half-shown', () => {
  const run = { question: 'q', template: { system: '', document: '{text}', user: '{documents}{question}' }, documents: [{ chunkId: 'a', text: 't', role: 'oracle' }], answers: {} };
  expect(parseArena(JSON.stringify({ last: run })).last?.documents[0]).toMatchObject({ chunkId: 'a', role: 'oracle', headingPath: [], rank: null });
  expect(parseArena(JSON.stringify({ last: { ...run, documents: [{ chunkId: 'a' }] } })).last).toBeNull();
  expect(parseArena(JSON.stringify({ last: { ...run, template: null } })).last).toBeNull();
  expect(parseArena(JSON.stringify({ last: run })).last?.answers.base).toEqual({ status: 'idle', text: '', result: null, error: '', model: null });
});

test('merging keeps the old value for an invalid number and rounds counts', () => {
  expect(mergeContext({ k: 5, oracle: 'forced', extraDistractors: 1 }, { k: Number.NaN, extraDistractors: 2.6 })).toEqual({ k: 5, oracle: 'forced', extraDistractors: 3 });
  expect(mergeSettings(DEFAULT_FORM.settings, { temperature: 1.25, maxNewTokens: 0 })).toMatchObject({ temperature: 1.25, maxNewTokens: 1 });
});
