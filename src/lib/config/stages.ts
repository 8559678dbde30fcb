// The app's stages, in reading order: the route each lives at and the name the navigation shows.

export type StageId = 'raft' | 'corpus' | 'search' | 'questions' | 'dataset' | 'finetune' | 'arena' | 'evaluation' | 'models' | 'settings';

export interface Stage {
  id: StageId;
  /** Link text in the navigation. */
  label: string;
}

export const STAGES: readonly Stage[] = [
  { id: 'raft', label: 'What is RAFT?' },
  { id: 'corpus', label: 'Corpus' },
  { id: 'search', label: 'Search' },
  { id: 'questions', label: 'Questions' },
  { id: 'dataset', label: 'Dataset' },
  { id: 'finetune', label: 'Fine-tune' },
  { id: 'arena', label: 'Arena' },
  { id: 'evaluation', label: 'Evaluation' },
  { id: 'models', label: 'Models' },
  { id: 'settings', label: 'Settings' },
];

export const DEFAULT_STAGE: StageId = 'raft';

export function stageHref(id: StageId): string {
  return `#/${id}`;
}

/** The stage a location hash names (`#/corpus`), or null when it names none. */
export function stageFromHash(hash: string): StageId | null {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return STAGES.find((s) => s.id === id)?.id ?? null;
}
