import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeFixturePack } from '../../main/core/engines/local/fixturePack';
import { FakeInfsh } from '../fakes/infsh/fakeInfshServer';
import { importFiles, newProject as newProjectAt } from '../helpers/e2eProjects';
import { makePng, makeTempDir, makeWav } from '../helpers/generatedMedia';
import { realMedia, realPortrait } from '../helpers/realMedia';
import { runCliProcess, startServe, type ServeHandle } from '../helpers/studioProcess';

/**
 * The editor a person trusts: what is on screen is what renders, problems show before Render,
 * and a failed render offers only what can help. Both engines are available: a fixture model
 * pack on this computer and the fake inference.sh service.
 */
const KEY = 'inf_e2e_editor_key_51ac';
let fake: FakeInfsh;
let server: ServeHandle;
let home: string;

test.beforeAll(async () => {
  fake = await new FakeInfsh({ apiKeys: [KEY], stepMs: 100, runMs: 1200 }).start();
  home = makeTempDir('e2e-editor-home');
  const pack = makeTempDir('e2e-editor-pack');
  await makeFixturePack(pack);
  expect((await runCliProcess(['packs', 'import', pack, '--home', home])).code).toBe(0);
  server = await startServe(home, [], { INFERENCE_BASE_URL: fake.baseUrl, INFERENCE_API_KEY: KEY });
});
test.afterAll(async () => {
  await server?.stop();
  await fake?.stop();
});
test.beforeEach(() => {
  fake.faults.failTask = null;
  fake.faults.stallTasks = false;
  fake.faults.extraLog = null;
});

const newProject = (page: Page, name: string, app?: 'Speech-to-video' | 'Animate') => newProjectAt(page, server.url, name, app);

/** A talking-head S2V project with the portrait and Megamind's voice picked, trimmed to 1–4 s. */
async function megamindS2v(page: Page, name: string) {
  await newProject(page, name, 'Speech-to-video');
  await importFiles(page, [realPortrait(), realMedia('Megamind.avi')]);
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();
  await page.getByTestId('pick-portrait').getByRole('radio').first().click();
  await page.getByTestId('pick-audio').getByRole('radio', { name: /Megamind/ }).click();
  await page.getByLabel('In (seconds)').fill('1');
  await page.getByLabel('Out (seconds)').fill('4');
}

const saved = (page: Page) => expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');

test('what is on screen is what renders: the draft survives tab switches and reloads, and the summary names the engine that runs', async ({ page }) => {
  await megamindS2v(page, 'Stale draft check');
  const prompt = page.getByLabel('Prompt', { exact: true });
  await prompt.fill('an old prompt');
  await page.getByLabel('Resolution', { exact: true }).selectOption('480p');
  // Automatic picks this computer: the fixture pack is installed; the summary says why.
  await expect(page.getByTestId('summary-engine')).toHaveText('This computer');
  await expect(page.getByTestId('summary-engine-reason')).toContainText('Automatic: this computer, because an S2V model pack is installed.');
  await prompt.fill('an animated blue character explaining his plan');
  await page.getByTestId('engine-choice').selectOption('cloud');

  // Away to the media and back, at once (no time for a save to land): the form shows the draft.
  await page.getByRole('tab', { name: /Media/ }).click();
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();
  await expect(prompt).toHaveValue('an animated blue character explaining his plan');
  await expect(page.getByTestId('engine-choice')).toHaveValue('cloud');

  // A reload reads the same state.
  await saved(page);
  await page.reload();
  await expect(page.getByLabel('Prompt', { exact: true })).toHaveValue('an animated blue character explaining his plan');
  await expect(page.getByTestId('engine-choice')).toHaveValue('cloud');
  await expect(page.getByLabel('Out (seconds)')).toHaveValue('4');

  // Render says what it will submit: the engine that actually runs, prompt, trim, size.
  const summary = page.getByTestId('render-summary');
  await expect(page.getByTestId('summary-engine')).toHaveText('Cloud (inference.sh)');
  await expect(page.getByTestId('summary-prompt')).toHaveText('an animated blue character explaining his plan');
  await expect(summary.getByTestId('summary-input').filter({ hasText: 'Megamind.avi' })).toContainText('0:01.00 → 0:04.00 (3.00 s)');
  await expect(page.getByTestId('summary-size')).toContainText(/^\d+×\d+ at 16 fps$/);
  await page.screenshot({ path: 'test-results/screenshots/editor-render-summary.png', fullPage: true });

  await page.getByTestId('render-button').click();
  const job = page.getByTestId('job').first();
  await expect(job).toContainText('Cloud');
  await expect(job).toHaveAttribute('data-status', 'completed', { timeout: 45_000 });
  // A notice says so, wherever one is in the studio.
  await expect(page.getByTestId('toast-info').filter({ hasText: 'Render finished' })).toBeVisible();
  await expect(page.getByTestId('output').first()).toContainText('an animated blue character explaining his plan');
  expect([...fake.tasks.values()].at(-1)?.dto.input).toMatchObject({ prompt: 'an animated blue character explaining his plan', resolution: '480p' });
  // The library card says where the project's newest render stands.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
  const card = page.getByTestId('project-card').filter({ hasText: 'Stale draft check' });
  await expect(card.getByTestId('card-render')).toHaveText('Last render done');
});

