import { expect, test, type Page } from '@playwright/test';
import { makeTempDir } from '../helpers/generatedMedia';
import { realMedia, realPortrait } from '../helpers/realMedia';
import { startServe, type ServeHandle } from '../helpers/studioProcess';
import { countListeners, elementListeners, windowListeners } from './liveListeners';

let server: ServeHandle;

test.beforeAll(async () => {
  server = await startServe(makeTempDir('e2e-media-home'));
});
test.afterAll(async () => {
  await server?.stop();
});

/**
 * The project-state saves the server has confirmed, read off the page's WebSocket frames: a test
 * waits for the save it needs instead of sleeping through the editor's save delay.
 */
function confirmedStateSaves(page: Page): string[] {
  const asked = new Map<number, string>();
  const confirmed: string[] = [];
  const parse = (payload: string | Buffer) => {
    try {
      return JSON.parse(String(payload)) as { t?: string; id?: number; channel?: string; input?: unknown; envelope?: { ok?: boolean } };
    } catch {
      return null;
    }
  };
  page.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => {
      const m = parse(payload);
      if (m?.t === 'req' && m.channel === 'library.updateProjectState' && typeof m.id === 'number') asked.set(m.id, JSON.stringify(m.input));
    });
    ws.on('framereceived', ({ payload }) => {
      const m = parse(payload);
      const input = m?.t === 'res' && typeof m.id === 'number' ? asked.get(m.id) : undefined;
      if (input !== undefined && m?.envelope?.ok) confirmed.push(input);
    });
  });
  return confirmed;
}

test('after import a video shows its poster and filmstrip, sound shows its waveform, and trims persist', async ({ page }) => {
  const talking = realMedia('Megamind.avi'); // an animated character talking, with sound
  const portrait = realPortrait();

  const saves = confirmedStateSaves(page);
  await countListeners(page);
  await page.goto(server.url);
  await page.getByRole('button', { name: /new project|create your first project/i }).first().click();
  await page.getByLabel('Project name').fill('Megamind says hello');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByTestId('import-input').setInputFiles([portrait, talking]);
  await expect(page.getByTestId('import-entry').filter({ hasText: 'Imported' })).toHaveCount(2, { timeout: 30_000 });

  await page.getByRole('tab', { name: /Media/ }).click();
  const video = page.locator('[data-testid=asset-card][data-kind=video]');
  await expect(video.getByTestId('fact-size')).toHaveText('720×528');
  const strip = video.getByTestId('filmstrip');
  await expect.poll(() => strip.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(1000);
  await page.screenshot({ path: 'test-results/screenshots/media-tab.png', fullPage: true });

  // The editor: pick the portrait and the talking clip's sound, then trim it on the waveform.
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();
  await page.getByTestId('pick-portrait').getByRole('radio').first().click();
  await page.getByTestId('pick-audio').getByRole('radio', { name: /Megamind/ }).click();
  const wave = page.getByTestId('waveform');
  await expect.poll(() => wave.getAttribute('data-peaks').then(Number)).toBeGreaterThan(200);
  // Drawn, not blank: the canvas has lit pixels where the speech is.
  const lit = await wave.evaluate((c: HTMLCanvasElement) => {
    const g = c.getContext('2d');
    if (!g) return 0;
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if ((d[i] ?? 0) > 0) n++;
    return n / (c.width * c.height);
  });
  expect(lit).toBeGreaterThan(0.02);
  // The AVI's AC3 sound cannot play in Chromium: the page gets the playable copy made at import.
  await expect.poll(() => page.locator('audio.player').evaluate((a: HTMLAudioElement) => a.duration)).toBeGreaterThan(11);

  await page.getByLabel('In (seconds)').fill('1.5');
  await page.getByLabel('Out (seconds)').fill('6');
  await expect(page.getByTestId('trim-length')).toHaveText(/^0:04\.50 of 0:11\.\d\d$/);
  await page.screenshot({ path: 'test-results/screenshots/s2v-editor-trim.png', fullPage: true });
  // The editor saves shortly after the last change: wait until the server confirmed the trim.
  await expect.poll(() => saves.some((input) => input.includes('"audioTrim":{"inSec":1.5,"outSec":6}'))).toBe(true);

  await page.reload();
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();
  await expect(page.getByLabel('In (seconds)')).toHaveValue('1.5');
  await expect(page.getByLabel('Out (seconds)')).toHaveValue('6');
  await expect(page.getByTestId('pick-audio').getByRole('radio', { checked: true })).toContainText('Megamind');

  // Dragging the in handle moves the in point.
  const handle = page.getByRole('slider', { name: 'In point' });
  const box = await page.locator('.trim-track').boundingBox();
  if (!box) throw new Error('no timeline');
  const from = await handle.boundingBox();
  if (!from) throw new Error('no handle');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.25, from.y + from.height / 2, { steps: 5 });
  await page.mouse.up();
  const inValue = Number(await page.getByLabel('In (seconds)').inputValue());
  expect(inValue).toBeGreaterThan(2.3);
  expect(inValue).toBeLessThan(3.3);

  // No listener outlives what it served. Playing (from the in point, to the out point) and
  // pausing add no watcher: the timeline's one playhead listener serves every play.
  // (React keeps its own media-event listener on the element: count relative to it.)
  const player = await page.locator('audio.player').elementHandle();
  const idleTimeupdates = await elementListeners(player, 'timeupdate');
  await page.getByTestId('play-toggle').click();
  await expect(page.getByTestId('play-toggle')).toHaveAttribute('aria-label', 'Pause');
  await page.getByTestId('play-toggle').click();
  await page.getByTestId('play-toggle').click();
  expect(await elementListeners(player, 'timeupdate')).toBe(idleTimeupdates);
  // A drag still held when the editor goes away (here: the page changes) ends with it.
  const idleMoves = await windowListeners(page, 'pointermove');
  const out = await page.getByRole('slider', { name: 'Out point' }).boundingBox();
  if (!out) throw new Error('no out handle');
  await page.mouse.move(out.x + out.width / 2, out.y + out.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.8, out.y + out.height / 2, { steps: 3 });
  expect(await windowListeners(page, 'pointermove')).toBe(idleMoves + 1);
  await page.evaluate(() => (location.hash = '#/settings'));
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  expect(await windowListeners(page, 'pointermove')).toBe(idleMoves);
  // The playhead's own listener left with the timeline.
  expect(await elementListeners(player, 'timeupdate')).toBeLessThan(idleTimeupdates);
  await page.mouse.up();
});

test('the settings page lists which export encoders this ffmpeg has', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  for (const enc of ['libx264', 'libx265', 'prores_ks', 'libvpx-vp9', 'gif']) {
    await expect(page.getByTestId(`encoder-${enc}`)).toContainText(`✓ ${enc}`);
  }
});
