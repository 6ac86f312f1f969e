import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PREVIEW_MODEL_FILES, PREVIEW_MODELS_FOLDER, previewModelsCandidates, resolvePreviewModelsDir } from '../../../main/core/animate/previewModels';
import { makeTempDir } from '../../helpers/generatedMedia';

const repo = join(import.meta.dirname, '..', '..', '..');

/** A folder laid out like an installed app: <root>/resources/{app.asar/out/main, preview-models/*}. */
function packagedApp(withModels: boolean): { resourcesPath: string; moduleDir: string } {
  const resourcesPath = join(makeTempDir('packaged-app'), 'resources');
  const moduleDir = join(resourcesPath, 'app.asar', 'out', 'main');
  mkdirSync(moduleDir, { recursive: true });
  if (withModels) {
    mkdirSync(join(resourcesPath, PREVIEW_MODELS_FOLDER));
    for (const f of PREVIEW_MODEL_FILES) writeFileSync(join(resourcesPath, PREVIEW_MODELS_FOLDER, f), 'x');
  }
  return { resourcesPath, moduleDir };
}

describe('where the bundled preview models are found', () => {
  it('a packaged app: from process.resourcesPath (electron-builder extraResources)', () => {
    const app = packagedApp(true);
    expect(resolvePreviewModelsDir({ override: null, ...app })).toBe(join(app.resourcesPath, 'preview-models'));
  });

  it('the server, the CLI and the tests: resources/ of the checkout, from the built code and from the source', () => {
    const installed = join(repo, 'resources', 'preview-models');
    expect(resolvePreviewModelsDir({ override: null, resourcesPath: null, moduleDir: join(repo, 'out', 'main') })).toBe(installed);
    expect(resolvePreviewModelsDir({ override: null, resourcesPath: null, moduleDir: join(repo, 'main', 'core', 'animate') })).toBe(installed);
    // Electron in development points resourcesPath at its own folder, which has no models: on to the checkout.
    const devElectron = join(repo, 'node_modules', 'electron', 'dist', 'resources');
    expect(resolvePreviewModelsDir({ override: null, resourcesPath: devElectron, moduleDir: join(repo, 'out', 'main') })).toBe(installed);
  });

  it('WAN_STUDIO_RESOURCES comes first', () => {
    const app = packagedApp(true);
    const candidates = previewModelsCandidates({ override: app.resourcesPath, resourcesPath: '/elsewhere', moduleDir: join(repo, 'out', 'main') });
    expect(candidates[0]).toBe(join(app.resourcesPath, 'preview-models'));
    expect(candidates[1]).toBe(join('/elsewhere', 'preview-models'));
  });

  it('a missing file is named, with what to do: reinstall the app, or npm install in a checkout', () => {
    const app = packagedApp(true);
    rmSync(join(app.resourcesPath, PREVIEW_MODELS_FOLDER, 'selfie.bin'));
    expect(() => resolvePreviewModelsDir({ override: null, ...app })).toThrow(`The bundled preview model file selfie.bin is missing from ${join(app.resourcesPath, 'preview-models')}. Reinstall Wan Studio.`);

    const checkout = makeTempDir('checkout');
    mkdirSync(join(checkout, 'out', 'main'), { recursive: true });
    expect(() => resolvePreviewModelsDir({ override: null, resourcesPath: null, moduleDir: join(checkout, 'out', 'main') })).toThrow(
      /The bundled preview models are missing: no preview-models folder in .*checkout.*resources.*Run "npm install"/,
    );
  });

  it('the packaging config ships the folder the resolver looks in, and the install script copies every file it checks', () => {
    const builder = JSON.parse(readFileSync(join(repo, 'electron-builder.json'), 'utf8')) as { extraResources: Array<{ from: string; to: string }> };
    expect(builder.extraResources).toContainEqual(expect.objectContaining({ from: 'resources/preview-models', to: PREVIEW_MODELS_FOLDER }));
    const script = readFileSync(join(repo, 'scripts', 'installPreviewModels.mjs'), 'utf8');
    const copied = [...script.matchAll(/\[\w+, '([^']+)'\]/g)].map((m) => m[1]);
    expect(copied).toEqual([...PREVIEW_MODEL_FILES]);
  });
});
