import { expect, test, type Page } from '@playwright/test';
import { FakeInfsh } from '../fakes/infsh/fakeInfshServer';
import { makeTempDir } from '../helpers/generatedMedia';
import { realMedia, realPortrait } from '../helpers/realMedia';
import { startServe, type ServeHandle } from '../helpers/studioProcess';

const KEY = 'inf_e2e_key_7c41d2';
let fake: FakeInfsh;
let server: ServeHandle;

test.beforeAll(async () => {
  fake = await new FakeInfsh({ apiKeys: [KEY], stepMs: 150, runMs: 1500 }).start();
  server = await startServe(makeTempDir('e2e-cloud-home'), [], { INFERENCE_BASE_URL: fake.baseUrl, INFERENCE_API_KEY: KEY });
});
test.afterAll(async () => {
  await server?.stop();
  await fake?.stop();
});

async function newProject(page: Page, name: string, app: 'Speech-to-video' | 'Animate') {
  await page.goto(server.url);
  await page.getByRole('button', { name: /new project|create your first project/i }).first().click();
  await page.getByLabel('Project name').fill(name);
  await page.getByLabel('Kind of project').selectOption({ label: app });
  await page.getByRole('button', { name: 'Create' }).click();
}

test('S2V in the cloud: set up, see problems, render, watch progress, play the output, export it', async ({ page }) => {
  await newProject(page, 'Megamind on the cloud', 'Speech-to-video');
  await page.getByTestId('import-input').setInputFiles([realPortrait(), realMedia('Megamind.avi')]);
  await expect(page.getByTestId('import-entry').filter({ hasText: 'Imported' })).toHaveCount(2, { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();

  // Nothing chosen yet: the Render button says what is missing instead of failing later.
  await expect(page.getByTestId('render-button')).toBeDisabled();
  await expect(page.getByTestId('render-problems')).toContainText('Portrait: none chosen.');
  await expect(page.getByTestId('render-problems')).toContainText('Prompt: describe the video');

  await page.getByTestId('pick-portrait').getByRole('radio').first().click();
  await page.getByTestId('pick-audio').getByRole('radio', { name: /Megamind/ }).click();
  await page.getByLabel('In (seconds)').fill('1');
  await page.getByLabel('Out (seconds)').fill('4');
  await page.getByLabel('Prompt', { exact: true }).fill('an animated blue character talking, studio light');
  await page.getByLabel('Resolution', { exact: true }).selectOption('480p');
  // A rule broken in the advanced fold shows on its field, with the rule.
  await page.getByText(/^Advanced/).click();
  await page.getByLabel('Frames per second', { exact: true }).fill('7');
  await expect(page.getByTestId('param-fps')).toContainText('Frames per second: must be at least 8');
  await expect(page.getByTestId('render-button')).toBeDisabled();
  await page.getByLabel('Frames per second', { exact: true }).fill('16');
  await page.getByLabel('Seed', { exact: true }).fill('1234');
  await page.getByTestId('engine-choice').selectOption('cloud');
  await expect(page.getByTestId('render-problems')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/s2v-render-settings.png', fullPage: true });
  await page.getByTestId('render-button').click();

  // The Renders tab: the job moves through the cloud's stages and finishes.
  const job = page.getByTestId('job').first();
  await expect(job).toBeVisible();
  await expect(job).toContainText(/Uploading|Submitting|Queued|Assigned|Preparing|Loading|Rendering/);
  await page.screenshot({ path: 'test-results/screenshots/s2v-render-running.png', fullPage: true });
  await expect(job).toHaveAttribute('data-status', 'completed', { timeout: 45_000 });
  await expect(job).toContainText('seed 1234');
  await expect(job.getByTestId('job-elapsed')).toHaveText(/^\d+:\d\d$/);

  const output = page.getByTestId('output').first();
  await expect(output).toBeVisible();
  const video = output.getByTestId('output-video');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState >= 1 && v.duration), { timeout: 15_000 }).toBeGreaterThan(2.5);
  // The trimmed 3 s of speech, not the whole clip.
  expect(await video.evaluate((v: HTMLVideoElement) => v.duration)).toBeLessThan(3.6);
  await page.screenshot({ path: 'test-results/screenshots/s2v-output.png', fullPage: true });

  // Export: a preset with a progress bar, a cancel, then a finished file to download.
  await output.getByTestId('output-export').click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.getByTestId('export-fps').selectOption('60');
  await dialog.getByTestId('export-height').selectOption('2160');
  await dialog.getByTestId('export-start').click();
  await expect(dialog.getByTestId('export-progress')).toBeVisible();
  await dialog.getByTestId('export-cancel').click();
  await expect(dialog.getByTestId('export-error')).toContainText(/cancel/i);
  await dialog.getByTestId('export-fps').selectOption('');
  await dialog.getByTestId('export-height').selectOption('');
  await dialog.getByTestId('export-format').selectOption('gif');
  await dialog.getByTestId('export-target-size').selectOption('8');
  await dialog.getByTestId('export-start').click();
  await expect(dialog.getByTestId('export-result')).toContainText('Exported', { timeout: 30_000 });
  const href = await dialog.getByRole('link', { name: 'Download' }).getAttribute('href');
  const res = await page.request.get(new URL(href!, server.origin).toString());
  expect(res.status()).toBe(200);
  expect((await res.body()).subarray(0, 6).toString('latin1')).toBe('GIF89a');
  expect((await res.body()).length).toBeLessThanOrEqual(8_000_000);
  await page.screenshot({ path: 'test-results/screenshots/export-dialog.png' });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(output.getByTestId('export-link')).toHaveCount(1);

  // The key never reached the page.
  const html = await page.content();
  expect(html).not.toContain(KEY);
});

test('Animate replacement in the cloud with real pedestrians and a real person', async ({ page }) => {
  await newProject(page, 'Street replacement', 'Animate');
  await page.getByTestId('import-input').setInputFiles([realMedia('vtest.avi'), realMedia('messi5.jpg')]);
  await expect(page.getByTestId('import-entry').filter({ hasText: 'Imported' })).toHaveCount(2, { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Animate' }).click();
  await page.getByTestId('pick-video').getByRole('radio').first().click();
  await page.getByTestId('pick-character').getByRole('radio').first().click();
  await page.getByLabel('Out (seconds)').fill('2');
  await page.getByLabel('Mode', { exact: true }).selectOption('replacement');
  await page.getByText(/^Advanced/).click();
  await page.getByLabel('Frames per clip').fill('76');
  await expect(page.getByTestId('param-clip_len')).toContainText('Frames per clip 76: must be 4n+1, like 73 or 77');
  await page.getByLabel('Frames per clip').fill('77');
  await page.getByLabel('Width', { exact: true }).fill('512');
  await page.getByLabel('Height', { exact: true }).fill('512');
  await page.getByTestId('engine-choice').selectOption('cloud');
  await page.getByTestId('render-button').click();
  const job = page.getByTestId('job').first();
  await expect(job).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
  const video = page.getByTestId('output').first().getByTestId('output-video');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState >= 1 && v.videoWidth), { timeout: 15_000 }).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/screenshots/animate-output.png', fullPage: true });
});

test('Settings → Cloud shows where the key comes from without showing it, and checks the connection', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('cloud-key-status')).toContainText('INFERENCE_API_KEY');
  await expect(page.getByTestId('cloud-base-url')).toContainText(fake.baseUrl);
  await page.getByTestId('cloud-check').click();
  await expect(page.getByTestId('cloud-check-result')).toContainText('the key was accepted');
  await page.getByTestId('cloud-schema').click();
  await expect(page.getByTestId('cloud-schema-result')).toContainText('infsh/wan-2-2-s2v: matches the studio.');
  await expect(page.getByTestId('cloud-schema-result')).toContainText('infsh/wan-2-2-animate-v2v: matches the studio.');
  expect(await page.content()).not.toContain(KEY);
});
