import { expect, test, type Page } from '@playwright/test';
import { makeTempDir } from '../helpers/generatedMedia';
import { realMedia } from '../helpers/realMedia';
import { startServe, type ServeHandle } from '../helpers/studioProcess';

let server: ServeHandle;

test.beforeAll(async () => {
  server = await startServe(makeTempDir('e2e-timeline-home'));
});
test.afterAll(async () => {
  await server?.stop();
});

const headTime = async (page: Page) => Number(await page.getByTestId('timecode').getAttribute('data-time'));
const playerTime = (page: Page) => page.getByTestId('timeline-player').evaluate((m: HTMLMediaElement) => m.currentTime);

async function megamindTimeline(page: Page) {
  await page.goto(server.url);
  await page.getByRole('button', { name: /new project|create your first project/i }).first().click();
  await page.getByLabel('Project name').fill(`Timeline ${Date.now()}`);
  await page.getByLabel('Kind of project').selectOption({ label: 'Speech-to-video' });
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByTestId('import-input').setInputFiles([realMedia('Megamind.avi')]);
  await expect(page.getByTestId('import-entry').filter({ hasText: 'Imported' })).toHaveCount(1, { timeout: 30_000 });
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();
  await page.getByTestId('pick-audio').getByRole('radio', { name: /Megamind/ }).click();
  await expect.poll(() => page.getByTestId('timeline-player').evaluate((m: HTMLMediaElement) => m.duration)).toBeGreaterThan(11);
}

test('the playhead follows the player and seeks it: click, drag, timecode in mm:ss.ff, zoom and scroll', async ({ page }) => {
  await megamindTimeline(page);
  await expect(page.getByTestId('timecode')).toHaveText('00:00.00');
  const lane = page.getByTestId('timeline-lane');
  const box = await lane.boundingBox();
  if (!box) throw new Error('no lane');
  const duration = await page.getByTestId('timeline-player').evaluate((m: HTMLMediaElement) => m.duration);

  // A click seeks the player to that point; a drag scrubs.
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect.poll(() => playerTime(page)).toBeCloseTo(duration / 2, 0);
  expect(await headTime(page)).toBeCloseTo(duration / 2, 0);
  await expect(page.getByTestId('timecode')).toHaveText(/^00:0[56]\.\d\d$/);
  await page.mouse.move(box.x + box.width * 0.1, box.y + 10);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, box.y + 10, { steps: 4 });
  await page.mouse.up();
  await expect.poll(() => playerTime(page)).toBeCloseTo(duration * 0.3, 0);

  // The player's own time moves the playhead.
  await page.getByTestId('timeline-player').evaluate((m: HTMLMediaElement) => (m.currentTime = 2));
  await expect(page.getByTestId('timecode')).toHaveText('00:02.00');
  const playhead = await page.getByTestId('playhead').boundingBox();
  expect(((playhead?.x ?? 0) - box.x) / box.width).toBeCloseTo(2 / duration, 1);

  // Handles have a wide grab area.
  expect((await page.getByRole('slider', { name: 'In point' }).boundingBox())?.width).toBeGreaterThanOrEqual(20);

  // Zoom in: the lane is wider than its view and scrolls; the view keeps the playhead.
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect(page.getByTestId('zoom')).toHaveText('4×');
  const scroll = page.getByTestId('timeline-scroll');
  await expect.poll(() => scroll.evaluate((el) => el.scrollWidth / el.clientWidth)).toBeCloseTo(4, 1);
  await expect.poll(() => scroll.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  await expect.poll(() => page.getByTestId('waveform').getAttribute('data-peaks').then(Number)).toBeGreaterThan(box.width * 1.5);
  await page.screenshot({ path: 'test-results/screenshots/timeline-zoomed.png', fullPage: true });
});

test('the keyboard map: arrows by a frame, Shift by a second, Home/End, I/O at the playhead, Space, J/K/L, and the trim is undoable', async ({ page }) => {
  await megamindTimeline(page);
  const timeline = page.getByTestId('timeline');
  await timeline.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => headTime(page)).toBeGreaterThan(0);
  const fps = 1 / (await headTime(page));
  expect(fps).toBeGreaterThan(20);
  expect(fps).toBeLessThan(31);
  await expect(page.getByTestId('timecode')).toHaveText('00:00.01');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(page.getByTestId('timecode')).toHaveText('00:01.01');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('timecode')).toHaveText('00:01.00');
  await expect.poll(() => playerTime(page)).toBeCloseTo(1, 2);

  // I sets the in point at the playhead; O the out point.
  await page.keyboard.press('i');
  await expect(page.getByTestId('in-timecode')).toHaveText('00:01.00');
  expect(Number(await page.getByLabel('In (seconds)').inputValue())).toBeCloseTo(1, 1);
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('o');
  await expect(page.getByTestId('out-timecode')).toHaveText('00:03.00');
  expect(Number(await page.getByLabel('Out (seconds)').inputValue())).toBeCloseTo(3, 1);
  await page.keyboard.press('End');
  await expect.poll(() => headTime(page)).toBeGreaterThan(11);
  await page.keyboard.press('Home');
  await expect(page.getByTestId('timecode')).toHaveText('00:00.00');

  // Space plays inside the trim: from the in point, and it stops at the out point.
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play-toggle')).toHaveAttribute('aria-label', 'Pause');
  await expect(page.getByTestId('play-toggle')).toHaveAttribute('aria-label', 'Play', { timeout: 15_000 });
  expect(await headTime(page)).toBeCloseTo(3, 1);
  expect(await page.getByTestId('timeline-player').evaluate((m: HTMLMediaElement) => m.paused)).toBe(true);

  // L plays, L again doubles the speed, K stops; J plays backwards.
  await page.keyboard.press('Home');
  await page.keyboard.press('l');
  await page.keyboard.press('l');
  await expect(page.getByTestId('shuttle-speed')).toHaveText('2×');
  await expect.poll(() => page.getByTestId('timeline-player').evaluate((m: HTMLMediaElement) => m.playbackRate)).toBe(2);
  await page.keyboard.press('k');
  await expect(page.getByTestId('play-toggle')).toHaveAttribute('aria-label', 'Play');
  const before = await headTime(page);
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('j');
  await expect.poll(() => headTime(page)).toBeLessThan(before + 0.9);
  await page.keyboard.press('k');

  // Ctrl+Z undoes whole trim gestures, Ctrl+Shift+Z redoes them.
  const inTc = page.getByTestId('in-timecode');
  const outTc = page.getByTestId('out-timecode');
  await page.keyboard.press('Control+z');
  await expect(outTc).not.toHaveText('00:03.00');
  await expect(inTc).toHaveText('00:01.00');
  await page.keyboard.press('Control+z');
  await expect(inTc).toHaveText('00:00.00');
  await page.keyboard.press('Control+Shift+z');
  await expect(inTc).toHaveText('00:01.00');
  await page.keyboard.press('Control+Shift+z');
  await expect(outTc).toHaveText('00:03.00');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  await page.reload();
  await page.getByRole('tab', { name: 'Speech-to-video' }).click();
  await expect(page.getByTestId('out-timecode')).toHaveText('00:03.00');
});
