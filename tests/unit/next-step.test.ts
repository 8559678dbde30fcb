// The step each stage offers once its job is done: a first-time user following only these links goes
// Corpus → Questions → Dataset → Arena (via Models when no model is loaded) → Evaluation.
import { describe, expect, test } from 'vitest';
import { nextStep, type Progress } from '../../src/lib/config/next-step';
import { STAGES } from '../../src/lib/config/stages';

const FRESH: Progress = { articles: 0, questions: 0, datasetBuilt: false, languageModels: 0, arenaAnswered: false, evaluationDone: false };
const at = (stage: Parameters<typeof nextStep>[0], progress: Partial<Progress> = {}) => nextStep(stage, { ...FRESH, ...progress });

describe('nextStep', () => {
  test('a stage whose job is not done offers no next step', () => {
    expect(at('corpus')).toBeNull();
    expect(at('search')).toBeNull();
    expect(at('questions', { articles: 25 })).toBeNull();
    expect(at('dataset', { articles: 25, questions: 16 })).toBeNull();
    expect(at('arena', { languageModels: 2 })).toBeNull();
    expect(at('models')).toBeNull();
  });

  test('each stage points onward once its job is done, in the app’s stage order', () => {
    expect(at('raft')).toEqual({ stage: 'corpus', label: 'Next: add documents on the Corpus page' });
    expect(at('corpus', { articles: 25 })).toEqual({ stage: 'questions', label: 'Next: write or load questions' });
    expect(at('search', { articles: 25 })?.stage).toBe('questions');
    expect(at('questions', { articles: 25, questions: 1 })).toEqual({ stage: 'dataset', label: 'Next: build the RAFT dataset' });
    expect(at('dataset', { datasetBuilt: true })).toEqual({ stage: 'finetune', label: 'Next: fine-tune the base model on it, here' });
    expect(at('finetune', { datasetBuilt: true })?.stage).toBe('arena');
    expect(at('arena', { languageModels: 1, arenaAnswered: true })).toEqual({ stage: 'evaluation', label: 'Next: evaluate on held-out questions' });
    const order = (id: string) => STAGES.findIndex((s) => s.id === id);
    for (const [from, to] of [['raft', 'corpus'], ['corpus', 'questions'], ['questions', 'dataset'], ['dataset', 'finetune'], ['finetune', 'arena'], ['arena', 'evaluation']] as const) {
      expect(order(to), `${from} → ${to}`).toBeGreaterThan(order(from));
    }
  });

  test('the arena without a model detours through Models, and Models leads back to where the user was heading', () => {
    expect(at('arena', { datasetBuilt: true })).toEqual({ stage: 'models', label: 'Next: load the base and fine-tuned models' });
    expect(at('models', { languageModels: 2 })?.stage).toBe('arena');
    expect(at('models', { languageModels: 2, arenaAnswered: true })?.stage).toBe('evaluation');
    expect(at('evaluation')?.stage).toBe('models');
  });

  test('the journey ends at a finished evaluation, and Settings offers nothing', () => {
    expect(at('evaluation', { languageModels: 2, evaluationDone: true })).toBeNull();
    expect(at('evaluation', { evaluationDone: true })).toBeNull();
    expect(at('settings', { articles: 25, questions: 4, datasetBuilt: true, languageModels: 2 })).toBeNull();
  });

  test('What is RAFT? names the Corpus page for what it holds', () => {
    expect(at('raft', { articles: 25 })?.label).toBe('Next: see your documents on the Corpus page');
  });
});
