// Layouts that fit: on a 390×844 phone the RAFT diagram stacks its boxes in one column, so its text stays
// readable (not the wide drawing shrunk to a third), and neither the page nor the diagram scrolls sideways.
import { expect, test } from 'vitest';
import { useApp } from './support/app';

const app = useApp();

/** The diagram's layout, the rendered height of its smallest text (px) and whether the page scrolls sideways. */
async function diagramAt(page: import('playwright-core').Page, width: number, height: number) {
  await page.setViewportSize({ width, height });
  const diagram = page.getByRole('img', { name: 'What RAFT trains' });
  await expect.poll(() => diagram.isVisible()).toBe(true);
  return page.evaluate(() => {
    const svg = document.querySelector('svg.diagram')!;
    const texts = [...svg.querySelectorAll('text')].map((t) => t.getBoundingClientRect().height);
    const root = document.documentElement;
    return { layout: svg.parentElement!.dataset.layout, smallestText: Math.min(...texts), overflow: root.scrollWidth - root.clientWidth, right: svg.getBoundingClientRect().right };
  });
}

test('the RAFT diagram reflows into a column on a phone, its text readable, nothing scrolling sideways', async () => {
  const { page } = await app.open();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('RAFT');

  const phone = await diagramAt(page, 390, 844);
  expect(phone.layout).toBe('column');
  // 13 px small print drawn at (nearly) full size: the wide drawing squeezed to 326 px drew it at about 6 px.
  expect(phone.smallestText).toBeGreaterThanOrEqual(11);
  expect(phone.right).toBeLessThanOrEqual(390);
  expect(phone.overflow).toBe(0);

  const desk = await diagramAt(page, 1280, 800);
  expect(desk.layout).toBe('row');
  expect(desk.smallestText).toBeGreaterThanOrEqual(11);
  expect(desk.overflow).toBe(0);
});
