// The evaluation's dependencies in the app: the corpus worker, the language models through
// ModelsState.acquire (its memory rule decides what stays loaded), the Dataset page's template, and the
// remote endpoint of the Questions page as the optional judge.
import type { Corpus } from './corpus.svelte';
import type { DatasetState } from './dataset.svelte';
import type { EvaluationDeps } from './evaluation-deps';
import type { ModelsState } from './models.svelte';
import type { RemoteSettings } from './question-remote.svelte';

export function appEvaluationDeps({ corpus, models, dataset, remote }: { corpus: Corpus; models: ModelsState; dataset: DatasetState; remote: RemoteSettings }): EvaluationDeps {
  return {
    corpus: {
      open: () => corpus.open(),
      get client() {
        return corpus.client;
      },
      get denseUnavailable() {
        return corpus.denseUnavailable;
      },
    },
    // NOTE: acquired for each answer and not kept, so the memory rule can release a model between answers.
    acquire: async (role) => {
      const generator = await models.acquire(role);
      return (messages, settings, hooks) => generator.generate(messages, settings, hooks);
    },
    model: (role) => {
      const loaded = models.languageModel(role).loaded;
      return loaded ? { label: loaded.label, key: loaded.key } : null;
    },
    template: () => dataset.template,
    judge: () => {
      if (remote.incomplete) return { error: `${remote.incomplete} (Remote endpoint, under the judge option.)` };
      const generator = remote.generator();
      return { generate: (messages, settings, hooks) => generator.generate(messages, settings, hooks) };
    },
  };
}
