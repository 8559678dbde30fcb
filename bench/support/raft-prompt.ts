// A RAFT prompt of about `target` tokens, as the arena sends one: the app's default template, documents
// cut from the sample wiki until the chat-formatted prompt reaches the size, counted with the model's
// own tokenizer (loaded here in Node with transformers.js).
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import type { ChatMessage } from '../../src/lib/core/generation';
import { DEFAULT_TEMPLATE, renderMessages, type PromptDocument } from '../../src/lib/core/raft/prompt';

const QUESTION = 'How many days does a customer have to ask for a refund, and who approves it?';

async function markdown(dir: string, base = dir): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await markdown(path, base)));
    else if (entry.name.endsWith('.md')) out.push({ path: relative(base, path), text: await readFile(path, 'utf8') });
  }
  return out;
}

/** The first `count` articles of the sample wiki (path relative to it, markdown text). */
export async function sampleArticles(root: string, count: number): Promise<{ path: string; text: string }[]> {
  return (await markdown(join(root, 'public/sample-wiki'))).slice(0, count);
}

export async function raftPrompt(root: string, modelFolder: string, target = 1000): Promise<{ messages: ChatMessage[]; tokens: number }> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(modelFolder) + '/';
  const tokenizer = await AutoTokenizer.from_pretrained(basename(modelFolder));
  const count = (messages: ChatMessage[]) =>
    tokenizer.encode(tokenizer.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true }) as string, { add_special_tokens: false }).length;
  // Paragraphs of ~40+ words, as retrieved chunks read.
  const paragraphs = (await markdown(join(root, 'public/sample-wiki')))
    .flatMap(({ text }) => text.replace(/^---[\s\S]*?---/, '').split(/\n\s*\n/))
    .map((p) => p.replace(/^#+ .*$/gm, '').trim())
    .filter((p) => p.split(/\s+/).length >= 40);
  const documents: PromptDocument[] = [];
  let messages = renderMessages(DEFAULT_TEMPLATE, documents, QUESTION);
  for (const text of paragraphs) {
    const words = text.split(/\s+/);
    // Add the paragraph, then trim its words until the prompt is within the target.
    documents.push({ text, title: '', headingPath: [] });
    let tokens = count((messages = renderMessages(DEFAULT_TEMPLATE, documents, QUESTION)));
    if (tokens < target) continue;
    let keep = words.length;
    while (tokens > target && keep > 1) {
      keep = Math.max(1, Math.floor(keep * 0.9));
      documents[documents.length - 1] = { text: words.slice(0, keep).join(' '), title: '', headingPath: [] };
      tokens = count((messages = renderMessages(DEFAULT_TEMPLATE, documents, QUESTION)));
    }
    return { messages, tokens };
  }
  return { messages, tokens: count(messages) };
}
