import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Library } from '../../../main/core/library/library';
import { createStudioCore, type StudioCore } from '../../../main/core/studioCore';
import { silentLogger } from '../../../main/core/logger';
import { makePng, makeTempDir, makeWav } from '../../helpers/generatedMedia';

const open: Array<{ close?: () => void; dispose?: () => void }> = [];
afterEach(() => {
  for (const x of open.splice(0)) (x.dispose ?? x.close)?.call(x);
});

describe('project editor state', () => {
  it('starts empty, merges patches field by field, and survives a reopen', async () => {
    const home = makeTempDir('state');
    const src = makeTempDir('state-src');
    const lib = await Library.open(home);
    const p = lib.createProject('Editor');
    expect(lib.getProject(p.id).state).toEqual({
      s2v: { imageAssetId: null, audioAssetId: null, audioTrim: { inSec: 0, outSec: null }, params: {} },
      animate: { videoAssetId: null, referenceAssetId: null, videoTrim: { inSec: 0, outSec: null }, params: {}, person: null },
      engine: 'auto',
    });
    const img = (await lib.importFile({ projectId: p.id, path: makePng(join(src, 'a.png')), displayName: 'a.png', move: false })).asset;
    const wav = (await lib.importFile({ projectId: p.id, path: makeWav(join(src, 'a.wav'), 3), displayName: 'a.wav', move: false })).asset;
    lib.updateProjectState(p.id, { s2v: { imageAssetId: img.id, audioAssetId: wav.id } });
    lib.updateProjectState(p.id, { s2v: { audioTrim: { inSec: 0.5, outSec: 2.25 }, params: { prompt: 'a woman singing' } }, engine: 'cloud' });
    lib.close();

    const again = await Library.open(home);
    open.push(again);
    expect(again.getProject(p.id).state.s2v).toEqual({
      imageAssetId: img.id,
      audioAssetId: wav.id,
      audioTrim: { inSec: 0.5, outSec: 2.25 },
      params: { prompt: 'a woman singing' },
    });
    expect(again.getProject(p.id).state.engine).toBe('cloud');

    // Removing an asset clears the editor's reference to it.
    await again.removeAsset(wav.id);
    expect(again.getProject(p.id).state.s2v.audioAssetId).toBeNull();
    expect(again.getProject(p.id).state.s2v.imageAssetId).toBe(img.id);
  });

  it('refuses assets from another project and bad trims, through the contract, without saving', async () => {
    const core: StudioCore = await createStudioCore({ home: makeTempDir('state-contract'), log: silentLogger });
    open.push(core);
    const ctx = { transport: 'ws' as const };
    const src = makeTempDir('state-contract-src');
    const a = core.library.createProject('A');
    const b = core.library.createProject('B');
    const foreign = (await core.library.importFile({ projectId: b.id, path: makePng(join(src, 'b.png')), displayName: 'b.png', move: false })).asset;

    expect(await core.dispatch('library.updateProjectState', { id: a.id, patch: { s2v: { imageAssetId: foreign.id } } }, ctx)).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: `s2v.imageAssetId: asset ${foreign.id} is not in this project. Import the file into the project first.` },
    });
    expect(await core.dispatch('library.updateProjectState', { id: a.id, patch: { s2v: { audioTrim: { inSec: 4, outSec: 2 } } } }, ctx)).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'library.updateProjectState: patch.s2v.audioTrim.outSec: the out point must come after the in point' },
    });
    expect(await core.dispatch('library.updateProjectState', { id: a.id, patch: { animate: { videoTrim: { inSec: -1, outSec: null } } } }, ctx)).toMatchObject({
      ok: false,
      error: { message: 'library.updateProjectState: patch.animate.videoTrim.inSec: must not be negative' },
    });
    expect(core.library.getProject(a.id).state.s2v.imageAssetId).toBeNull();
  });
});
