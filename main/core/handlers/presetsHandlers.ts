import { PARAMS_VERSION } from '../contract/params/index';
import { PresetRepository } from '../library/presetRepository';
import type { HandlersFor, StudioServices } from './types';

export function presetsHandlers({ library }: StudioServices): HandlersFor<'presets'> {
  const presets = new PresetRepository(library.db, PARAMS_VERSION);
  return {
    'presets.list': ({ app }) => presets.list(app),
    'presets.save': ({ app, name, params }) => presets.save(app, name, params),
    'presets.rename': ({ id, name }) => presets.rename(id, name),
    'presets.delete': ({ id }) => {
      presets.delete(id);
      return { deleted: true as const };
    },
  };
}
