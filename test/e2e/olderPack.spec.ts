import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { homeWithFixturePack } from '../helpers/fixturePackHome';
import { importFiles, newProject } from '../helpers/e2eProjects';
import { makePng, makeTempDir } from '../helpers/generatedMedia';
import { realMedia } from '../helpers/realMedia';
import { startServe, type ServeHandle } from '../helpers/studioProcess';

let server: ServeHandle;

test.beforeAll(async () => {
  const home = await homeWithFixturePack('e2e-older-pack', (pack, manifest) => {
    // A pack from wan-export 0.1: no dit.attention, so its attention is MatMul + Softmax.
    const { attention: _, ...olderDit } = manifest.dit;
    writeFileSync(join(pack, 'manifest.json'), JSON.stringify({ ...manifest, dit: olderDit }));
  });
  server = await startServe(home, [], { INFERENCE_API_KEY: '' });
});
test.afterAll(async () => {
  await server?.stop();
});

test('a pack from an older exporter: a clip its attention cannot fit is in the live list with what fits, and fewer frames per chunk clear it', async ({ page }) => {
  await newProject(page, server.url, 'Older pack');
  const portrait = makePng(join(makeTempDir('e2e-older-pack-media'), 'wide portrait.png'), '1280x720');
  await importFiles(page, [portrait, realMedia('Megamind.avi')]);
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();
  await page.getByTestId('pick-portrait').getByRole('radio').first().click();
  await page.getByTestId('pick-audio').getByRole('radio', { name: /Megamind/ }).click();
  await page.getByLabel('Prompt', { exact: true }).fill('a character talking');
  await page.getByLabel('Resolution', { exact: true }).selectOption('720p');
  await page.getByText(/^Advanced/).click();
  await page.getByLabel('Frames per chunk', { exact: true }).fill('161');
  await page.getByTestId('engine-choice').selectOption('local');

  const problems = page.getByTestId('render-problems');
  await expect(problems).toContainText(/Resolution 720p \(1280x704 for this portrait\) with Frames per chunk 161 needs about \d+ GB for the model's attention; this computer has \d+ GB\. To render here, choose Frames per chunk at most \d+ \(under Advanced\) or Resolution 480p/);
  await expect(problems).toContainText('a pack exported again with the current one (wan-export 0.2) computes attention without this limit.');
  await expect(page.getByTestId('render-button')).toBeDisabled();
  await page.screenshot({ path: 'test-results/screenshots/older-pack-attention.png', fullPage: true });

  // The size it names fits: the problem goes.
  const most = /Frames per chunk at most (\d+)/.exec((await problems.textContent()) ?? '')?.[1] ?? '';
  await page.getByLabel('Frames per chunk', { exact: true }).fill(most);
  await expect(problems).toHaveCount(0);
  await expect(page.getByTestId('render-button')).toBeEnabled();
});
