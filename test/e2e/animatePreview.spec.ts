import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeTempDir } from '../helpers/generatedMedia';
import { realMedia } from '../helpers/realMedia';
import { makePreprocessFixture } from '../helpers/preprocessFixture';
import { runCliProcess, startServe, type ServeHandle } from '../helpers/studioProcess';

let server: ServeHandle;
let home: string;
const shots = 'test-results/screenshots';

test.beforeAll(async () => {
  home = makeTempDir('e2e-animate-preview-home');
  server = await startServe(home);
});
test.afterAll(async () => {
  await server?.stop();
});

/** A 2 s driving video of the two real people in basketball1.png (a still, so each frame has both). */
function twoPeopleVideo(): string {
  const out = join(makeTempDir('e2e-two-people'), 'two-people.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-loop', '1', '-i', realMedia('basketball1.png'), '-t', '2', '-r', '10', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', out]);
  return out;
}

/**
 * The player with its overlay, the timeline under it and the preview's controls: one picture of
 * what the person sees (the overlays draw over the timeline's player, not in a box of their own).
 */
async function shootPlayer(page: Page, name: string): Promise<void> {
  const stage = await page.getByTestId('preview-stage').boundingBox();
  const panel = await page.getByTestId('animate-preview').boundingBox();
  if (!stage || !panel) throw new Error('the player or the preview panel is not on screen');
  // Bounding boxes are in the viewport; a full-page clip is in page coordinates.
  const scroll = await page.evaluate(() => ({ x: window.scrollX, y: window.scrollY }));
  for (const b of [stage, panel]) {
    b.x += scroll.x;
    b.y += scroll.y;
  }
  const x = Math.min(stage.x, panel.x);
  const y = Math.min(stage.y, panel.y);
  const clip = { x, y, width: Math.max(stage.x + stage.width, panel.x + panel.width) - x, height: Math.max(stage.y + stage.height, panel.y + panel.height) - y };
  await page.screenshot({ path: `${shots}/${name}.png`, clip, fullPage: true });
}

const overlayAttr = (page: Page, name: string) => page.getByTestId('preview-overlay').getAttribute(`data-${name}`);

test('Animate editor: live pose, mask and face overlays; a mask parameter redraws within 100 ms; pick a person; analyse the whole video', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('button', { name: /new project|create your first project/i }).first().click();
  await page.getByLabel('Project name').fill('Two players');
  await page.getByLabel('Kind of project').selectOption({ label: 'Animate' });
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByTestId('import-input').setInputFiles([twoPeopleVideo(), realMedia('messi5.jpg')]);
  await expect(page.getByTestId('import-entry').filter({ hasText: 'Imported' })).toHaveCount(2, { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Animate' }).click();
  await page.getByTestId('pick-video').getByRole('radio').first().click();

  // The first overlay: both people found, the model named, the used one marked.
  const overlay = page.getByTestId('preview-overlay');
  await expect(overlay).toHaveAttribute('data-at', /\d/, { timeout: 60_000 });
  await expect(page.getByTestId('preview-model')).toContainText('MoveNet MultiPose + MediaPipe Selfie');
  await expect(page.getByTestId('preview-model')).toContainText('2 people');
  await expect(page.getByTestId('preview-issues').locator('[data-kind=several_people]')).toContainText('2 people');
  // Drawn, not blank: mask tint and skeleton pixels are on the overlay.
  const lit = await overlay.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if ((d[i] ?? 0) > 0) n++;
    return n / (c.width * c.height);
  });
  expect(lit).toBeGreaterThan(0.05);
  await expect(page.getByTestId('face-strip')).toContainText('→ 512×512');
  await shootPlayer(page, 'animate-overlays-all');
  await page.screenshot({ path: `${shots}/animate-editor.png`, fullPage: true });

  // A mask parameter change redraws the overlay within 100 ms (measured in the page, from the input event).
  await page.getByText(/^Advanced/).click();
  const columns = page.getByLabel('Mask columns');
  await page.evaluate(() => {
    const w = window as unknown as { __t0: number; __dt: number };
    const canvas = document.querySelector('[data-testid=preview-overlay]')!;
    document.addEventListener('input', () => (w.__t0 = performance.now()), { capture: true, once: true });
    new MutationObserver((_, obs) => {
      if (canvas.getAttribute('data-params')?.endsWith(',4,1')) {
        w.__dt = performance.now() - w.__t0;
        obs.disconnect();
      }
    }).observe(canvas, { attributes: true });
  });
  await columns.fill('4');
  await expect(overlay).toHaveAttribute('data-params', '3,7,4,1');
  const latency = await page.evaluate(() => (window as unknown as { __dt: number }).__dt);
  console.log(`preview latency from a mask parameter change to a new overlay: ${latency.toFixed(1)} ms (overlay drawing ${await overlayAttr(page, 'draw-ms')} ms)`);
  expect(latency).toBeLessThan(100);
  await page.getByLabel('Mask rows').fill('3');
  await expect(overlay).toHaveAttribute('data-params', '3,7,4,3');

  // Each layer alone.
  const layer = (name: 'pose' | 'mask' | 'face') => page.getByTestId(`layer-${name}`);
  await layer('pose').uncheck();
  await layer('face').uncheck();
  await shootPlayer(page, 'animate-overlay-mask-grid');
  await layer('mask').uncheck();
  await layer('pose').check();
  await shootPlayer(page, 'animate-overlay-pose');
  await layer('face').check();
  await layer('mask').check();

  // Pick the other person: click inside their box.
  const before = Number(await overlayAttr(page, 'used'));
  // The overlay sits on the timeline's player, above the open Advanced settings: bring it into view.
  await overlay.scrollIntoViewIfNeeded();
  const other = await overlay.evaluate((c: HTMLCanvasElement) => {
    const r = c.getBoundingClientRect();
    return { r: { left: r.left, top: r.top, width: r.width, height: r.height }, w: c.width, h: c.height };
  });
  // basketball1.png: the ball player stands at the left (x ~100 of 640), the other man at the right (x ~540).
  const x = before === 0 ? 100 : 540;
  const targetX = x === 100 ? 100 : 540;
  await page.mouse.click(other.r.left + (targetX / other.w) * other.r.width, other.r.top + (300 / other.h) * other.r.height);
  await expect(overlay).not.toHaveAttribute('data-used', String(before));
  await shootPlayer(page, 'animate-overlay-picked-person');
  const picked = (await overlayAttr(page, 'used'))!;
  await expect(page.getByTestId('person-pick-note')).toContainText(`You picked person ${Number(picked) + 1}: renders on this computer use them`);
  await expect(page.getByTestId('summary-person')).toContainText('the person you picked');

  // The pick is saved with the project: after a reload the same person is used.
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved');
  await page.reload();
  await page.getByRole('tab', { name: 'Animate' }).click();
  await expect(overlay).toHaveAttribute('data-used', picked, { timeout: 60_000 });
  await expect(page.getByTestId('person-pick-note')).toBeVisible();
  await page.screenshot({ path: `${shots}/animate-picked-after-reload.png`, fullPage: true });

  // Retargeting: the character's pose beside the driving pose retargeted onto it.
  await page.getByTestId('pick-character').getByRole('radio').first().click();
  await page.getByLabel('Pose retargeting').check();
  const panel = page.getByTestId('retarget-panel');
  await expect(panel).toContainText('retargeted');
  const litIn = (name: string) =>
    panel.getByLabel(name, { exact: true }).evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if ((d[i] ?? 0) + (d[i + 1] ?? 0) + (d[i + 2] ?? 0) > 0) n++;
      return n;
    });
  await expect.poll(() => litIn('Character pose')).toBeGreaterThan(50);
  await expect.poll(() => litIn('Driving pose retargeted to the character')).toBeGreaterThan(50);
  await shootPlayer(page, 'animate-retarget');

  // The whole video in the background: progress, then stored and reused.
  await page.getByRole('button', { name: 'Analyse whole video' }).click();
  await expect(page.getByTestId('precompute')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('precompute-message')).toContainText('stored in the library');
  await expect(page.getByTestId('preview-model')).toContainText('(stored analysis)');
  await page.reload();
  await page.getByRole('tab', { name: 'Animate' }).click();
  await expect(page.getByTestId('precompute')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('preview-model')).toContainText('(stored analysis)', { timeout: 30_000 });
});

