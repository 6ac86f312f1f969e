import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StudioError } from '../contract/errors';

/** The folder the bundled preview models live in, under resources/ (source) or the app's resources (packaged). */
export const PREVIEW_MODELS_FOLDER = 'preview-models';

/** Every file the bundled previews need (scripts/installPreviewModels.mjs copies the same list). */
export const PREVIEW_MODEL_FILES = [
  'movenet-multipose.json',
  'movenet-multipose.bin',
  'selfie.json',
  'selfie.bin',
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const;

/** What decides where the models are: the only inputs, so the rule is tested without Electron. */
export interface PreviewModelsPlace {
  /** WAN_STUDIO_RESOURCES: a folder holding preview-models/ (tests, unusual installs). */
  override: string | null;
  /**
   * Electron's process.resourcesPath: in a packaged app, electron-builder's extraResources
   * (electron-builder.json) put preview-models/ there. Unset under Node (server, CLI, tests).
   */
  resourcesPath: string | null;
  /** The folder of the running module: out/main, out/main/chunks, or main/core/animate in source. */
  moduleDir: string;
}

/** Where to look, in order: the override, the packaged app's resources, then resources/ of the checkout. */
export function previewModelsCandidates(place: PreviewModelsPlace): string[] {
  const { override, resourcesPath, moduleDir } = place;
  return [
    ...(override ? [join(override, PREVIEW_MODELS_FOLDER)] : []),
    ...(resourcesPath ? [join(resourcesPath, PREVIEW_MODELS_FOLDER)] : []),
    join(moduleDir, '..', '..', 'resources', PREVIEW_MODELS_FOLDER), // out/main
    join(moduleDir, '..', '..', '..', 'resources', PREVIEW_MODELS_FOLDER), // out/main/chunks, main/core/animate
  ];
}

/**
 * The folder of the bundled preview models: the first candidate that exists, checked to hold
 * every file. A missing folder or file is named, with how to get it back.
 */
export function resolvePreviewModelsDir(place: PreviewModelsPlace, exists: (path: string) => boolean = existsSync): string {
  const candidates = previewModelsCandidates(place);
  const dir = candidates.find((c) => exists(c));
  // A packaged app runs from inside its resources (app.asar); a checkout is fixed with npm.
  const packaged = !!place.resourcesPath && !place.override && place.moduleDir.startsWith(place.resourcesPath);
  const fix = packaged ? 'Reinstall Wan Studio.' : 'Run "npm install" (or "node scripts/installPreviewModels.mjs") in the studio\'s folder.';
  if (!dir) {
    throw new StudioError('unavailable', `The bundled preview models are missing: no ${PREVIEW_MODELS_FOLDER} folder in ${candidates.map((c) => dirname(c)).join(', ')}. ${fix}`);
  }
  const missing = PREVIEW_MODEL_FILES.find((f) => !exists(join(dir, f)));
  if (missing) throw new StudioError('unavailable', `The bundled preview model file ${missing} is missing from ${dir}. ${fix}`);
  return dir;
}

/** This process's place: Electron sets process.resourcesPath only in its own processes. */
export function currentPreviewModelsPlace(): PreviewModelsPlace {
  const resourcesPath = (process as { resourcesPath?: unknown }).resourcesPath;
  return {
    override: process.env.WAN_STUDIO_RESOURCES || null,
    // In development Electron points it at its own dist/resources, which has no preview-models/:
    // the search goes on to the checkout's resources/.
    resourcesPath: typeof resourcesPath === 'string' ? resourcesPath : null,
    moduleDir: dirname(fileURLToPath(import.meta.url)),
  };
}

export function previewModelsDir(): string {
  return resolvePreviewModelsDir(currentPreviewModelsPlace());
}
