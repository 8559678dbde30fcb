// The demo models shipped with the app (public/models/demo/, trained by recipes/demo/train_demo_models.py):
// tiny Llamas trained on the sample wiki alone, so a course or a demo without a GPU sees the RAFT effect.
import type { LanguageModelRole } from './models';

/** The folder each card loads: the sft model as the base, the RAFT model as the fine-tuned one. */
export const DEMO_FOLDERS: Record<LanguageModelRole, string> = { base: 'sft', tuned: 'raft' };

/** What the cards say about them, plainly. */
export const DEMO_NOTE = 'Tiny models trained on the sample wiki; they know nothing else.';

/** The demo models' folder under the app's base path, as an absolute URL (workers resolve relative URLs elsewhere). */
export function demoModelUrl(role: LanguageModelRole, page: string, basePath: string = import.meta.env.BASE_URL): string {
  return new URL(`${basePath}models/demo/${DEMO_FOLDERS[role]}/`, page).href;
}

/** The demo base model's folder (the model before any fine-tuning: what the Fine-tune page trains), as an absolute URL. */
export function demoBaseUrl(page: string, basePath: string = import.meta.env.BASE_URL): string {
  return new URL(`${basePath}models/demo/base/`, page).href;
}

/** Whether a folder URL is one of the demo models' (any role), however its trailing slash is written. */
export function isDemoModelUrl(url: string): boolean {
  return /\/models\/demo\/(?:sft|raft|base)\/*$/.test(url);
}
