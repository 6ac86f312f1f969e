import { expect, test } from '@playwright/test';
import { statSync, truncateSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePng, makeTempDir, makeWav } from '../helpers/generatedMedia';
import { startServe, type ServeHandle } from '../helpers/studioProcess';

let from: ServeHandle;
let to: ServeHandle;

test.beforeAll(async () => {
  from = await startServe(makeTempDir('e2e-archive-from'));
  to = await startServe(makeTempDir('e2e-archive-to'));
});
test.afterAll(async () => {
  await from?.stop();
  await to?.stop();
});

test('export a project as a .wanproj download and import it into another library', async ({ page }) => {
  const media = makeTempDir('e2e-archive-media');
  await page.goto(from.url);
  await page.getByRole('button', { name: /new project|create your first project/i }).first().click();
  await page.getByLabel('Project name').fill('Road trip');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Road trip' })).toBeVisible();
  await page.getByTestId('import-input').setInputFiles([makePng(join(media, 'face.png')), makeWav(join(media, 'voice.wav'), 2)]);
  await expect(page.getByTestId('import-entry').filter({ hasText: 'Imported' })).toHaveCount(2);

  await page.getByTestId('project-export').click();
  const dialog = page.getByTestId('project-export-dialog');
  await expect(dialog).toContainText('No renders yet: the archive holds the media and settings.');
  await dialog.getByTestId('project-export-start').click();
  await expect(dialog.getByTestId('project-export-result')).toContainText('Ready: road-trip.wanproj');
  await page.screenshot({ path: 'test-results/screenshots/project-export.png' });
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('project-export-download').click()]);
  expect(download.suggestedFilename()).toBe('road-trip.wanproj');
  const archive = join(media, 'road-trip.wanproj');
  await download.saveAs(archive);
  expect(statSync(archive).size).toBeGreaterThan(1000);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The other library: a cut-short archive is refused, then the whole one imports.
  await page.goto(to.url);
  const cut = join(media, 'cut.wanproj');
  copyFileSync(archive, cut);
  truncateSync(cut, Math.floor(statSync(archive).size / 2));
  await page.getByTestId('project-import-input').setInputFiles(cut);
  await expect(page.getByRole('alert').filter({ hasText: 'cut.wanproj cannot be imported' })).toContainText('Export the project again and copy the whole file');
  await expect(page.getByTestId('project-card')).toHaveCount(0);

  await page.getByTestId('project-import-input').setInputFiles(archive);
  await expect(page.getByRole('heading', { level: 1, name: 'Road trip' })).toBeVisible();
  await expect(page.getByText('Imported “Road trip”: 2 media, 0 outputs.')).toBeVisible();
  await page.getByRole('tab', { name: /Media/ }).click();
  await expect(page.getByTestId('asset-card')).toHaveCount(2);
  await page.getByRole('link', { name: 'Library' }).first().click();
  await expect(page.getByTestId('project-card')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/screenshots/library-after-project-import.png' });
});
