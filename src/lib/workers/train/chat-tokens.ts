// Training chats as token ids, with the model folder's own chat template, split into prompt and answer exactly as
// TRL's SFTTrainer does for prompt-completion data: the prompt is the chat without its last (assistant) message
// rendered with the generation prompt; the answer is what the whole chat adds after it.
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import type { ChatMessage } from '../../core/generation';
import { tokenizedExample, type TokenizedExample } from '../../core/train/batches';


function templateIds(tokenizer: PreTrainedTokenizer, messages: ChatMessage[], addGenerationPrompt: boolean): number[] {
  const ids = tokenizer.apply_chat_template(messages, { tokenize: true, add_generation_prompt: addGenerationPrompt, return_tensor: false, return_dict: false });
  return Array.from(ids as unknown as ArrayLike<number>, Number);
}

/** One chat export row ({messages: [system, user, assistant]}) as a training example of at most `maxLength` tokens. */
export function tokenizeChat(tokenizer: PreTrainedTokenizer, messages: ChatMessage[], maxLength: number): TokenizedExample {
  if (messages.at(-1)?.role !== 'assistant') throw new Error('each training chat must end with the assistant\'s answer: export the dataset in chat format');
  return tokenizedExample(templateIds(tokenizer, messages.slice(0, -1), true), templateIds(tokenizer, messages, false), maxLength);
}
