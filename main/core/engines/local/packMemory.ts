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
 * Refuses a render whose pack cannot be loaded in this computer's memory, before any preparation:
 * otherwise the worker fails at the first large graph after minutes of work.
 */
export async function checkPackFitsMemory(pack: InstalledPack, keepLoaded: boolean, memoryBytes = totalmem()): Promise<void> {
  const problem = weightsMemoryProblem(await installedWeightsNeed(pack), keepLoaded, memoryBytes);
  if (problem) throw new StudioError('unavailable', problem);
}
