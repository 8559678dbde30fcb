// Message types shared by the model workers: loading a model and what a loaded model reports.
import type { LoadOptions, ModelSource } from '../../core/models';
import type { DeviceChoice } from '../../config/device';
import type { LoadProgress } from './progress';

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
  /** Bytes of the ONNX files, when known (local files, URL folders, Hub downloads). */
  bytes?: number;
  /** A hint worth showing next to the model (e.g. little device memory). */
  warning?: string;
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
