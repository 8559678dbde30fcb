// What a model worker reports to the page: the device it chose and why, the progress of a load, and
// the model once loaded. Shared by the worker protocols, the clients, the state classes and the UI,
// so it lives in core (types only).
import type { Device } from './models';

/** Where a model runs, and why there. */
export interface DeviceChoice {
  device: Device;
  /** Human-readable: the WebGPU adapter in use, or why WebGPU is not used. */
  reason: string;
}

/** Progress of one load: every file with its bytes, plus the overall fraction. */
export interface LoadProgress {
  files: { file: string; loaded: number; total: number; done: boolean }[];
  loaded: number;
  total: number;
  /** 0..1 over the files whose size is known. */
  fraction: number;
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
