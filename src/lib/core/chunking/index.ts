// Chunking: ParsedArticle → heading-aware, token-bounded chunks with stable ids.
export { chunkArticle } from './chunk';
export { approximateTokenCount } from './tokens';
export { CHUNKER_VERSION, DEFAULT_CHUNK_OPTIONS, formatHeadingPath, resolveChunkOptions } from './types';
export type { Chunk, ChunkOptions, CountTokens } from './types';
export { countsAddUpOverWords, exactTokenCounter, wordCachedCounter, type TokenizerDescription } from './word-counter';