test('a driving video with nobody in it says so on the frame and in words', async ({ page }) => {
  const grey = join(makeTempDir('e2e-nobody'), 'empty-room.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=gray:s=320x240:r=10', '-t', '1', '-pix_fmt', 'yuv420p', grey]);
  await page.goto(server.url);
  await page.getByRole('button', { name: /new project|create your first project/i }).first().click();
  await page.getByLabel('Project name').fill('Empty room');
  await page.getByLabel('Kind of project').selectOption({ label: 'Animate' });
  await page.getByRole('button', { name: 'Create' }).click();
  // A talking head as the character: a portrait with no body.
  const portrait = join(makeTempDir('e2e-portrait'), 'megamind-portrait.png');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-ss', '3', '-i', realMedia('Megamind.avi'), '-frames:v', '1', portrait]);
  await page.getByTestId('import-input').setInputFiles([grey, portrait]);
  await expect(page.getByTestId('import-entry').filter({ hasText: 'Imported' })).toHaveCount(2, { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Animate' }).click();
  await page.getByTestId('pick-video').getByRole('radio').first().click();
  await expect(page.getByTestId('preview-overlay')).toHaveAttribute('data-used', '-1', { timeout: 60_000 });
  await expect(page.getByTestId('preview-issues').locator('[data-kind=no_person]')).toContainText('No person found in empty-room.mp4');
  await shootPlayer(page, 'animate-no-person');

  await page.getByTestId('pick-character').getByRole('radio').first().click();
  await expect(page.getByTestId('character-check')).toContainText('Only a head and shoulders are visible in megamind-portrait.png', { timeout: 60_000 });

  // Once the whole video is analysed, a replacement render is refused before it starts, in words.
  await page.getByRole('button', { name: 'Analyse whole video' }).click();
  await expect(page.getByTestId('precompute')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await page.getByLabel('Mode', { exact: true }).selectOption('replacement');
  await expect(page.getByTestId('render-problems')).toContainText('Driving video: no person found in empty-room.mp4 between 0.00 s and 1.00 s');
  await expect(page.getByTestId('render-button')).toBeDisabled();
  await page.screenshot({ path: `${shots}/animate-no-person-portrait.png`, fullPage: true });
});

test('Settings says which models make previews; the official preprocess pack installed with the CLI shows there and can be removed', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  const section = page.getByTestId('preview-models-settings');
  await expect(section.getByTestId('previews-by')).toHaveAttribute('data-model', 'bundled');
  await expect(section.getByTestId('previews-by')).toContainText('Previews: MoveNet MultiPose + MediaPipe Selfie (bundled preview models)');
  // A browser page cannot name folders on the studio's computer: it says how to install instead.
  await expect(section).toContainText('wan-studio packs import <process_checkpoint folder>');
  await section.screenshot({ path: `${shots}/settings-previews-bundled.png` });

  const pack = makePreprocessFixture(join(makeTempDir('e2e-preprocess'), 'process_checkpoint'));
  const installed = await runCliProcess(['packs', 'import', pack, '--home', home]);
  expect(installed.code, installed.stderr).toBe(0);
  await page.reload();
  await expect(section.getByTestId('previews-by')).toHaveAttribute('data-model', 'official');
  await expect(section.getByTestId('previews-by')).toContainText('Previews: YOLOv10m + ViTPose-H wholebody');
  await expect(section.getByTestId('preprocess-files')).toContainText('det/yolov10m.onnx');
  await expect(section.getByTestId('preprocess-files')).toContainText('pose2d/vitpose_h_wholebody.onnx');
  await section.screenshot({ path: `${shots}/settings-previews-official.png` });

  await section.getByRole('button', { name: 'Remove preprocess pack' }).click();
  await expect(section.getByTestId('previews-by')).toHaveAttribute('data-model', 'bundled');
  await expect(page.getByText('Removed the preprocess pack: previews use the bundled models.')).toBeVisible();
});
