// One answer at test time: the documents rendered with the training prompt template, the model's
// reply, and what the reply did with the documents. The arena (one question, two models) and the
// evaluation (every test question, several models, in the app and the CLI) both answer through here.
import type { ChatMessage, GenerationResult, GenerationSettings } from '../generation';
import { analyseAnswer, type AnswerAnalysis } from '../metrics/citations';
import { neutraliseMarkers } from '../raft/answer-format';
import { renderMessages, type PromptTemplate } from '../raft/prompt';
import type { ContextDocument } from './context';

/** The part of a language model (worker client, in-process, or remote) an answer needs. */
export type GenerateFn = (
  messages: ChatMessage[],
  settings: GenerationSettings,
  hooks: { signal?: AbortSignal; onToken?: (t: { text: string; tokens: number }) => void },
) => Promise<GenerationResult>;

export interface AnswerRequest {
  question: string;
  documents: ContextDocument[];
  template: PromptTemplate;
  settings: GenerationSettings;
  signal?: AbortSignal;
  onToken?: (t: { text: string; tokens: number }) => void;
}

export interface Answer {
  messages: ChatMessage[];
  result: GenerationResult;
  analysis: AnswerAnalysis;
}

/** The chat a model is given for a question and its documents: exactly the training layout. */
export function answerMessages(template: PromptTemplate, documents: ContextDocument[], question: string): ChatMessage[] {
  return renderMessages(template, documents, question);
}

/** What the reply did with the documents as the prompt showed them (marker text neutralised, as quotes copy it). */
export function analyseReply(text: string, documents: ContextDocument[]): AnswerAnalysis {
  return analyseAnswer(
    text,
    documents.map((d) => neutraliseMarkers(d.text)),
    documents.map((d) => d.role === 'oracle'),
    documents.map((d) => !!d.answerBearing),
  );
}

export async function answerQuestion(generate: GenerateFn, request: AnswerRequest): Promise<Answer> {
  const messages = answerMessages(request.template, request.documents, request.question);
  const result = await generate(messages, request.settings, { signal: request.signal, onToken: request.onToken });
  return { messages, result, analysis: analyseReply(result.text, request.documents) };
}
