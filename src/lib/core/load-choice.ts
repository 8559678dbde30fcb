// Where a model card's device and dtype came from (the card, Settings, the last load, the backend's default,
// what the folder has), in words for the card, and what to say when the dtype differs from the last load's.
import type { Device, DevicePreference, Dtype } from './models';

/** Who set the dtype: picked on the card, the last load's, the default for the device, or the folder lacked the wish. */
export type DtypeOrigin = 'card' | 'remembered' | 'default' | 'folder';

export interface LoadChoice {
  device: DevicePreference;
  /** The card's device follows Settings until one is picked on the card; 'remembered': the last load's. */
  deviceFrom: 'settings' | 'card' | 'remembered';
  dtype: Dtype;
  dtypeFrom: DtypeOrigin;
  /** The backend the default dtype was taken for (the device Auto resolves to here). */
  backend: Device;
  /** The dtype wished for when the folder has no file for it ('folder'). */
  wanted?: Dtype;
}

const DEVICE_NAMES: Record<DevicePreference, string> = { auto: 'Auto', webgpu: 'WebGPU', wasm: 'WASM' };
const BACKENDS: Record<Device, string> = { webgpu: 'WebGPU', wasm: 'WASM' };

/** "Device Auto, from Settings; dtype q8, the default on WASM." */
export function describeChoice(c: LoadChoice): string {
  if (c.deviceFrom === 'remembered' && c.dtypeFrom === 'remembered') return `Device ${DEVICE_NAMES[c.device]} and dtype ${c.dtype} as last loaded.`;
  const device = `Device ${DEVICE_NAMES[c.device]}, ${c.deviceFrom === 'settings' ? 'from Settings' : c.deviceFrom === 'card' ? 'picked on this card' : 'as last loaded'}`;
  return `${device}; dtype ${c.dtype}, ${dtypeWhy(c)}.`;
}

/** Said when the dtype loaded differs from the last load's (null when it does not, or there was none). */
export function dtypeChange(previous: Dtype | null | undefined, c: LoadChoice): string | null {
  if (!previous || previous === c.dtype) return null;
  return `The dtype is ${c.dtype} now, ${previous} at the last load: ${dtypeWhy(c)}${c.dtypeFrom === 'default' ? ' (pick a dtype on this card to keep one)' : ''}.`;
}

function dtypeWhy(c: LoadChoice): string {
  switch (c.dtypeFrom) {
    case 'card':
      return 'picked on this card';
    case 'remembered':
      return 'as last loaded';
    case 'folder':
      return `as the folder has no ${c.wanted ?? 'other'} file`;
    case 'default':
      return `the default on ${BACKENDS[c.backend]}${c.deviceFrom === 'settings' ? ' (the device set in Settings)' : ''}`;
  }
}
