import { readdir, truncate } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { homeWithFixturePack } from '../helpers/fixturePackHome';
import { startServe, type ServeHandle } from '../helpers/studioProcess';

let server: ServeHandle;

test.beforeAll(async () => {
  const home = await homeWithFixturePack('e2e-pack-memory');
  // The installed DiT's weights grown (sparse, no disk used) to twice this computer's memory: a pack too large to load here.
  const [installed] = await readdir(join(home, 'packs'));
  await truncate(join(home, 'packs', installed!, 'dit_rest.weights'), 2 * totalmem());
  server = await startServe(home, [], { INFERENCE_API_KEY: '' });
});
test.afterAll(async () => {
  await server?.stop();
});

test("a pack too large for this computer's memory: Settings says what it needs and why it cannot run here", async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('packs')).toContainText('wan-s2v-fixture');
  await expect(page.getByTestId('pack-memory')).toHaveText(/^\d+(\.\d)? GB$/);
  await expect(page.getByTestId('pack-memory-problem')).toHaveText(
    /^The model pack's video model \(dit_rest\) needs about \d+ GB of memory once loaded \(its weights run as float32\); this computer has \d+ GB\. Render in the cloud, or on a computer with more memory\.$/,
  );
  await page.getByTestId('packs').screenshot({ path: 'test-results/screenshots/settings-pack-too-large.png' });
});
