// Four test projects: unit (Node, fast), recipe (Node: the Python fine-tuning recipe end to end, minutes),
// browser (real Chromium: WASM and WebGPU instances), e2e (the built app driven by Playwright from Node).
// `npm test` runs them all: unit and recipe first (the recipe test writes tests/models/finetuned/tiny-raft,
// which the arena e2e test loads), then browser, then e2e.
import { defineConfig, mergeConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import viteConfig from './vite.config';
import { chromiumArgs, chromiumPath } from './tests/support/chromium';
import { cliBuild, nodeDenseSearch } from './tests/support/node-commands';

const browserProvider = (extraArgs: string[]) =>
  playwright({ launchOptions: { executablePath: chromiumPath(), args: [...chromiumArgs, ...extraArgs] } });

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      reporters: ['default', './tests/support/summary-reporter.ts'],
      projects: [
        {
          extends: true,
          // NOTE: voy's wasm loads in Node only when inlined (the app imports voy-search/voy_search.js).
          test: {
            name: 'unit',
            sequence: { groupOrder: 0 },
            globalSetup: ['tests/support/global-setup.ts'],
            environment: 'node',
            include: ['tests/unit/**/*.test.ts'],
            setupFiles: ['fake-indexeddb/auto'],
            server: { deps: { inline: ['voy-search'] } },
          },
        },
        {
          extends: true,
          // NOTE: its own project so `npm run test:unit` stays fast; beside unit (same group), before e2e.
          test: {
            name: 'recipe',
            sequence: { groupOrder: 0 },
            globalSetup: ['tests/support/global-setup.ts'],
            environment: 'node',
            include: ['tests/recipe/**/*.test.ts'],
          },
        },
        {
          extends: true,
          test: {
            name: 'browser',
            sequence: { groupOrder: 1 },
            globalSetup: ['tests/support/global-setup.ts', 'tests/support/chromium-setup.ts'],
            include: ['tests/browser/**/*.browser.test.ts'],
            testTimeout: 60_000,
            browser: {
              enabled: true,
              headless: true,
              screenshotFailures: false,
              commands: { nodeDenseSearch, cliBuild },
              instances: [
                { browser: 'chromium', name: 'wasm', provider: browserProvider(['--disable-gpu']), provide: { backend: 'wasm' } },
                { browser: 'chromium', name: 'webgpu', provider: browserProvider(['--enable-unsafe-webgpu']), provide: { backend: 'webgpu' } },
              ],
            },
          },
        },
        {
          extends: true,
          test: {
            name: 'e2e',
            // NOTE: after the browser tests, not beside them: their frame-gap and streaming checks must not
            // share the 2 cores with a second Chromium driving the built app.
            sequence: { groupOrder: 2 },
            globalSetup: ['tests/support/global-setup.ts', 'tests/support/chromium-setup.ts'],
            environment: 'node',
            include: ['tests/e2e/**/*.e2e.test.ts'],
            testTimeout: 120_000,
            hookTimeout: 240_000,
          },
        },
      ],
    },
  }),
);
