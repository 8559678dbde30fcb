// Markdown ingestion: bytes → text → ParsedArticle (plain-text blocks plus metadata and warnings).
export { decodeText } from './decode';
export { parseArticle } from './parse';
export type { ArticleMetadata, Block, BlockKind, HeadingDepth, ParsedArticle, ProseKind } from './types';