test('problems that used to show only after Render are in the live list, worded with the labels on screen', async ({ page }) => {
  const dir = makeTempDir('e2e-editor-media');
  await newProject(page, 'Live problems', 'Speech-to-video');
  await importFiles(page, [makePng(join(dir, 'tiny face.png'), '60x40'), makeWav(join(dir, 'twelve minutes.wav'), 720, 8000), realMedia('vtest.avi')]);
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();
  const problems = page.getByTestId('render-problems');
  await expect(problems).toContainText('Portrait: none chosen.');
  await expect(problems).toContainText('Prompt: describe the video');
  // A video with no sound is not offered as the voice, and the page says why.
  await expect(page.getByTestId('silent-videos')).toContainText('vtest.avi has no sound');

  await page.getByTestId('pick-portrait').getByRole('radio').first().click();
  await expect(problems).toContainText('Portrait: tiny face.png is 60×40 pixels; the model needs at least 64 pixels on the shorter side.');
  await page.getByTestId('pick-audio').getByRole('radio', { name: /twelve minutes/ }).click();
  await page.getByLabel('Prompt', { exact: true }).fill('a person talking');
  await page.getByTestId('engine-choice').selectOption('local');
  await expect(problems).toContainText('Voice or song: the trimmed part is 12:00.00 long; a render on this computer takes at most 10 minutes.');
  await page.getByTestId('engine-choice').selectOption('cloud');
  await expect(problems).not.toContainText('Voice or song');
  await page.getByLabel('Out (seconds)').fill('0.3');
  await expect(problems).toContainText('Voice or song: the trimmed part of twelve minutes.wav is 0.30 s; a render needs at least half a second.');

  // The seed field never shows NaN: what is typed stays, with what is wrong under it.
  const seed = page.getByLabel('Seed', { exact: true });
  await seed.fill('abc');
  await expect(seed).toHaveValue('abc');
  await expect(page.getByTestId('param-seed')).toContainText('Seed: must be a number');
  await expect(page.locator('body')).not.toContainText('NaN');
  await page.getByText(/^Advanced/).click();
  await page.getByLabel('Frames per second', { exact: true }).fill('7');
  await expect(problems).toContainText('Frames per second: must be at least 8');
  await expect(problems).not.toContainText('fps:');
  await expect(page.getByTestId('render-button')).toBeDisabled();
  await page.screenshot({ path: 'test-results/screenshots/editor-live-problems.png', fullPage: true });
});

