// The in-memory form of a model folder (relative path → bytes) and how it is
// serialized and written in the Hugging Face Hub layout transformers.js reads.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** A model folder: relative path (e.g. `onnx/model.onnx`) → file contents. */
export type ModelFolder = Map<string, Uint8Array>;

/** Path of the fp32 ONNX file that transformers.js loads for `dtype: 'fp32'`. */
export const ONNX_PATH = 'onnx/model.onnx';

/** Serializes JSON with two-space indentation and a trailing newline, like Hub files. */
export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
}

/** Parses a JSON file of a folder. */
export function readJson(folder: ModelFolder, path: string): Record<string, unknown> {
  const bytes = folder.get(path);
  if (!bytes) throw new Error(`Model folder has no ${path}`);
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/** Builds a folder from its JSON files and ONNX graph. */
export function modelFolder(json: Record<string, unknown>, onnx: Uint8Array): ModelFolder {
  const folder: ModelFolder = new Map();
  for (const [path, value] of Object.entries(json)) folder.set(path, jsonBytes(value));
  folder.set(ONNX_PATH, onnx);
  return folder;
}

/** Writes every file of `folder` under `dir`, creating directories as needed; returns the bytes written. */
export async function writeFolder(dir: string, folder: ModelFolder): Promise<number> {
  let total = 0;
  for (const [path, bytes] of folder) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
    total += bytes.length;
  }
  return total;
}
