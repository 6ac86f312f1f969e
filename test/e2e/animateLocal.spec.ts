import { expect, test, type Page } from '@playwright/test';
import { writeInstallableAnimatePack } from '../helpers/animateInstallablePack';
import { makeTempDir } from '../helpers/generatedMedia';
import { realMedia } from '../helpers/realMedia';
import { runCliProcess, startServe, type ServeHandle } from '../helpers/studioProcess';

/** Animate on this computer once an Animate pack is installed: offered, chosen by Automatic, its limits shown before queueing. */
let server: ServeHandle;

test.beforeAll(async () => {
  const home = makeTempDir('e2e-animate-local-home');
  const pack = makeTempDir('e2e-animate-local-pack');
  await writeInstallableAnimatePack(pack);
  const imported = await runCliProcess(['packs', 'import', pack, '--home', home]);
  expect(imported.stderr).toBe('');
  expect(imported.code).toBe(0);
  server = await startServe(home, [], { INFERENCE_API_KEY: '' });
});
test.afterAll(async () => {
  await server?.stop();
});

async function animateProject(page: Page, name: string) {
  await page.goto(server.url);
  await page.getByRole('button', { name: /new project|create your first project/i }).first().click();
  await page.getByLabel('Project name').fill(name);
  await page.getByLabel('Kind of project').selectOption({ label: 'Animate' });
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await page.getByTestId('import-input').setInputFiles([realMedia('vtest.avi'), realMedia('messi5.jpg')]);
  await expect(page.getByTestId('import-entry').filter({ hasText: 'Imported' })).toHaveCount(2, { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Animate' }).click();
  await page.getByTestId('pick-video').getByRole('radio').first().click();
  await page.getByTestId('pick-character').getByRole('radio').first().click();
}

test('with an Animate pack installed, "This computer" is offered for Animate; the 60 s local limit shows before rendering and goes with a trim', async ({ page }) => {
  await animateProject(page, 'Pedestrians here');
  const local = page.getByTestId('engine-choice').locator('option[value=local]');
  await expect(local).toBeEnabled();
  await expect(local).toHaveText('This computer');
  await expect(page.getByTestId('summary-engine-reason')).toContainText('Automatic: this computer, because an Animate model pack is installed.');
  // vtest.avi is 79.5 s: a local render refuses it, naming the field and what to do.
  const problems = page.getByTestId('render-problems');
  await expect(problems).toContainText('Driving video: 79.5 s is longer than the 60 s limit of a local Animate render. Trim it to 60 s or less, or render it in the cloud.');
  await expect(page.getByTestId('render-button')).toBeDisabled();
  await expect(problems).not.toContainText('Character');
  await page.screenshot({ path: 'test-results/screenshots/animate-local-limit.png', fullPage: true });
  await page.getByLabel('Out (seconds)').fill('20');
  await page.getByLabel('Out (seconds)').press('Tab');
  await expect(page.getByText('60 s limit')).toHaveCount(0);
  await expect(page.getByTestId('render-button')).toBeEnabled();
  await expect(page.getByTestId('summary-engine')).toHaveText('This computer');
  // Animation mode generates at Width x Height as an area with the character's aspect (messi5.jpg, 548x342).
  await expect(page.getByTestId('summary-size')).toHaveText('1392×864 at 30 fps');
  await page.screenshot({ path: 'test-results/screenshots/animate-local-offered.png', fullPage: true });
});
