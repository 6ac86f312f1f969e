import { stat } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { packWeightsNeed, weightsMemoryProblem, type PackWeightsNeed } from '../../../../common/pack/loadedWeights';
import type { GraphComponent2 } from '../../../../common/pack/packManifest2';
import { StudioError } from '../../contract/errors';
import type { InstalledPack } from './packStore';

/** The loaded size of an installed pack's graphs, from the sizes of its files. */
export async function installedWeightsNeed(pack: InstalledPack): Promise<PackWeightsNeed> {
  const components = pack.manifest.components as Record<string, GraphComponent2>;
  const sizes = new Map<string, number>();
  for (const c of Object.values(components)) {
    for (const file of [c.file, ...c.externalData.map((e) => e.file)]) sizes.set(file, (await stat(join(pack.dir, file))).size);
  }
  return packWeightsNeed(components, (file) => sizes.get(file) ?? 0);
}

/**
 * What Settings and the engine's availability say about a listed pack: its largest graph's loaded size
 * and why this computer cannot load it even one graph at a time, or null. The store lists only whole
 * packs; a file can still go between the listing and here, which is said too.
 */
export async function listedPackMemory(pack: InstalledPack, memoryBytes = totalmem()): Promise<{ loadedBytes: number; problem: string | null }> {
  const need = await installedWeightsNeed(pack).catch(() => null);
  if (!need) return { loadedBytes: 0, problem: `The model pack "${pack.manifest.name}" is missing files: import it again in Settings → Local engine.` };
  return { loadedBytes: need.largest.bytes, problem: weightsMemoryProblem(need, false, memoryBytes) };
}

/**
 * Refuses a render whose pack cannot be loaded in this computer's memory (one graph at a time, or all
 * of them when kept loaded), before any preparation: otherwise the worker fails at the first large
 * graph after minutes of work.
 */
export function checkPackFitsMemory(need: PackWeightsNeed, keepLoaded: boolean, memoryBytes = totalmem()): void {
  const problem = weightsMemoryProblem(need, keepLoaded, memoryBytes);
  if (problem) throw new StudioError('unavailable', problem);
}
