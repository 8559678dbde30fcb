// The command line that builds the same dataset as the Dataset page's recipe (`npm run raft -- build`).
import type { ExportFormat } from '../core/formats/raft-formats';
import { DEFAULT_RAFT_PARAMS, type RaftParams } from '../core/raft/types';

/**
 * `npm run raft -- build …` with the recipe's values; folder and file names are placeholders to fill in.
 * An edited template is read back from the exported manifest.json.
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
  if (templateEdited) flags.push('--template manifest.json');
  flags.push(`--format ${format}`, '--out <folder>');
  return `npm run raft -- build ${flags.join(' ')}`;
}