test('Animate: the size follows the driving video; "This computer" is not offered when it cannot run the project, with the reason in one sentence', async ({ page }) => {
  await newProject(page, 'Animate engines', 'Animate');
  await importFiles(page, [realMedia('vtest.avi'), realMedia('messi5.jpg')]);
  await page.getByRole('tab', { name: 'Animate' }).click();
  // Width and height follow the driving video's aspect (vtest.avi is 4:3).
  await page.getByTestId('pick-video').getByRole('radio').first().click();
  await expect(page.getByLabel('Width', { exact: true })).toHaveValue('1280');
  await expect(page.getByLabel('Height', { exact: true })).toHaveValue('960');
  // Colour matching between clips is on by default, and its tooltip says only local renders read it.
  await expect(page.getByLabel('Colour match between clips')).toBeChecked();
  await expect(page.getByTestId('param-colour_match')).toHaveAttribute('title', /cloud app has no such setting and ignores it/);
  await page.getByTestId('param-colour_match').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/animate-colour-match.png' });
  const local = page.getByTestId('engine-choice').locator('option[value=local]');
  await expect(local).toBeDisabled();
  await expect(local).toHaveText('This computer — not available');
  const notes = page.getByTestId('engine-notes');
  await expect(notes).toContainText('This computer: No Animate model pack is installed: import one in Settings → Local engine.');
  await expect(notes).not.toContainText('..');
  // Automatic would not go to the cloud while cloud fallback is off (the default), and Render would
  // refuse: the summary says so, as the queue would. Choosing Cloud runs it there.
  await expect(page.getByTestId('summary-engine')).toHaveText('nothing can run it (see below)');
  await expect(page.getByTestId('render-problems')).toContainText('cloud fallback is off');
  await page.getByTestId('engine-choice').selectOption('cloud');
  await expect(page.getByTestId('summary-engine')).toHaveText('Cloud (inference.sh)');
  await expect(page.getByTestId('summary-engine-reason')).toHaveText('You chose the cloud.');
});

test('New project follows Settings → "New projects are"; an empty name gets a message with the field label', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('New projects are').selectOption({ label: 'Animate' });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('toast-info')).toContainText('Settings saved.');
  await page.getByRole('link', { name: 'Library' }).click();
  await page.getByRole('button', { name: /new project|create your first project/i }).first().click();
  await expect(page.getByLabel('Kind of project')).toHaveValue('animate');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('new-project-problem')).toHaveText('Project name: type a name for the project; it cannot be empty.');
  await expect(page.locator('body')).not.toContainText('library.createProject');
  await page.getByLabel('Project name').fill('   ');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('new-project-problem')).toBeVisible();
  await page.getByLabel('Project name').fill('Follows the setting');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Follows the setting' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Animate' })).toBeVisible();
  // Back to the default for the other tests.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('New projects are').selectOption({ label: 'Speech-to-video' });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('toast-info')).toContainText('Settings saved.');
});

