// The built app under its Content-Security-Policy (header from `vite preview`, <meta> in index.html): a whole
// journey (sample wiki, search, the embedding model in its worker, wasm, dense search) logs no violation, and
// script injected into the page is refused: an inline <script> and an event-handler attribute. (eval is refused
// too, no 'unsafe-eval', but DevTools' evaluate, which drives this test, is exempt, so the policy text checks it.)
import { expect, test } from 'vitest';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../scripts/vite/headers';
import { goTo, loadModelFolder, loadSampleWiki, useApp } from './support/app';

const app = useApp();
const CSP_MESSAGE = /Content Security Policy|Refused to/i;

test('a normal flow runs with no CSP violation, and injected scripts are refused', async () => {
  const { page } = await app.open();
  const logged: string[] = [];
  page.on('console', (m) => logged.push(`page ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logged.push(`page error: ${e.message}`));
  page.on('worker', (w) => w.on('console', (m) => logged.push(`worker ${w.url()} ${m.type()}: ${m.text()}`)));
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { __violations: seen });
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  const response = await page.reload();
  const violations = () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

  // 1. The policy is sent, and written into the page for hosts that send no headers.
  expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(META_CONTENT_SECURITY_POLICY);
  expect(await page.locator('script:not([src])').count()).toBe(0);
  expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self' 'wasm-unsafe-eval' blob:;/);

  // 2. A journey through workers and wasm: no violation anywhere.
  await loadSampleWiki(page);
  await goTo(page, 'Models');
  await loadModelFolder(page, 'embedder', 'tiny/embedder');
  await goTo(page, 'Corpus');
  await expect.poll(async () => /Embedded (\d+) of \1\b/.test((await page.getByTestId('embedded-count').textContent()) ?? ''), { timeout: 90_000 }).toBe(true);
  await goTo(page, 'Search');
  await page.getByRole('radio', { name: 'Dense' }).check();
  await page.getByLabel('Search the corpus').fill('How many devices can the free plan sync?');
  await page.getByLabel('Search the corpus').press('Enter');
  await expect.poll(() => page.getByTestId('search-meta').textContent(), { timeout: 30_000 }).toMatch(/(voy|flat) /);
  expect(await violations()).toEqual([]);
  expect(logged.filter((line) => CSP_MESSAGE.test(line))).toEqual([]);

  // 3. Markup that slipped into the page cannot run script.
  const ran = await page.evaluate(async () => {
    const w = window as unknown as Record<string, unknown>;
    const script = document.createElement('script');
    script.textContent = 'window.__inline = true';
    document.body.append(script);
    const img = document.createElement('img');
    img.setAttribute('onerror', 'window.__handler = true');
    img.src = '/no-such-image.png';
    document.body.append(img);
    await new Promise((done) => setTimeout(done, 500));
    return { inline: w.__inline === true, handler: w.__handler === true };
  });
  expect(ran).toEqual({ inline: false, handler: false });
  expect((await violations()).map((v) => v.split(' ')[0])).toEqual(expect.arrayContaining(['script-src-elem', 'script-src-attr']));
});
