// Questions: question/answer pairs tied to oracle chunks: import, resolution, extraction from model output,
// grounding of answers in their chunk, and the train/test split.
export { createArticleMatcher, type ArticleMatch, type ArticleRef } from './article-match';
export { extractQAPairs, type ExtractedPair, type ExtractResult, type RejectedPiece } from './extract-json';
export { groundAnswer, MIN_GROUNDING_WORDS, type Grounding } from './grounding';
export { detectFormat, parseImport, type ImportFormat, type ImportParseResult, type LineError } from './import-parse';
export { FUZZY_THRESHOLD, locateQuote, type QuestionChunk, type QuoteLevel, type QuoteMatch } from './locate-quote';
export { mergePairs, type MergeResult } from './merge';
export { createResolver, findOrphans, resolveRows, type MatchLevel, type Outcome, type QuestionCorpus, type Resolution, type ResolveOptions } from './resolve';
export { assignSplit, splitCounts, type SplitOptions } from './split';
export { syntheticQuestionPrompt } from './synthetic-prompt';
export { oracleKey, pairId, type OracleRef, type PairOrigin, type PairSplit, type PairStatus, type QAPair, type RawQuestionRow } from './types';
