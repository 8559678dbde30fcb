// Message types shared by the model workers: loading a model and what a loaded model reports.
import type { LoadOptions, ModelSource } from '../../core/models';
import type { DeviceChoice } from './device';
import type { LoadProgress } from './load';

export type { LoadProgress, DeviceChoice };

export interface LoadParams {
  source: ModelSource;
  options: LoadOptions;
}

/** What the UI shows about a loaded model. */
export interface LoadedModel {
  key: string;
  label: string;
  device: DeviceChoice;
  dtype: string;
  modelType: string;
}

export interface LoadMethod {
  params: LoadParams;
  result: LoadedModel;
  progress: LoadProgress;
}

export interface SettingsMethod {
  params: { allowHub: boolean };
  result: void;
  progress: never;
}
