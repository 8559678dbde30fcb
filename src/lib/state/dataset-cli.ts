// The command lines that build the same dataset as the Dataset page's recipe (`npm run raft -- build`): with the
// recipe as flags, and from the exported manifest.json.
import { exportFileName } from '../core/formats/dataset-files';
import type { ExportFormat } from '../core/formats/raft-formats';
import type { CotSource } from '../core/raft/cot-types';
import { DEFAULT_RAFT_PARAMS, type RaftParams } from '../core/raft/types';

/**
 * `npm run raft -- build …` with the recipe's values; folder and file names are placeholders to fill in.
 * An edited template is read back from the downloaded manifest (`raft-<format>-manifest.json`).
 */
export function cliCommand(params: RaftParams, format: ExportFormat, templateEdited = false): string {
  const flags = [
    '--docs <folder>',
    '--questions <file>',
    `--distractors ${params.distractors}`,
    `--p-oracle ${params.pOracle}`,
    `--seed ${params.seed}`,
    `--mode ${params.retrievalMode}`,
  ];
  if (params.retrievalMode !== 'lexical') flags.push('--model <embedding model folder>');
  if (params.strategy !== DEFAULT_RAFT_PARAMS.strategy) flags.push(`--strategy ${params.strategy}`);
  if (params.strategy === 'mixed') flags.push(`--hard ${params.hardCount}`);
  if (params.excludeOracleArticle) flags.push('--exclude-oracle-article');
  if (params.contextBudget !== DEFAULT_RAFT_PARAMS.contextBudget) flags.push(`--context-budget ${params.contextBudget}`);
  if (templateEdited) flags.push(`--template ${exportFileName(format, 'manifest.json')}`);
  flags.push(`--format ${format}`, '--out <folder>');
  return `npm run raft -- build ${flags.join(' ')}`;
}

/**
 * `npm run raft -- build --manifest manifest.json …`: the exact rebuild from the exported manifest (every parameter,
 * the split, chunking and chain-of-thought settings), refused if the docs or questions differ. `embedder`: the
 * distractors or the chunk sizes came from an embedding model, whose folder the command line then needs.
 * `manifestFile`: the manifest's name as downloaded (default `manifest.json`, the command line's own name).
 */
export function manifestCommand(options: { embedder: boolean; cot: CotSource; manifestFile?: string }): string {
  const flags = [`--manifest ${options.manifestFile ?? 'manifest.json'}`, '--docs <folder>', '--questions <file>'];
  if (options.embedder) flags.push('--model <embedding model folder>');
  if (options.cot === 'endpoint') flags.push('--endpoint <base URL>');
  if (options.cot === 'local') flags.push('--writer-model <language model folder>');
  flags.push('--out <folder>');
  return `npm run raft -- build ${flags.join(' ')}`;
}
