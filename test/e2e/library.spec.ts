import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePng, makeTempDir, makeTextFile, makeWav } from '../helpers/generatedMedia';
import { startServe, type ServeHandle } from '../helpers/studioProcess';

let server: ServeHandle;
let mediaDir: string;

test.beforeAll(async () => {
  mediaDir = makeTempDir('e2e-media');
  server = await startServe(makeTempDir('e2e-home'));
});
test.afterAll(async () => {
  await server?.stop();
});

async function createProject(page: Page, name: string) {
  await page.getByRole('button', { name: /new project|create your first project/i }).first().click();
  await page.getByLabel('Project name').fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test('create a project, import an image and a WAV, see metadata and thumbnails, reload, still there', async ({ page }) => {
  const png = makePng(join(mediaDir, 'portrait 01.png'), '320x240');
  const wav = makeWav(join(mediaDir, "voice 'take 2'.wav"), 2, 44100);

  await page.goto(server.url);
  await expect(page).toHaveURL(`${server.origin}/`);
  await expect(page.getByRole('heading', { name: 'No projects yet' })).toBeVisible();

  await createProject(page, 'Talking head — ünïcode');
  await page.getByTestId('import-input').setInputFiles([png, wav]);

  const cards = page.getByTestId('asset-card');
  await expect(cards).toHaveCount(2);
  const image = page.locator('[data-testid=asset-card][data-kind=image]');
  const audio = page.locator('[data-testid=asset-card][data-kind=audio]');
  await expect(image.getByTestId('fact-size')).toHaveText('320×240');
  await expect(image.getByTestId('fact-format')).toHaveText('png');
  await expect(audio.getByTestId('fact-duration')).toHaveText('0:02.00');
  await expect(audio.getByTestId('fact-audio')).toHaveText('pcm_s16le, 44100 Hz, mono');
  await expect(page.getByTestId('import-entry')).toHaveCount(2);
  await expect(page.getByTestId('import-entry').filter({ hasText: 'Imported' })).toHaveCount(2);

  // Thumbnails are real pictures served from the library: decoded with the generated size ratio.
  for (const card of [image, audio]) {
    const img = card.locator('img.thumb');
    await expect(img).toBeVisible();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  }
  expect(await image.locator('img.thumb').evaluate((el: HTMLImageElement) => el.naturalWidth / el.naturalHeight)).toBeCloseTo(320 / 240, 1);
  await page.screenshot({ path: 'test-results/screenshots/project-after-import.png', fullPage: true });

  await page.reload();
  // A project with media opens on its editor; the media sit in their own tab.
  await page.getByRole('tab', { name: /Media/ }).click();
  await expect(page.getByTestId('asset-card')).toHaveCount(2);
  await expect(page.locator('[data-testid=asset-card][data-kind=audio]').getByTestId('fact-audio')).toHaveText('pcm_s16le, 44100 Hz, mono');

  await page.getByRole('link', { name: 'Library' }).first().click();
  const card = page.getByTestId('project-card').filter({ has: page.getByRole('link', { name: 'Talking head — ünïcode', exact: true }) });
  await expect(card).toContainText('2 files');
  await expect.poll(() => card.locator('img.thumb').evaluate((el: HTMLImageElement) => el.naturalWidth > 0)).toBe(true);
  await page.screenshot({ path: 'test-results/screenshots/library.png', fullPage: true });
});

test('a file that is not media gets a readable error and nothing is added', async ({ page }) => {
  const fake = makeTextFile(join(mediaDir, 'notes.mp4'));
  await page.goto(server.url);
  await createProject(page, 'Bad input');
  await page.getByTestId('import-input').setInputFiles([fake]);
  const entry = page.getByTestId('import-entry').filter({ hasText: 'notes.mp4' });
  await expect(entry.getByRole('alert')).toContainText('notes.mp4 is not a media file Wan Studio can read');
  await expect(page.getByTestId('asset-card')).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Bring in your media' })).toBeVisible();
});

test('rename, search and delete projects from the library page', async ({ page }) => {
  await page.goto(server.url);
  await createProject(page, 'Rename me');
  await page.getByRole('link', { name: 'Library' }).first().click();
  // Pin the card by id: once it turns into a rename form its text no longer says "Rename me".
  const id = await page.getByTestId('project-card').filter({ hasText: 'Rename me' }).getAttribute('data-project-id');
  const card = page.locator(`[data-testid=project-card][data-project-id="${id}"]`);
  await card.getByRole('button', { name: 'Rename' }).click();
  await card.getByLabel('New name').fill('Renamed "quoted" ../project');
  await card.getByRole('button', { name: 'Save' }).click();
  // Match on the title link: a card's text also holds its "Rename" and "Delete" buttons.
  const byTitle = (name: string) => page.getByTestId('project-card').filter({ has: page.getByRole('link', { name, exact: true }) });
  await expect(byTitle('Renamed "quoted" ../project')).toHaveCount(1);

  await page.getByLabel('Search projects').fill('quoted');
  await expect(page.getByTestId('project-card')).toHaveCount(1);
  await page.getByLabel('Search projects').fill('no such project');
  await expect(page.getByText('No project name contains')).toBeVisible();
  await page.getByLabel('Search projects').fill('');

  await byTitle('Renamed "quoted" ../project').getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Delete project' }).click();
  await expect(byTitle('Renamed "quoted" ../project')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('project-card').first()).toBeVisible();
  await expect(byTitle('Renamed "quoted" ../project')).toHaveCount(0);
});

test('an empty project name is refused with a message naming the field', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('button', { name: /new project|create your first project/i }).first().click();
  await page.getByLabel('Project name').fill('   ');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('new-project-problem')).toHaveText('Project name: type a name for the project; it cannot be empty.');
});

