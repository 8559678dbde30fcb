// The built app in Chromium, model loads that fail: a folder URL on another origin whose server sends no CORS
// headers gets an error saying it must allow cross-origin requests (it used to say only "Failed to fetch"), and
// loads once it does; a language model without a chat template is refused while the loaded one keeps answering.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { goTo, MODELS_DIR, pickModelFolder, useApp } from './support/app';

const app = useApp();
const LOAD_TIMEOUT = { timeout: 90_000 };
let server: Server;
let origin = '';

/** Serves tests/models under `/plain/…` with no CORS headers, and under `/cors/…` with them (Range included). */
beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://x');
    const [, mode, ...rest] = url.pathname.split('/');
    if (mode === 'cors') {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Headers', 'Range');
      res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range');
      if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    }
    const path = resolve(MODELS_DIR, ...rest.map(decodeURIComponent));
    const info = path.startsWith(MODELS_DIR) ? await stat(path).catch(() => null) : null;
    if (!info?.isFile()) return void res.writeHead(404).end();
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (range) {
      const [start, end] = [Number(range[1]), Math.min(Number(range[2]), info.size - 1)];
      res.writeHead(206, { 'content-length': String(end - start + 1), 'content-range': `bytes ${start}-${end}/${info.size}` });
      return void (req.method === 'HEAD' ? res.end() : createReadStream(path, { start, end }).pipe(res));
    }
    res.writeHead(200, { 'content-length': String(info.size) });
    if (req.method === 'HEAD') res.end();
    else createReadStream(path).pipe(res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  // NOTE: "localhost", not the app's 127.0.0.1: another host is another origin whatever the port.
  origin = `http://localhost:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

test('a folder URL on a server without CORS headers says the server must allow cross-origin requests; with them it loads', async () => {
  const session = await app.open();
  const { page } = session;
  // This test's own model server may be reached (the app blocks no other origin itself: the browser's CORS does).
  await page.route(`${origin}/**`, (route) => route.continue());
  await goTo(page, 'Models');
  const card = page.getByTestId('loader-embedder');
  await card.getByRole('radio', { name: 'Folder URL' }).check();
  const urlField = card.getByRole('textbox', { name: 'Folder URL' });
  await urlField.fill(`${origin}/plain/tiny/embedder/`);
  await card.getByLabel('Dtype').selectOption('fp32');
  await card.getByRole('button', { name: 'Load', exact: true }).click();
  const alert = card.getByRole('alert');
  await expect.poll(() => alert.textContent(), LOAD_TIMEOUT).toMatch(/another origin \(http:\/\/localhost:\d+\) must be served with cross-origin requests allowed/);
  expect(await alert.textContent()).toContain(`Access-Control-Allow-Origin: ${new URL(session.url).origin}`);
  expect(await card.getByTestId('loaded-embedder').count()).toBe(0);

  // The same folder with CORS headers: loaded.
  await urlField.fill(`${origin}/cors/tiny/embedder/`);
  await card.getByRole('button', { name: 'Load', exact: true }).click();
  await expect.poll(() => card.getByTestId('loaded-embedder').textContent(), LOAD_TIMEOUT).toContain('Loaded');
});

test('a model without a chat template is refused, and the model the card had loaded still answers', async () => {
  const session = await app.open();
  const { page } = session;
  await goTo(page, 'Models');
  const card = await pickModelFolder(page, 'base', 'tiny/echo');
  const loaded = card.getByTestId('loaded-base');
  await expect.poll(() => loaded.textContent(), LOAD_TIMEOUT).toContain('Loaded echo');
  await pickModelFolder(page, 'base', 'broken/no-chat-template');
  await expect.poll(() => card.getByRole('alert').textContent(), LOAD_TIMEOUT).toMatch(/no-chat-template .* has no chat_template in tokenizer_config\.json/);
  // The card still says echo is loaded, and it is: it answers (the failed load used to free it first).
  expect(await loaded.textContent()).toContain('Loaded echo');
  await card.getByLabel('Message').fill('Still loaded after the failed load.');
  await card.getByRole('button', { name: 'Generate' }).click();
  await expect.poll(() => card.getByTestId('generation-output').textContent(), LOAD_TIMEOUT).toBe('Still loaded after the failed load.');
  expect(session.external).toEqual([]);
});
