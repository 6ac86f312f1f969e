import { expect, test, type Page } from '@playwright/test';
import { silentLogger } from '../../main/core/logger';
import { createStudioCore } from '../../main/core/studioCore';
import { FakeInfsh } from '../fakes/infsh/fakeInfshServer';
import { s2vProject } from '../helpers/cloudStudio';
import { join } from 'node:path';
import { makeTempDir, makeWav } from '../helpers/generatedMedia';
import { startServe, type ServeHandle } from '../helpers/studioProcess';

const KEY = 'inf_e2e_key_batch_77';
let fake: FakeInfsh;
let server: ServeHandle;
let projectId: string;

test.beforeAll(async () => {
  fake = await new FakeInfsh({ apiKeys: [KEY], stepMs: 20, runMs: 200 }).start();
  const home = makeTempDir('e2e-batch-home');
  const env = { INFERENCE_BASE_URL: fake.baseUrl, INFERENCE_API_KEY: KEY };
  const core = await createStudioCore({ home, log: silentLogger, env });
  projectId = await s2vProject(core);
  // A second audio file, for a batch over the project's audio files.
  const wav = makeWav(join(makeTempDir('e2e-batch-media'), 'song.wav'), 1, 44100);
  await core.library.importFile({ projectId, path: wav, displayName: 'song.wav', move: false });
  core.library.updateProjectState(projectId, { engine: 'cloud' });
  await core.dispose();
  server = await startServe(home, [], env);
});
test.afterAll(async () => {
  await server?.stop();
  await fake?.stop();
});

const waitingIds = (page: Page) => page.locator('[data-testid="queue-row"][data-status="queued"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-job')));

