// What the browser offers: the compute backend models will use (WebGPU adapter or why WASM) and the
// storage this site uses, its quota and whether it is persistent.
import { messageOf } from '../core/errors';
import type { DevicePreference } from '../core/models';
import { probeWebGpu, softwareReason } from '../config/device';
import { describeThreads, type ThreadsChoice } from '../core/threads';

export type GpuProbe = Awaited<ReturnType<typeof probeWebGpu>>;

export interface StorageFigures {
  usage: number;
  quota: number;
}

/** Whether the browser keeps this site's data under storage pressure; `unknown` before asking. */
export type Persistence = 'unknown' | 'unsupported' | 'persistent' | 'best-effort' | 'denied';

/** Words for the backend models will run on, given the probe, the user's preference and ORT's threads. */
export function describeBackend(probe: GpuProbe | null, preference: DevicePreference, threads: ThreadsChoice): string {
  const wasm = `WASM · ${describeThreads(threads)}`;
  if (preference === 'wasm') return `${wasm} — chosen in Settings`;
  if (!probe) return 'Checking for WebGPU…';
  if (probe.available && probe.software && preference === 'auto') return `${wasm} — ${softwareReason(probe.software)}`;
  if (probe.available) return `WebGPU: ${probe.adapter}${probe.software ? ' (software: slow)' : ''}`;
  if (preference === 'webgpu') return `${wasm} — WebGPU was requested but ${probe.reason}`;
  return `${wasm} — ${probe.reason}`;
}

export class Environment {
  gpu = $state.raw<GpuProbe | null>(null);
  storage = $state.raw<StorageFigures | null>(null);
  persistence = $state<Persistence>('unknown');
  /** What went wrong with the last storage request, worded for the user; empty when nothing did. */
  storageNote = $state('');

  readonly #manager: StorageManager | undefined = globalThis.navigator?.storage;

  /** Probes WebGPU and reads storage figures; call once at start-up. */
  async start(): Promise<void> {
    await Promise.all([this.probe(), this.refreshStorage(), this.#readPersistence()]);
  }

  async probe(): Promise<void> {
    this.gpu = await probeWebGpu();
  }

  /** Device the models will most likely run on under `preference`. */
  deviceFor(preference: DevicePreference): 'webgpu' | 'wasm' {
    if (preference === 'wasm' || !this.gpu?.available) return 'wasm';
    return preference === 'auto' && this.gpu.software ? 'wasm' : 'webgpu';
  }

  async refreshStorage(): Promise<void> {
    if (!this.#manager?.estimate) return;
    try {
      const { usage = 0, quota = 0 } = await this.#manager.estimate();
      this.storage = { usage, quota };
    } catch (error) {
      this.storageNote = `Could not read storage use: ${messageOf(error)}`;
    }
  }

  /** Asks the browser to keep this site's data; only call from a user's click (it is consent). */
  async persist(): Promise<void> {
    if (!this.#manager?.persist) return;
    try {
      this.storageNote = '';
      this.persistence = (await this.#manager.persist()) ? 'persistent' : 'denied';
    } catch (error) {
      this.storageNote = `Asking to keep data failed: ${messageOf(error)}`;
    }
  }

  async #readPersistence(): Promise<void> {
    if (!this.#manager?.persisted) {
      this.persistence = 'unsupported';
      return;
    }
    try {
      this.persistence = (await this.#manager.persisted()) ? 'persistent' : 'best-effort';
    } catch (error) {
      this.persistence = 'unsupported';
      this.storageNote = `Could not tell whether data is kept: ${messageOf(error)}`;
    }
  }
}
