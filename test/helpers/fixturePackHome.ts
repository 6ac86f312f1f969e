import { expect } from '@playwright/test';
import { makeFixturePack } from '../../main/core/engines/local/fixturePack';
import type { PackManifest2 } from '../../common/pack/packManifest2';
import { makeTempDir } from './generatedMedia';
import { runCliProcess } from './studioProcess';

/**
 * A new library with the S2V fixture pack installed through the CLI, as a user installs a pack.
 * `edit` changes the pack folder before the import (an older manifest, say).
 */
export async function homeWithFixturePack(name: string, edit?: (packDir: string, manifest: PackManifest2) => void): Promise<string> {
  const home = makeTempDir(`${name}-home`);
  const pack = makeTempDir(`${name}-pack`);
  const manifest = await makeFixturePack(pack);
  edit?.(pack, manifest);
  const imported = await runCliProcess(['packs', 'import', pack, '--home', home]);
  expect(imported.code, imported.stderr).toBe(0);
  return home;
}
