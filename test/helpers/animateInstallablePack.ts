import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnimateManifest2 } from '../../common/pack/animateManifest2';
import { animatePack2Manifest, writeAnimatePack2 } from './animatePack2Fixture';

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

/**
 * An Animate format 2 pack the studio imports (every file present and hashed, every graph's declared
 * I/O in its protobuf) in a fraction of a second. Its graphs compute nothing: it is for what happens
 * around a render (the engine offered, limits checked), not for rendering; the tiny exported pack is.
 */
export async function writeInstallableAnimatePack(dir: string): Promise<AnimateManifest2> {
  const manifest = animatePack2Manifest();
  await writeAnimatePack2(dir, manifest);
  await writeFile(join(dir, manifest.tokenizer.file), JSON.stringify({ model: { type: 'Unigram', vocab: [] } }));
  manifest.tokenizer.sha256 = await sha256(join(dir, manifest.tokenizer.file));
  for (const c of Object.values(manifest.components)) {
    c.sha256 = await sha256(join(dir, c.file));
    for (const e of c.externalData) e.sha256 = await sha256(join(dir, e.file));
  }
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}
