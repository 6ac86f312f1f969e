import { expect, test, type Page } from '@playwright/test';
import { silentLogger } from '../../main/core/logger';
import { createStudioCore } from '../../main/core/studioCore';
import { FakeInfsh } from '../fakes/infsh/fakeInfshServer';
import { s2vProject } from '../helpers/cloudStudio';
import { makeTempDir } from '../helpers/generatedMedia';
import { startServe, type ServeHandle } from '../helpers/studioProcess';

const KEY = 'inf_e2e_key_queue_51';
let fake: FakeInfsh;
let server: ServeHandle;
let home: string;

test.beforeAll(async () => {
  // Long cloud tasks: the jobs the queue starts stay "rendering" while the test looks at them.
  fake = await new FakeInfsh({ apiKeys: [KEY], stepMs: 100, runMs: 120_000 }).start();
  home = makeTempDir('e2e-queue-home');
  const env = { INFERENCE_BASE_URL: fake.baseUrl, INFERENCE_API_KEY: KEY };
  const core = await createStudioCore({ home, log: silentLogger, env });
  const first = await s2vProject(core);
  core.library.renameProject(first, 'Portrait A');
  const second = await s2vProject(core);
  core.library.renameProject(second, 'Portrait B');
  await core.dispatch('queue.pauseAll', {}, { transport: 'cli' });
  const seeds = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ params: { seed: from + i } }));
  const a = await core.dispatch('queue.addBatch', { projectId: first, name: 'Seeds', engine: 'cloud', variations: seeds(1, 6) }, { transport: 'cli' });
  const b = await core.dispatch('queue.addBatch', { projectId: second, name: 'Many', engine: 'cloud', variations: seeds(100, 500) }, { transport: 'cli' });
  if (!a.ok || !b.ok) throw new Error('could not queue the batches');
  await core.dispose();
  server = await startServe(home, [], env);
});
test.afterAll(async () => {
  await server?.stop();
  await fake?.stop();
});

const rows = (page: Page) => page.getByTestId('queue-row');
const waitingIds = (page: Page) => page.locator('[data-testid="queue-row"][data-status="queued"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-job')));
const row = (page: Page, place: number) => page.locator('[data-testid="queue-row"][data-status="queued"]').nth(place);

test('the queue across projects: reorder by buttons, keyboard and drag, pause jobs and the queue, survive reload, resume, cancel, remove', async ({ page }) => {
  await page.goto(`${server.url}#/queue`);
  await expect(page.getByTestId('queue-held')).toBeVisible();
  await expect(page.getByTestId('queue-summary')).toHaveText('0 rendering · 506 waiting · 0 paused · 0 ended');
  await expect(page.getByTestId('queue-total-eta')).toHaveText('No estimate yet (no finished renders like these)');
  // 506 jobs: one page of 500, and only the rows in view are in the page.
  await expect(page.getByText('1–500 of 506')).toBeVisible();
  expect(await rows(page).count()).toBeLessThan(60);
  await expect(row(page, 0)).toContainText('Portrait A');
  await expect(row(page, 0)).toContainText('Seeds: seed 1');
  // Each row shows its input picture, the thumbnail made at import, served by the media route.
  const thumb = row(page, 0).getByTestId('queue-thumbs').getByRole('img', { name: 'portrait.png' });
  await expect(thumb).toBeVisible();
  await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/screenshots/queue-held.png' });

  const before = await waitingIds(page);
  const [j0, j1, j2, j3, j4] = before as [string, string, string, string, string];
  // Buttons: job 3 to the top.
  await row(page, 2).getByRole('button', { name: 'Move to top' }).click();
  await expect.poll(() => waitingIds(page).then((ids) => ids.slice(0, 5))).toEqual([j2, j0, j1, j3, j4]);
  // Keyboard: Alt+↓ on the first row.
  await row(page, 0).focus();
  await page.keyboard.press('Alt+ArrowDown');
  await expect.poll(() => waitingIds(page).then((ids) => ids.slice(0, 5))).toEqual([j0, j2, j1, j3, j4]);
  // Drag: the fifth row onto the first.
  await row(page, 4).dragTo(row(page, 0));
  await expect.poll(() => waitingIds(page).then((ids) => ids.slice(0, 5))).toEqual([j4, j0, j2, j1, j3]);
  // Hold one job in its place.
  await row(page, 1).getByRole('button', { name: 'Pause' }).click();
  await expect(page.locator(`[data-job="${j0}"]`)).toHaveAttribute('data-paused', 'true');
  const left = await waitingIds(page);

  // Reload: the same order, the same holds, the queue still paused.
  await page.reload();
  await expect(page.getByTestId('queue-held')).toBeVisible();
  await expect.poll(() => waitingIds(page)).toEqual(left);
  await expect(page.locator(`[data-job="${j0}"]`)).toHaveAttribute('data-paused', 'true');
  await expect(page.getByTestId('queue-summary')).toHaveText('0 rendering · 505 waiting · 1 paused · 0 ended');

  // Scrolling to the end draws the last rows (virtualised list).
  await page.getByTestId('queue-viewport').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.locator('[data-testid="queue-row"]').last()).toContainText('⠿ 500');
  await page.getByTestId('queue-viewport').evaluate((el) => (el.scrollTop = 0));

  // Resume: two cloud jobs at once (Settings' default), the held job keeps waiting.
  await page.getByTestId('queue-hold').click();
  await expect(page.getByTestId('queue-held')).toHaveCount(0);
  await expect(page.locator('[data-testid="queue-row"][data-status="running"]')).toHaveCount(2, { timeout: 20_000 });
  const running = await page.locator('[data-testid="queue-row"][data-status="running"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-job')));
  expect(running.sort()).toEqual([j4, j2].sort());
  await expect(page.locator(`[data-job="${j0}"]`)).toHaveAttribute('data-status', 'queued');
  await expect(page.locator('[data-testid="queue-row"][data-status="running"]').first()).toContainText(/Uploading|Submitting|Queued|Assigned|Preparing|Loading|Rendering|Setting up/);
  // A running cloud render cannot be paused (its task goes on, paid): the button says so.
  const runningPause = page.locator(`[data-job="${j4}"]`).getByTestId('queue-pause-running');
  await expect(runningPause.getByRole('button')).toHaveText("Can't pause");
  await expect(runningPause.getByRole('button')).toBeDisabled();
  await expect(runningPause).toHaveAttribute('title', /^A cloud render cannot be paused: inference\.sh goes on running its task \(and charging for it\)\./);
  await page.screenshot({ path: 'test-results/screenshots/queue-running.png' });

  // Hold again: the running jobs go on, nothing new starts. Cancel one, then clear it.
  await page.getByTestId('queue-hold').click();
  await expect(page.getByTestId('queue-held')).toBeVisible();
  await page.locator(`[data-job="${j4}"]`).getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('queue-summary')).toHaveText('1 rendering · 503 waiting · 1 paused · 1 ended', { timeout: 20_000 });
  // Ended jobs come after the waiting ones: on the second page here.
  await page.getByRole('button', { name: 'Next 500' }).click();
  await expect(page.getByText('501–506 of 506')).toBeVisible();
  const cancelled = page.locator(`[data-job="${j4}"]`);
  await expect(cancelled).toHaveAttribute('data-status', 'cancelled');
  await page.screenshot({ path: 'test-results/screenshots/queue-page-two.png' });
  await cancelled.getByRole('button', { name: 'Remove' }).click();
  await expect(cancelled).toHaveCount(0);
  await expect(page.getByTestId('queue-summary')).toHaveText('1 rendering · 503 waiting · 1 paused · 0 ended');
});
