import { StudioError } from '../contract/errors';
import type { PackDto } from '../contract/index';
import { listedPackMemory } from '../engines/local/packMemory';
import type { InstalledPack } from '../engines/local/packStore';
import { planProviders } from '../../../common/providers/providers';
import { installPreprocessPack, preprocessStatus, removePreprocessPack } from '../animate/preprocessPack';
import type { HandlersFor, StudioServices } from './types';

async function toDto(p: InstalledPack): Promise<PackDto> {
  const memory = await listedPackMemory(p);
  return {
    id: p.id,
    name: p.manifest.name,
    version: p.manifest.version,
    pipeline: p.manifest.pipeline,
    sizeBytes: p.sizeBytes,
    components: Object.keys(p.manifest.components).filter((k) => k !== 'tokenizer'),
    loadedBytes: memory.loadedBytes,
    memoryProblem: memory.problem,
  };
}

export function enginesHandlers({ packs, library }: StudioServices): HandlersFor<'engines'> {
  return {
    'engines.status': async () => {
      const forced = library.readSettings().localProvider;
      const plan = planProviders(forced);
      return { packs: await Promise.all((await packs.list()).map(toDto)), providers: { forced, candidates: plan.candidates, skipped: plan.skipped } };
    },
    'engines.importPack': async ({ path }, ctx) => {
      if (ctx.transport === 'ws') throw new StudioError('forbidden', 'A browser page cannot import a folder from this machine. Use the desktop app or `wan-studio packs import <folder>`.');
      return toDto(await packs.importFrom(path));
    },
    'engines.removePack': async ({ id }) => {
      await packs.remove(id);
      return { removed: true as const };
    },
    'engines.preprocessStatus': () => preprocessStatus(library.home),
    'engines.installPreprocess': async ({ path }, ctx) => {
      if (ctx.transport === 'ws') throw new StudioError('forbidden', 'A browser page cannot install a folder from this machine. Use the desktop app or `wan-studio packs import <folder>`.');
      return installPreprocessPack(library.home, path);
    },
    'engines.removePreprocess': () => removePreprocessPack(library.home),
  };
}