test('the settings page shows the library folder and the media tools', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('library-home')).toContainText('e2e-home');
  await expect(page.getByTestId('tool-ffprobe')).toContainText('ffprobe version');
  await expect(page.getByTestId('tool-ffmpeg')).toContainText('ffmpeg version');
  // In a browser page the tool paths are shown, not edited; the other preferences still save.
  await expect(page.getByTestId('ffmpeg-path')).toHaveText('found automatically');
  await expect(page.getByTestId('local-only-ffmpegPath')).toContainText('wan-studio settings set ffmpegPath VALUE');
  await expect(page.getByLabel(/FFmpeg path/)).toHaveCount(0);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
});

test('a wrong or missing token is refused, and so is the WebSocket without the cookie', async ({ page, request }) => {
  const wrong = await request.get(`${server.origin}/?token=not-the-token`, { maxRedirects: 0 });
  expect(wrong.status()).toBe(401);
  expect(await wrong.text()).toContain('needs its link');
  const none = await request.get(`${server.origin}/`, { maxRedirects: 0, headers: { Accept: 'text/html' } });
  expect(none.status()).toBe(401);

  await page.goto(`${server.origin}/?token=not-the-token`);
  await expect(page.getByRole('heading', { name: 'This Wan Studio server needs its link' })).toBeVisible();
  const wsResult = await page.evaluate(
    (origin) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(origin.replace('http', 'ws') + '/ws');
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      }),
    server.origin,
  );
  expect(wsResult).toBe('refused');
});

test('dropping a file on the project page imports it', async ({ page }) => {
  const png = makePng(join(mediaDir, 'dropped portrait.png'), '200x300');
  const bytes = readFileSync(png).toString('base64');
  await page.goto(server.url);
  await createProject(page, 'Drag and drop');
  const dataTransfer = await page.evaluateHandle((b64) => {
    const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bin], 'dropped portrait.png', { type: 'image/png' }));
    return dt;
  }, bytes);
  const page_ = page.locator('section.project-page');
  await page_.dispatchEvent('dragover', { dataTransfer });
  await expect(page.getByText('Drop to import')).toBeVisible();
  await page_.dispatchEvent('drop', { dataTransfer });
  const card = page.locator('[data-testid=asset-card][data-kind=image]');
  await expect(card.getByTestId('fact-size')).toHaveText('200×300');
  await expect(page.getByText('Drop to import')).toHaveCount(0);
});
