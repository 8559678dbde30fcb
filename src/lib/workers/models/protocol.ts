// Message types shared by the model workers: loading a model and what a loaded model reports.
import type { LoadOptions, ModelSource } from '../../core/models';
import type { DeviceChoice, LoadedModel, LoadProgress } from '../../core/model-status';

export type { DeviceChoice, LoadedModel, LoadProgress };

export interface LoadParams {
  source: ModelSource;
  options: LoadOptions;
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
