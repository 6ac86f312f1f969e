import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkAnimatePack2 } from '../../common/pack/checkAnimatePack2';
import { checkPack2 } from '../../common/pack/checkPack2';
import type { AnimateComponentName } from '../../common/pack/animateManifest2';
import type { S2vComponentName } from '../../common/pack/packManifest2';
import type { ProviderName } from '../../common/providers/providers';
import type { AnimatePack } from '../animate/animatePack';
import { PackError, PackSessions } from '../ort/packSessions';
import type { S2vPack } from '../s2v/s2vPack';

export type LoadedPack = { pipeline: 's2v'; pack: S2vPack } | { pipeline: 'animate'; pack: AnimatePack };

/** The manifest's pipeline; an unreadable manifest is left to the S2V check, which names the problem. */
async function manifestPipeline(dir: string): Promise<'animate' | 's2v'> {
  try {
    const json = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { pipeline?: unknown } | null;
    return json?.pipeline === 'animate' ? 'animate' : 's2v';
  } catch {
    return 's2v';
  }
}

/**
 * Checks a format 2 pack from its protobuf (no 30 GB session is opened just to look) by the check
 * of its manifest's pipeline, then opens its sessions on the chosen provider.
 */
export async function loadPack(dir: string, options: { provider: ProviderName | null; keepLoaded: boolean }): Promise<LoadedPack> {
  const open = { forced: options.provider, keepLoaded: options.keepLoaded, checkEverySession: false };
  const invalid = (problems: string[]) => new PackError('pack_invalid', `The model pack in ${dir} does not fit its manifest: ${problems.join('; ')}. Import it again.`);
  if ((await manifestPipeline(dir)) === 'animate') {
    const check = await checkAnimatePack2(dir);
    if (!check.ok) throw invalid(check.problems);
    const sessions = await PackSessions.open<AnimateComponentName>(dir, check.manifest.components, open);
    return { pipeline: 'animate', pack: { dir, manifest: check.manifest, sessions } };
  }
  const check = await checkPack2(dir);
  if (!check.ok) throw invalid(check.problems);
  const sessions = await PackSessions.open<S2vComponentName>(dir, check.manifest.components, open);
  return { pipeline: 's2v', pack: { dir, manifest: check.manifest, sessions } };
}
