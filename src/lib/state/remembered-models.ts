// What each loader card loaded last, kept in localStorage so that after a reload the card shows it
// and offers "Load again" (never loading by itself). Picked files cannot be kept there: a local
// folder is remembered by name only, unless it was saved in the browser.
import type { ModelRole } from '../config/models';
import { DTYPES, type DevicePreference, type Dtype } from '../core/models';
import { parseStoredObject, safeLocalStorage } from './storage';

/** NOTE: DO NOT CHANGE WITHOUT A MIGRATION: stored entries are read back under this key. */
export const REMEMBERED_KEY = 'raft-playground:models:v1';

export type RememberedSource =
  | { kind: 'hub'; id: string; revision?: string }
  | { kind: 'url'; url: string }
  /** A folder kept in the browser (Cache Storage), under its saved id. */
  | { kind: 'saved'; id: string; name: string }
  /** A picked folder: only its name, since the files themselves cannot be stored here. */
  | { kind: 'files'; name: string };

export interface RememberedLoad {
  source: RememberedSource;
  dtype: Dtype;
  device: DevicePreference;
  label: string;
}

const ROLES: readonly ModelRole[] = ['embedder', 'base', 'tuned'];
const DEVICES: readonly DevicePreference[] = ['auto', 'webgpu', 'wasm'];

function parseSource(value: unknown): RememberedSource | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const text = (key: string) => (typeof v[key] === 'string' && v[key] ? (v[key] as string) : null);
  switch (v.kind) {
    case 'hub':
      return text('id') ? { kind: 'hub', id: text('id')!, ...(text('revision') ? { revision: text('revision')! } : {}) } : null;
    case 'url':
      return text('url') ? { kind: 'url', url: text('url')! } : null;
    case 'saved':
      return text('id') && text('name') ? { kind: 'saved', id: text('id')!, name: text('name')! } : null;
    case 'files':
      return text('name') ? { kind: 'files', name: text('name')! } : null;
    default:
      return null;
  }
}

/** Reads the stored entries, dropping anything malformed. */
export function parseRemembered(raw: string | null): Partial<Record<ModelRole, RememberedLoad>> {
  const stored = parseStoredObject(raw);
  const out: Partial<Record<ModelRole, RememberedLoad>> = {};
  for (const role of ROLES) {
    const entry = stored[role] as Record<string, unknown> | undefined;
    const source = parseSource(entry?.source);
    if (!entry || !source) continue;
    const dtype = DTYPES.includes(entry.dtype as Dtype) ? (entry.dtype as Dtype) : null;
    const device = DEVICES.includes(entry.device as DevicePreference) ? (entry.device as DevicePreference) : 'auto';
    if (dtype) out[role] = { source, dtype, device, label: typeof entry.label === 'string' ? entry.label : '' };
  }
  return out;
}

/** Whether the remembered source can be loaded again with one click (picked files cannot). */
export function canLoadAgain(source: RememberedSource): boolean {
  return source.kind !== 'files';
}

/** localStorage-backed memory of the last load of each card. */
export class RememberedModels {
  constructor(private readonly storage: Storage | null = safeLocalStorage()) {}

  get(role: ModelRole): RememberedLoad | null {
    return parseRemembered(this.storage?.getItem(REMEMBERED_KEY) ?? null)[role] ?? null;
  }

  set(role: ModelRole, load: RememberedLoad | null): void {
    const all = parseRemembered(this.storage?.getItem(REMEMBERED_KEY) ?? null);
    if (load) all[role] = load;
    else delete all[role];
    try {
      this.storage?.setItem(REMEMBERED_KEY, JSON.stringify(all));
    } catch {
      // Storage full or blocked: only the "Load again" offer after a reload is lost.
    }
  }
}
