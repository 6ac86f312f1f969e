import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { homeWithFixturePack } from '../helpers/fixturePackHome';
import { importFiles, newProject } from '../helpers/e2eProjects';
import { makePng, makeTempDir } from '../helpers/generatedMedia';
import { realMedia } from '../helpers/realMedia';
import { startServe, type ServeHandle } from '../helpers/studioProcess';

let server: ServeHandle;

test.beforeAll(async () => {
  server = await startServe(await homeWithFixturePack('e2e-local'), [], { INFERENCE_API_KEY: '' });
});
test.afterAll(async () => {
  await server?.stop();
});

test('Settings shows the installed pack and why the GPU providers were skipped', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('packs')).toContainText('wan-s2v-fixture');
  await expect(page.getByTestId('packs')).toContainText('first block cache');
  await expect(page.getByTestId('pack-memory')).toHaveText(/^\d+(\.\d)? (KB|MB)$/);
  await expect(page.getByTestId('pack-memory-problem')).toHaveCount(0);
  await expect(page.getByTestId('provider-order')).toHaveText('CPU');
  await expect(page.getByTestId('local-settings')).toContainText("ONNX Runtime's CUDA provider files are not installed");
  await page.screenshot({ path: 'test-results/screenshots/settings-local-engine.png', fullPage: true });
});

test('S2V on this computer: render with the fixture pack, watch the clips, play the result', async ({ page }) => {
  await newProject(page, server.url, 'Local portrait');
  const portrait = makePng(join(makeTempDir('e2e-local-media'), 'small portrait.png'), '240x320');
  await importFiles(page, [portrait, realMedia('Megamind.avi')]);
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();
  await page.getByTestId('pick-portrait').getByRole('radio').first().click();
  await page.getByTestId('pick-audio').getByRole('radio', { name: /Megamind/ }).click();
  await page.getByLabel('In (seconds)').fill('2');
  await page.getByLabel('Out (seconds)').fill('4.5');
  await page.getByLabel('Prompt', { exact: true }).fill('a character talking');
  await page.getByTestId('engine-choice').selectOption('local');
  await page.getByTestId('render-button').click();
  const job = page.getByTestId('job').first();
  await expect(job).toContainText(/Clip 1 of|Loading the model pack|Preparing/);
  await expect(job).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  await expect(job).toContainText('Local');
  const video = page.getByTestId('output').first().getByTestId('output-video');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState >= 1 && v.videoWidth), { timeout: 15_000 }).toBe(256);
  expect(await video.evaluate((v: HTMLVideoElement) => v.duration)).toBeCloseTo(2.5, 0);
  await page.screenshot({ path: 'test-results/screenshots/local-output.png', fullPage: true });
});