test('the job log is readable in the light theme and a long line stays inside its box', async ({ page }) => {
  fake.faults.extraLog = `decoding ${'x'.repeat(1800)} done`;
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Theme').selectOption('light');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await megamindS2v(page, 'Light log');
  await page.getByLabel('Prompt', { exact: true }).fill('a character talking');
  await page.getByTestId('engine-choice').selectOption('cloud');
  await page.getByTestId('render-button').click();
  const job = page.getByTestId('job').first();
  await expect(job.getByText(/^Log \(\d+\)$/)).toContainText(/Log \([3-9]\)/, { timeout: 30_000 });
  await job.getByText(/^Log/).click();
  const log = job.locator('.job-log');
  await expect(log).toContainText('decoding xxx');
  const colours = await log.evaluate((el) => {
    const s = getComputedStyle(el);
    return { fg: s.color, bg: s.backgroundColor };
  });
  expect(contrast(colours.fg, colours.bg)).toBeGreaterThan(7);
  // No sideways scrolling of the page; Cancel (while running) stays on screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  const box = await log.boundingBox();
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(1280);
  await page.screenshot({ path: 'test-results/screenshots/job-log-light.png', fullPage: true });
  await expect(job).toHaveAttribute('data-status', 'completed', { timeout: 45_000 });
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Theme').selectOption('dark');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('a failed render offers Retry only when it can help; otherwise "Render again"', async ({ page }) => {
  fake.faults.failTask = 'CUDA error: an illegal memory access was encountered';
  await megamindS2v(page, 'Retry or render again');
  await page.getByLabel('Prompt', { exact: true }).fill('a character talking');
  await page.getByTestId('engine-choice').selectOption('cloud');
  await page.getByTestId('render-button').click();
  const job = page.getByTestId('job').first();
  await expect(job).toHaveAttribute('data-status', 'failed', { timeout: 45_000 });
  await expect(job.getByTestId('job-retry')).toBeVisible();
  // The portrait it used is removed: retrying the same inputs cannot work.
  await page.getByRole('tab', { name: /Media/ }).click();
  await page.locator('[data-testid=asset-card][data-kind=image]').getByRole('button', { name: /Remove/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  await expect(page.locator('[data-testid=asset-card][data-kind=image]')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Renders' }).click();
  await expect(job.getByTestId('job-retry')).toHaveCount(0);
  await expect(job).toContainText('A file this render used was removed from the project.');
  await job.getByTestId('job-render-again').click();
  await expect(page.getByTestId('render-problems')).toContainText('Portrait: none chosen.');
});

test('Retry after the cloud lost the task submits it again and finishes', async ({ page }) => {
  fake.faults.stallTasks = true;
  await megamindS2v(page, 'Lost task');
  await page.getByLabel('Prompt', { exact: true }).fill('a character talking');
  await page.getByTestId('engine-choice').selectOption('cloud');
  await page.getByTestId('render-button').click();
  const job = page.getByTestId('job').first();
  await expect(job.getByText(/^Log \(\d+\)$/)).toBeVisible({ timeout: 30_000 });
  // The studio stops; meanwhile the service forgets every task.
  await server.stop();
  for (const t of fake.tasks.values()) for (const timer of t.timers) clearTimeout(timer);
  fake.tasks.clear();
  fake.faults.stallTasks = false;
  server = await startServe(home, [], { INFERENCE_BASE_URL: fake.baseUrl, INFERENCE_API_KEY: KEY });
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Lost task', exact: true }).click();
  await page.getByRole('tab', { name: 'Renders' }).click();
  const again = page.getByTestId('job').first();
  await expect(again).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
  await expect(again.getByTestId('job-error')).toContainText('no longer knows the cloud task');
  await again.getByTestId('job-retry').click();
  await expect(again).toHaveAttribute('data-status', 'completed', { timeout: 45_000 });
});

/** WCAG contrast ratio of two computed CSS colours ("rgb(r, g, b)"). */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0']).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

test('presets: built-in fast draft and quality, save the current parameters under a name, apply, rename, delete', async ({ page }) => {
  await newProject(page, 'Presets', 'Speech-to-video');
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();
  const choice = page.getByTestId('preset-choice');
  const resolution = page.getByLabel('Resolution', { exact: true });
  await choice.selectOption({ label: 'Fast draft (built-in)' });
  await expect(resolution).toHaveValue('480p');
  await choice.selectOption({ label: 'Quality (built-in)' });
  await expect(resolution).toHaveValue('720p');
  await expect(page.getByTestId('presets').getByRole('button', { name: 'Delete' })).toHaveCount(0);

  await page.getByText(/^Advanced/).click();
  await page.getByLabel('Frames per second', { exact: true }).fill('20');
  await page.getByRole('button', { name: 'Save as preset…' }).click();
  await page.getByLabel('Preset name').fill('Quality');
  await page.getByTestId('presets').getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('toast-error')).toContainText('Preset name: “Quality” is already taken.');
  await page.getByLabel('Preset name').fill('My look');
  await page.getByTestId('presets').getByRole('button', { name: 'Save', exact: true }).click();
  await expect(choice.locator('option', { hasText: 'My look' })).toHaveCount(1);

  await choice.selectOption({ label: 'Fast draft (built-in)' });
  await page.getByLabel('Frames per second', { exact: true }).fill('16');
  await expect(resolution).toHaveValue('480p');
  await choice.selectOption({ label: 'My look' });
  await expect(resolution).toHaveValue('720p');
  await expect(page.getByLabel('Frames per second', { exact: true })).toHaveValue('20');

  await page.getByTestId('presets').getByRole('button', { name: 'Rename' }).click();
  await page.getByLabel('Preset name').fill('Stage look');
  await page.getByTestId('presets').getByRole('button', { name: 'Rename' }).last().click();
  await expect(choice.locator('option', { hasText: 'Stage look' })).toHaveCount(1);
  await page.reload();
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();
  await expect(page.getByTestId('preset-choice').locator('option', { hasText: 'Stage look' })).toHaveCount(1);
  await page.getByTestId('preset-choice').selectOption({ label: 'Stage look' });
  await page.getByTestId('presets').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByTestId('preset-choice').locator('option', { hasText: 'Stage look' })).toHaveCount(0);
});

test('outputs: details, readable download name, Reuse settings, A/B compare with the input and another output, tab and output in the URL', async ({ page }) => {
  await megamindS2v(page, 'Megamind outputs');
  await page.getByLabel('Prompt', { exact: true }).fill('a blue character talking');
  await page.getByLabel('Resolution', { exact: true }).selectOption('480p');
  await page.getByLabel('Seed', { exact: true }).fill('1234');
  await page.getByTestId('engine-choice').selectOption('cloud');
  await page.getByTestId('render-button').click();
  await expect(page.getByTestId('job').first()).toHaveAttribute('data-status', 'completed', { timeout: 45_000 });
  // A second take with another seed, to compare two outputs.
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();
  await page.getByLabel('Seed', { exact: true }).fill('99');
  await page.getByTestId('render-button').click();
  await expect(page.getByTestId('job').first()).toHaveAttribute('data-status', 'completed', { timeout: 45_000 });
  await expect(page.getByTestId('output')).toHaveCount(2);

  const first = page.getByTestId('output').filter({ hasText: '1234' });
  const facts = first.getByTestId('output-facts');
  await expect(facts).toContainText('Cloud');
  await expect(facts).toContainText(/Size\s*\d+×\d+/);
  await expect(facts).toContainText('0:01.00 → 0:04.00');
  await expect(first.getByTestId('output-changed')).toContainText('Resolution 480p (faster)');
  await expect(first.getByTestId('output-download')).toHaveAttribute('download', 'megamind-outputs-a-blue-character-talking-1234.mp4');

  // Compare with the input portrait, then with the other take, side by side and wiped.
  await first.getByTestId('output-compare').click();
  const dialog = page.getByTestId('compare-dialog');
  await expect(dialog.getByTestId('compare-with')).toContainText('Input: megamind-portrait.png');
  await expect(dialog.locator('img[data-testid=compare-b]')).toBeVisible();
  await dialog.getByTestId('compare-with').selectOption({ label: 'Output, seed 99' });
  const a = dialog.getByTestId('compare-a');
  const b = dialog.locator('video[data-testid=compare-b]');
  await expect.poll(() => b.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThan(0);
  await a.evaluate((v: HTMLVideoElement) => (v.currentTime = 1.5));
  await expect.poll(() => b.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(1.5, 1);
  await a.evaluate((v: HTMLVideoElement) => v.play());
  await expect.poll(() => b.evaluate((v: HTMLVideoElement) => !v.paused)).toBe(true);
  await a.evaluate((v: HTMLVideoElement) => v.pause());
  await expect.poll(() => b.evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
  const boxA = await a.boundingBox();
  const boxB = await b.boundingBox();
  expect((boxB?.x ?? 0) - (boxA?.x ?? 0)).toBeGreaterThan((boxA?.width ?? 0) / 2);
  await page.screenshot({ path: 'test-results/screenshots/compare-side-by-side.png' });
  await dialog.getByTestId('compare-wipe-mode').click();
  await dialog.getByTestId('compare-wipe').fill('30');
  await expect(dialog.getByTestId('compare-stage')).toHaveAttribute('style', /--wipe: 30%/);
  await page.screenshot({ path: 'test-results/screenshots/compare-wipe.png' });
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The tab and the selected output are in the URL: a reload returns to them.
  const id = await first.getAttribute('data-output-id');
  await expect(page).toHaveURL(new RegExp(`/renders/${id}$`));
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Renders' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator(`[data-testid=output][data-output-id="${id}"]`)).toHaveAttribute('aria-current', 'true');

  // Reuse settings loads the seed, the parameters and the trim back into the editor.
  await page.getByTestId('output').filter({ hasText: '1234' }).getByTestId('output-reuse').click();
  await expect(page.getByRole('tab', { name: 'Speech-to-video' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Seed', { exact: true })).toHaveValue('1234');
  await expect(page.getByLabel('Prompt', { exact: true })).toHaveValue('a blue character talking');
});
