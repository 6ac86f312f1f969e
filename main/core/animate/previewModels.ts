import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StudioError } from '../contract/errors';

/**
 * Where the bundled preview models are: resources/preview-models, installed there from npm by
 * scripts/installPreviewModels.mjs. WAN_STUDIO_RESOURCES overrides (a packaged app's resources).
 */
export function previewModelsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    ...(process.env.WAN_STUDIO_RESOURCES ? [join(process.env.WAN_STUDIO_RESOURCES, 'preview-models')] : []),
    join(here, '..', '..', 'resources', 'preview-models'), // out/main
    join(here, '..', '..', '..', 'resources', 'preview-models'), // out/main/chunks
    join(here, '..', '..', '..', 'resources', 'preview-models'), // main/core/animate (source)
  ];
  const found = candidates.find((c) => existsSync(join(c, 'movenet-multipose.json')));
  if (!found) throw new StudioError('internal', 'The bundled preview models are missing (resources/preview-models). Reinstall the studio, or run "npm install" in a source checkout.');
  return found;
}
