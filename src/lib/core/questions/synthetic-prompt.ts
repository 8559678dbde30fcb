// The prompt that asks a language model for question/answer pairs about one chunk, as JSON.
import type { ChatMessage } from '../generation';

/** `count`: questions wanted per chunk, 1..10. */
export function syntheticQuestionPrompt(chunkText: string, count: number): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        'You write exam questions about documentation. Reply with JSON only: an array of objects with the keys "question" and "answer". Each answer must be a short phrase copied word for word from the document.',
    },
    {
      role: 'user',
      content: `Document:\n"""\n${chunkText}\n"""\n\nWrite ${count} question${count === 1 ? '' : 's'} that this document answers. Reply with a JSON array like [{"question": "...", "answer": "..."}].`,
    },
  ];
}
