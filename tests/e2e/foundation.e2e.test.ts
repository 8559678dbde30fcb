// The built app in Chromium: start-up and tiny-model use stay on the app's own origin, and broken
// model folders get clear errors while the app stays usable.
import { describe, expect, test } from 'vitest';
import { goTo, pickModelFolder, useApp } from './support/app';

const app = useApp();

for (const webgpu of [false, true]) {
  test(`start-up and tiny models make no request beyond the app's origin (${webgpu ? 'WebGPU' : 'WASM'})`, async () => {
    const session = await app.open({ webgpu });
    const { page } = session;
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('RAFT');
    // Chromium's WebGPU here is SwiftShader, a software adapter: Auto stays on WASM, a card set to WebGPU uses it.
    await expect.poll(() => page.getByTestId('backend').textContent()).toMatch(webgpu ? /^WASM .* software one \(SwiftShader\)/ : /^WASM/);

    await goTo(page, 'Models');
    const embedder = await pickModelFolder(page, 'embedder', 'tiny/embedder');
    await expect.poll(() => embedder.getByTestId('loaded-embedder').textContent(), { timeout: 60_000 }).toContain('dtype fp32');

    const generator = await pickModelFolder(page, 'base', 'tiny/echo', webgpu ? { device: 'webgpu' } : {});
    await expect.poll(() => generator.getByTestId('loaded-base').textContent(), { timeout: 60_000 }).toContain(webgpu ? '— WebGPU: ' : '— WASM');
    await generator.getByLabel('Message').fill('Offline replies stay on this device.');
    await generator.getByRole('button', { name: 'Generate' }).click();
    await expect.poll(() => generator.getByTestId('generation-output').textContent(), { timeout: 60_000 }).toBe('Offline replies stay on this device.');

    // The ONNX runtime's wasm is fetched by the workers: seeing it proves worker requests are intercepted too.
    expect(session.requests.some((url) => /ort-wasm-simd-threaded\.asyncify.*\.wasm/.test(url))).toBe(true);
    expect(session.external).toEqual([]);
  });
}

describe('a broken model folder shows an error naming the problem, and the app stays usable', () => {
  const cases = [
    { role: 'embedder', folder: 'broken/missing-tokenizer', message: /no tokenizer\.json/ },
    { role: 'embedder', folder: 'broken/corrupt-onnx', message: /ONNX file .* could not be read: it is corrupt/ },
    { role: 'tuned', folder: 'broken/unsupported-arch', message: /"tiny-unknown-arch" is not supported/ },
    { role: 'embedder', folder: 'tiny/llama', message: /is a causal \(text-generating\) language model \(LlamaForCausalLM\), but the embedding model must be a sentence embedder/ },
    { role: 'tuned', folder: 'broken/no-chat-template', message: /has no chat_template in tokenizer_config\.json/ },
  ] as const;

  test.each(cases)('$folder', async ({ role, folder, message }) => {
    const session = await app.open();
    await session.page.goto(`${session.url}#/models`);
    const card = await pickModelFolder(session.page, role, folder);
    await expect.poll(() => card.getByRole('alert').textContent(), { timeout: 60_000 }).toMatch(message);
    // Still usable: the same card loads a good model right after.
    const good = role === 'embedder' ? 'tiny/embedder' : 'tiny/echo';
    await pickModelFolder(session.page, role, good);
    await expect.poll(() => card.getByTestId(`loaded-${role}`).textContent(), { timeout: 60_000 }).toContain('Loaded');
    await expect.poll(() => card.getByRole('alert').count()).toBe(0);
    // The ONNX runtime's wasm is fetched by the workers: seeing it proves worker requests are intercepted too.
    expect(session.requests.some((url) => /ort-wasm-simd-threaded\.asyncify.*\.wasm/.test(url))).toBe(true);
    expect(session.external).toEqual([]);
  });
});