test('a batch of 6 seeds from the editor: reorder it in the Queue, pause, reload, resume, and see the grid of outputs labelled by seed', async ({ page }) => {
  // Notifications allowed, and recorded as the page makes them.
  await page.context().grantPermissions(['notifications'], { origin: server.origin });
  await page.addInitScript(() => {
    const Real = window.Notification;
    const seen: string[] = [];
    (window as unknown as { seenNotifications: string[] }).seenNotifications = seen;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        seen.push(`${title}: ${options?.body ?? ''}`);
      }
    }
    window.Notification = Recorded as typeof Notification;
    // The end sound, as the page plays it: count the notes.
    const notes: number[] = [];
    (window as unknown as { playedNotes: number[] }).playedNotes = notes;
    const create = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      const osc = create.call(this);
      queueMicrotask(() => notes.push(osc.frequency.value));
      return osc;
    };
  });
  const playedNotes = () => page.evaluate(() => (window as unknown as { playedNotes: number[] }).playedNotes);
  // The sound when work ends is off until it is turned on in Settings.
  await page.goto(`${server.url}#/settings`);
  await expect(page.getByTestId('sound-on-end')).not.toBeChecked();
  await page.getByTestId('sound-on-end').click();
  await expect(page.getByTestId('sound-on-end')).toBeChecked();
  // Hold the queue first, so the batch waits to be reordered.
  await page.goto(`${server.url}#/queue`);
  await page.getByTestId('queue-hold').click();
  await expect(page.getByTestId('queue-held')).toBeVisible();

  await page.goto(`${server.url}#/project/${projectId}`);
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();
  await page.getByTestId('batch-panel').locator('summary').click();
  await page.getByTestId('batch-name').fill('Seeds');
  await page.getByTestId('batch-values').fill('1, 2, x');
  await expect(page.getByTestId('batch-panel').getByRole('alert')).toHaveText(/Seed "x" must be a whole number/);
  await expect(page.getByTestId('batch-queue')).toBeDisabled();
  await page.getByTestId('batch-values').fill('1, 2, 3, 4, 5, 6');
  // Before queuing: the paid cloud renders it starts, and no time yet (no finished render like these).
  await expect(page.getByTestId('batch-estimate-cost')).toHaveText('Starts 6 cloud renders on inference.sh (each one is paid).');
  await expect(page.getByTestId('batch-estimate-time')).toHaveText('No history yet: no finished cloud render like these to estimate the time from.');
  await expect(page.getByTestId('batch-queue')).toHaveText('Queue 6 cloud renders');
  await page.screenshot({ path: 'test-results/screenshots/batch-editor.png', fullPage: true });
  await page.getByTestId('batch-queue').click();
  await expect(page.getByRole('tab', { name: 'Renders' })).toHaveAttribute('aria-selected', 'true');

  await page.goto(`${server.url}#/queue`);
  await expect.poll(() => waitingIds(page).then((ids) => ids.length)).toBe(6);
  await expect(page.locator('[data-testid="queue-row"][data-status="queued"]').first()).toContainText('Seeds: seed 1');
  const before = await waitingIds(page);
  await page.locator(`[data-job="${before[5]}"]`).getByRole('button', { name: 'Move to top' }).click();
  const order = [before[5], ...before.slice(0, 5)];
  await expect.poll(() => waitingIds(page)).toEqual(order);
  await page.reload();
  await expect(page.getByTestId('queue-held')).toBeVisible();
  await expect.poll(() => waitingIds(page)).toEqual(order);
  await page.getByTestId('queue-hold').click();
  // The moved job starts first.
  await expect(page.locator(`[data-job="${before[5]}"]`)).not.toHaveAttribute('data-status', 'queued', { timeout: 20_000 });
  await expect(page.getByTestId('queue-summary')).toHaveText('0 rendering · 0 waiting · 0 paused · 6 ended', { timeout: 90_000 });
  // Nothing left to wait for: no time estimate to give.
  await expect(page.getByTestId('queue-total-eta')).toHaveCount(0);
  await expect(page.locator('[data-testid="queue-row"][data-status="completed"]')).toHaveCount(6);
  // One notification for the whole batch, none per job.
  await expect.poll(() => page.evaluate(() => (window as unknown as { seenNotifications: string[] }).seenNotifications)).toEqual(['Batch finished: Seeds: 6 of 6 renders done.']);
  // One sound when the last render has finished (two notes up), none per job.
  await expect.poll(playedNotes).toEqual([660, 880]);
  await page.screenshot({ path: 'test-results/screenshots/batch-queue-done.png' });

  await page.goto(`${server.url}#/project/${projectId}`);
  await page.getByRole('tab', { name: 'Renders' }).click();
  const group = page.getByTestId('output-group').filter({ hasText: 'Batch: Seeds' });
  await expect(group.getByTestId('output')).toHaveCount(6);
  const labels = await group.getByTestId('output-label').allTextContents();
  expect(labels.sort()).toEqual(['seed 1', 'seed 2', 'seed 3', 'seed 4', 'seed 5', 'seed 6']);
  await group.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/batch-outputs.png', fullPage: true });

  // The next batch is estimated from the six that finished: the median time of one, side by side two at a time.
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();
  await page.getByTestId('batch-panel').locator('summary').click();
  await page.getByTestId('batch-values').fill('7, 8, 9');
  await expect(page.getByTestId('batch-estimate-cost')).toHaveText('Starts 3 cloud renders on inference.sh (each one is paid).');
  await expect(page.getByTestId('batch-estimate-time')).toHaveText(/^Expected about \d+ s each, about \d+ s for the batch with 2 at once, from 6 finished cloud renders\.$/);
  await page.getByTestId('batch-estimate').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/batch-estimate.png' });

  // A batch over the project's audio files: one render each, labelled by file.
  await page.getByTestId('batch-kind').selectOption('files');
  await page.getByTestId('batch-name').fill('Voices');
  await page.getByTestId('batch-files').getByLabel('voice.wav').check();
  await page.getByTestId('batch-files').getByLabel('song.wav').check();
  await expect(page.getByTestId('batch-estimate-cost')).toHaveText('Starts 2 cloud renders on inference.sh (each one is paid).');
  await page.getByTestId('batch-files').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/batch-files.png' });
  await page.getByTestId('batch-queue').click();
  await page.getByRole('tab', { name: 'Renders' }).click();
  const voices = page.getByTestId('output-group').filter({ hasText: 'Batch: Voices' });
  await expect(voices.getByTestId('output')).toHaveCount(2, { timeout: 60_000 });
  expect((await voices.getByTestId('output-label').allTextContents()).sort()).toEqual(['song.wav', 'voice.wav']);
});
