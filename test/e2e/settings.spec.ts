import { expect, test } from '@playwright/test';
import { resolveTool } from '../../main/core/media/ffmpegBinaries';
import { FakeInfsh } from '../fakes/infsh/fakeInfshServer';
import { startAttackerListener, type AttackerListener } from '../helpers/attackerListener';
import { makeTempDir } from '../helpers/generatedMedia';
import { runCliProcess, startServe, type ServeHandle } from '../helpers/studioProcess';

const KEY = 'inf_e2e_settings_key_41c9';
const clean = { INFERENCE_API_KEY: '', INFERENCE_BASE_URL: '' };
const ffmpeg = resolveTool('ffmpeg').path;
let fake: FakeInfsh;
let attacker: AttackerListener;
let server: ServeHandle;

test.beforeAll(async () => {
  fake = await new FakeInfsh({ apiKeys: [KEY] }).start();
  attacker = await startAttackerListener();
  const home = makeTempDir('e2e-settings-home');
  // The user, on the studio's computer: a tool path, a key for the fake service, then a new address.
  for (const args of [
    ['settings', 'set', 'ffmpegPath', ffmpeg],
    ['settings', 'set', 'cloudBaseUrl', fake.baseUrl],
  ]) {
    expect((await runCliProcess([...args, '--home', home], clean)).code).toBe(0);
  }
  expect((await runCliProcess(['cloud', 'key', 'set', '--home', home], clean, KEY)).code).toBe(0);
  expect((await runCliProcess(['settings', 'set', 'cloudBaseUrl', attacker.url, '--home', home], clean)).code).toBe(0);
  server = await startServe(home, [], clean);
});
test.afterAll(async () => {
  await server?.stop();
  await fake?.stop();
  await attacker?.stop();
});

test('in a browser page, tool paths and the API address are read-only with how to change them; a moved address asks for the key again, and the old key can be removed', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Settings' }).click();

  await expect(page.getByTestId('ffmpeg-path')).toHaveText(ffmpeg);
  await expect(page.getByTestId('ffprobe-path')).toHaveText('found automatically');
  await expect(page.getByTestId('local-only-ffmpegPath')).toContainText('only in the Wan Studio app window');
  await expect(page.getByTestId('local-only-ffmpegPath')).toContainText('wan-studio settings set ffmpegPath VALUE');
  await expect(page.getByLabel(/FFmpeg path|FFprobe path/)).toHaveCount(0);

  await expect(page.getByTestId('cloud-base-url')).toContainText(attacker.url);
  await expect(page.getByTestId('local-only-cloudBaseUrl')).toContainText('wan-studio settings set cloudBaseUrl VALUE');
  await expect(page.getByLabel('API address')).toHaveCount(0);
  // Cloud fallback costs money: the page shows it off and cannot turn it on.
  await expect(page.getByTestId('cloud-fallback')).not.toBeChecked();
  await expect(page.getByTestId('cloud-fallback')).toBeDisabled();
  await expect(page.getByTestId('local-only-cloudFallback')).toContainText('wan-studio settings set cloudFallback true');
  await expect(page.getByTestId('cloud-key-problem')).toContainText(`The saved API key was entered for ${fake.baseUrl}`);
  await page.getByTestId('cloud-check').click();
  await expect(page.getByTestId('cloud-check-result')).toContainText('enter the key again in Settings → Cloud');

  // The page's other preferences still save.
  await page.getByLabel('Theme').selectOption('light');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await expect(page.getByTestId('ffmpeg-path')).toHaveText(ffmpeg);
  await page.screenshot({ path: 'test-results/screenshots/settings-browser.png', fullPage: true });

  // The key saved for the old address can still be removed from here.
  await expect(page.getByTestId('cloud-key-remove')).toHaveText('Remove saved key');
  await page.getByTestId('cloud-settings').screenshot({ path: 'test-results/screenshots/settings-key-for-other-address.png' });
  await page.getByTestId('cloud-key-remove').click();
  await expect(page.getByTestId('cloud-key-status')).toHaveText('No key yet.');
  await expect(page.getByTestId('cloud-key-remove')).toHaveCount(0);

  expect(attacker.authorized()).toBe(0);
  expect(await page.content()).not.toContain(KEY);
});
