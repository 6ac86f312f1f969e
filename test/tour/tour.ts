// `npm run tour`: drives the whole studio the way a person would (the headless server, real media,
// the fake inference.sh service and a fixture model pack) and writes a screenshot of every main
// screen into one folder, so anyone can look at the studio in a minute.
//   npm run tour -- [--out DIR]   (default: test-results/tour)
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, expect, type Page } from '@playwright/test';
import { makeFixturePack } from '../../main/core/engines/local/fixturePack';
import { FakeInfsh } from '../fakes/infsh/fakeInfshServer';
import { makeTempDir } from '../helpers/generatedMedia';
import { realMedia, realPortrait } from '../helpers/realMedia';
import { repoRoot, runCliProcess, startServe } from '../helpers/studioProcess';

const KEY = 'inf_tour_key_0a1b2c';
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const outDir = resolve(values.out ?? join(repoRoot, 'test-results', 'tour'));
mkdirSync(outDir, { recursive: true });
// Screenshots of an earlier tour would sit between this one's under shifted numbers.
for (const f of readdirSync(outDir)) if (/^\d\d-.*\.png$/.test(f)) rmSync(join(outDir, f));

let shot = 0;
async function snap(page: Page, name: string, fullPage = true): Promise<void> {
  shot++;
  const file = join(outDir, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage });
  process.stdout.write(`  ${file}\n`);
}

async function newProject(page: Page, name: string, app: 'Speech-to-video' | 'Animate', files: string[]): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
  await page.getByRole('button', { name: /new project|create your first project/i }).first().click();
  await page.getByLabel('Project name').fill(name);
  await page.getByLabel('Kind of project').selectOption({ label: app });
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByTestId('import-input').setInputFiles(files);
  await expect(page.getByTestId('import-entry').filter({ hasText: 'Imported' })).toHaveCount(files.length, { timeout: 120_000 });
  await page.getByRole('tab', { name: app }).click();
}

const fake = await new FakeInfsh({ apiKeys: [KEY], stepMs: 300, runMs: 3000 }).start();
const home = makeTempDir('tour-home');
const pack = makeTempDir('tour-pack');
await makeFixturePack(pack);
await runCliProcess(['packs', 'import', pack, '--home', home]);
const server = await startServe(home, [], { INFERENCE_BASE_URL: fake.baseUrl, INFERENCE_API_KEY: KEY });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  expect.configure({ timeout: 30_000 });
  process.stdout.write(`Tour of the studio; screenshots in ${outDir}\n`);
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: 'No projects yet' })).toBeVisible();
  await snap(page, 'library-empty');

  // Speech-to-video: the talking character, trimmed, rendered in the cloud.
  await newProject(page, 'Megamind talking', 'Speech-to-video', [realPortrait(), realMedia('Megamind.avi')]);
  await snap(page, 's2v-editor-empty');
  await page.getByTestId('pick-portrait').getByRole('radio').first().click();
  await page.getByTestId('pick-audio').getByRole('radio', { name: /Megamind/ }).click();
  await page.getByLabel('In (seconds)').fill('1');
  await page.getByLabel('Out (seconds)').fill('5');
  await page.getByLabel('Prompt', { exact: true }).fill('an animated character talking to the camera, warm restaurant light');
  await page.getByTestId('preset-choice').selectOption({ label: 'Fast draft (built-in)' });
  await page.getByTestId('engine-choice').selectOption('cloud');
  await expect(page.getByTestId('summary-engine')).toHaveText('Cloud (inference.sh)');
  await snap(page, 's2v-editor-ready');
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await snap(page, 'timeline-zoomed');
  // A batch: six seeds, what they would cost and take before anything is queued.
  await page.getByTestId('batch-panel').locator('summary').click();
  await page.getByRole('button', { name: '6 random seeds' }).click();
  await expect(page.getByTestId('batch-estimate')).toBeVisible();
  await page.getByTestId('batch-estimate').scrollIntoViewIfNeeded();
  await snap(page, 'batch-estimate', false);
  await page.getByTestId('batch-panel').locator('summary').click();

  await page.getByTestId('render-button').click();
  const job = page.getByTestId('job').first();
  await expect(job.getByText(/^Log \(\d+\)$/)).toBeVisible();
  await job.getByText(/^Log/).click();
  await snap(page, 'render-running');
  await expect(job).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
  await snap(page, 'render-done');

  // A second take to compare with.
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();
  await page.getByLabel('Seed', { exact: true }).fill('7');
  await page.getByTestId('render-button').click();
  await expect(page.getByTestId('job').first()).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
  await page.getByTestId('output').first().getByTestId('output-compare').click();
  await snap(page, 'compare-with-input', false);
  await page.getByTestId('compare-with').selectOption({ index: 1 });
  await page.getByTestId('compare-wipe-mode').click();
  await page.getByTestId('compare-wipe').fill('40');
  await snap(page, 'compare-two-outputs-wipe', false);
  await page.getByTestId('compare-dialog').getByRole('button', { name: 'Close' }).click();
  await page.getByTestId('output').first().getByTestId('output-export').click();
  await page.getByTestId('export-format').selectOption('gif');
  await page.getByTestId('export-target-size').selectOption('8');
  await snap(page, 'export-dialog', false);
  await page.getByTestId('export-dialog').getByRole('button', { name: 'Close' }).click();
  // The whole project as one .wanproj archive, outputs ticked.
  await page.getByTestId('project-export').click();
  await page.getByTestId('project-export-start').click();
  await expect(page.getByTestId('project-export-result')).toContainText('Ready');
  await snap(page, 'project-export', false);
  await page.getByTestId('project-export-dialog').getByRole('button', { name: 'Close' }).click();

  // Animate: real pedestrians and a real person.
  await newProject(page, 'Street replacement', 'Animate', [realMedia('vtest.avi'), realMedia('messi5.jpg')]);
  await page.getByTestId('pick-video').getByRole('radio').first().click();
  await page.getByTestId('pick-character').getByRole('radio').first().click();
  await page.getByLabel('Out (seconds)').fill('3');
  // The overlays of the first frame are drawn over the player.
  await expect(page.getByTestId('preview-overlay')).toHaveAttribute('data-at', /\d/, { timeout: 120_000 });
  await expect(page.getByTestId('preview-model')).toBeVisible();
  await snap(page, 'animate-editor');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
  await snap(page, 'library');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  // Every section, not the page before its data arrived.
  await expect(page.getByRole('heading', { name: 'Animate previews' })).toBeVisible();
  await expect(page.getByLabel('Theme')).toBeVisible();
  await expect(page.getByTestId('provider-order')).toBeVisible();
  await snap(page, 'settings');
  const queue = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue' });
  if ((await queue.count()) > 0) {
    await queue.click();
    await expect(page.getByTestId('queue-summary')).toBeVisible();
    await snap(page, 'queue');
  }
  // The light theme, on the busiest screen.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Theme').selectOption('light');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
  await page.getByRole('link', { name: 'Megamind talking', exact: true }).click();
  await page.getByRole('tab', { name: 'Renders' }).click();
  await expect(page.getByTestId('output')).toHaveCount(2);
  await snap(page, 'renders-light-theme');
  process.stdout.write(`${shot} screenshots written.\n`);
} finally {
  await browser.close();
  await server.stop();
  await fake.stop();
}
