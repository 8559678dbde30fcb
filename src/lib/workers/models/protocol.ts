// Message types shared by the model workers: loading a model and what a loaded model reports.
import type { LoadOptions, ModelSource } from '../../core/models';
import type { DeviceChoice, LoadedModel, LoadProgress } from '../../core/model-status';
import type { ThreadsPreference } from '../../core/threads';

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

/** The page's settings a model worker needs; `threads` applies only before its first model (ORT starts once). */
export interface WorkerSettings {
  allowHub: boolean;
  /** 0: automatic; else ONNX Runtime Web's thread count (browser only). */
  threads?: ThreadsPreference;
}

export interface SettingsMethod {
  params: WorkerSettings;
  result: void;
  progress: never;
}
