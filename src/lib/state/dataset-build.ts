// One build of the Dataset page as the page holds it (examples, their figures and statistics, the recipe,
// the chain-of-thought tasks and job, the fingerprints of its inputs), made from the worker's result or from
// the stored build after a reload, with the chain-of-thought records written since applied.
import { datasetStats, exampleFigures, type DatasetStats, type ExampleFigures } from '../core/dataset-stats';
import type { DatasetFiles } from '../core/formats/dataset-files';
import type { ExportFormat } from '../core/formats/raft-formats';
import { applyCot } from '../core/raft/cot';
import type { CotRecord, CotTask } from '../core/raft/cot-types';
import type { PromptTemplate } from '../core/raft/prompt';
import type { RaftExample, RaftParams } from '../core/raft/types';
import type { CotJobStatus, CotRecipe, DatasetInputs, StoredBuild } from '../store/dataset-db';
import { storedBuild } from './dataset-store';

export type { CotJobStatus, CotRecipe };

/** What a build is made from: the page's recipe and who writes the chain-of-thought. */
export interface BuildRecipe {
  params: RaftParams;
  template: PromptTemplate;
  format: ExportFormat;
  cot: CotRecipe;
}

/** One build: what is kept of it across reloads (examples, recipe, chain-of-thought tasks, files, inputs) and its figures and statistics, measured once per build. */
export interface DatasetBuild extends Omit<StoredBuild, 'id'> {
  figures: ExampleFigures[];
  stats: DatasetStats;
}

export const TEMPLATE_COT: CotRecipe = Object.freeze({ source: 'template', model: null, settings: null });

/** Builds the page's view of a worker result. */
export function makeBuild(
  recipe: BuildRecipe,
  result: { examples: RaftExample[]; files: DatasetFiles; cotTasks?: CotTask[]; templateAnswers?: Record<string, string> },
  records: ReadonlyMap<string, CotRecord>,
  inputs: DatasetInputs | null,
  builtAt: number,
): DatasetBuild {
  const cotTasks = result.cotTasks ?? [];
  return {
    ...recipe,
    ...measured(result.examples, recipe),
    files: { [recipe.format]: result.files },
    cotTasks,
    templateAnswers: result.templateAnswers ?? {},
    cotApplied: writtenCount(cotTasks, records),
    cotJob: 'idle',
    inputs,
    builtAt,
  };
}

/** The build stored before a reload, with the records written since applied (its files then built again on export). */
export function restoreBuild(stored: StoredBuild, records: ReadonlyMap<string, CotRecord>): DatasetBuild {
  const { id: _id, examples, files, ...rest } = stored;
  const written = writtenCount(stored.cotTasks, records);
  const current = written === stored.cotApplied;
  const applied = current ? examples : applyCot(examples, stored.cotTasks, records);
  // A job that was running when the page closed is paused: Resume continues it.
  const cotJob = stored.cotJob === 'running' ? 'paused' : stored.cotJob;
  return { ...rest, ...measured(applied, stored), files: current ? files : {}, cotApplied: written, cotJob };
}

/** The build with `records` applied to its examples (after a chain-of-thought job wrote some). */
export function withRecords(build: DatasetBuild, records: ReadonlyMap<string, CotRecord>): DatasetBuild {
  const written = writtenCount(build.cotTasks, records);
  if (written === build.cotApplied) return build;
  return { ...build, ...measured(applyCot(build.examples, build.cotTasks, records), build), files: {}, cotApplied: written };
}

export function toStored(build: DatasetBuild): StoredBuild {
  const { figures: _f, stats: _s, ...rest } = build;
  return storedBuild(rest);
}

export function recipeOf(build: DatasetBuild): BuildRecipe {
  return { params: build.params, template: build.template, format: build.format, cot: build.cot };
}

/** The worker's chain-of-thought parameter: who writes it, and every record written so far (it applies those of its tasks). */
export function cotParam(cot: CotRecipe, records: ReadonlyMap<string, CotRecord>): CotRecipe & { records: CotRecord[] } {
  return { ...cot, records: cot.source === 'template' ? [] : [...records.values()] };
}

/** Tasks of the build that have a record. */
export function writtenCount(tasks: readonly CotTask[], records: ReadonlyMap<string, CotRecord>): number {
  let n = 0;
  for (const t of tasks) if (records.has(t.key)) n++;
  return n;
}

function measured(examples: RaftExample[], { params, template }: Pick<BuildRecipe, 'params' | 'template'>): Pick<DatasetBuild, 'examples' | 'figures' | 'stats'> {
  const figures = examples.map((e) => exampleFigures(e, template, params.contextBudget));
  const stats = datasetStats(examples, figures, { distractors: params.distractors, budget: params.contextBudget });
  return { examples, figures, stats };
}
