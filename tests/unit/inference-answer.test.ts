// One answer at test time: the training template is used, the reply is analysed against the documents.
import { expect, test } from 'vitest';
import { answerQuestion } from '../../src/lib/core/inference/answer';
import type { ContextDocument } from '../../src/lib/core/inference/context';
import type { ChatMessage } from '../../src/lib/core/generation';
import { DEFAULT_TEMPLATE } from '../../src/lib/core/raft/prompt';

const doc = (chunkId: string, text: string, role: 'oracle' | 'distractor'): ContextDocument => ({
  chunkId,
  articlePath: `${chunkId}.md`,
  title: chunkId,
  headingPath: [],
  text,
  score: null,
  rank: null,
  role,
  injected: false,
});

test('the model gets the training prompt; quotes are traced to the oracle or a distractor', async () => {
  const documents = [doc('d', 'Annual plans renew every year.', 'distractor'), doc('o', 'Refunds are possible within 14 days.', 'oracle')];
  let seen: ChatMessage[] = [];
  const reply = '##Reason: ##begin_quote##Refunds are possible within 14 days.##end_quote## <ANSWER>: 14 days';
  const answer = await answerQuestion(
    async (messages) => {
      seen = messages;
      return { text: reply, tokens: 20, timeToFirstTokenMs: 1, totalMs: 2, tokensPerSecond: 10, stoppedBy: 'eos' };
    },
    { question: 'How long is the refund window?', documents, template: DEFAULT_TEMPLATE, settings: { maxNewTokens: 32, greedy: true, temperature: 0, topP: 1 } },
  );
  expect(seen[0]).toEqual({ role: 'system', content: DEFAULT_TEMPLATE.system });
  expect(seen[1].content).toBe('<DOCUMENT>Annual plans renew every year.</DOCUMENT>\n<DOCUMENT>Refunds are possible within 14 days.</DOCUMENT>\nHow long is the refund window?');
  expect(answer.analysis).toMatchObject({ finalAnswer: '14 days', citedOracle: true, distracted: false, quoteFidelity: 1 });
  expect(answer.analysis.quotes[0].documentIndexes).toEqual([1]);
});
