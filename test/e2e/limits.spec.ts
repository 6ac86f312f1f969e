import { expect, test } from '@playwright/test';
import { makeTempDir } from '../helpers/generatedMedia';
import { startServe, type ServeHandle } from '../helpers/studioProcess';

let server: ServeHandle;

test.beforeAll(async () => {
  server = await startServe(makeTempDir('e2e-limits-home'));
});
test.afterAll(async () => {
  await server?.stop();
});

test('a 1 MiB paste into the prompt is cut to what a draft keeps; the studio stays connected and says the rule', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('button', { name: /new project|create your first project/i }).first().click();
  await page.getByLabel('Project name').fill('Long prompt');
  await page.getByLabel('Kind of project').selectOption({ label: 'Speech-to-video' });
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();

  const prompt = page.getByLabel('Prompt', { exact: true });
  await prompt.fill('x'.repeat(1024 * 1024));
  expect(await prompt.evaluate((el: HTMLTextAreaElement) => el.value.length)).toBe(10_000);
  await expect(page.getByTestId('param-prompt')).toContainText('Prompt: must be at most 2000 characters');
  await page.screenshot({ path: 'test-results/screenshots/long-prompt.png', fullPage: true });

  // The draft was saved (the page is still connected): a reload shows the cut prompt.
  await expect.poll(async () => {
    await page.reload();
    await page.getByRole('tab', { name: 'Speech-to-video' }).click();
    return page.getByLabel('Prompt', { exact: true }).evaluate((el: HTMLTextAreaElement) => el.value.length);
  }).toBe(10_000);
  expect(server.proc.exitCode).toBeNull();
});
