import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planRender } from '../../../main/core/render/renderPlan';
import type { StudioCore } from '../../../main/core/studioCore';
import { openCloudCore, startFake } from '../../helpers/cloudStudio';
import { makeMp4, makePng, makeTempDir, makeWav } from '../../helpers/generatedMedia';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** testsrc2 cannot make a 1×1 picture; a scaled solid colour can. */
function onePixelPng(path: string): string {
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=gray:s=16x16', '-vf', 'scale=1:1', '-frames:v', '1', path]);
  return path;
}

async function importInto(core: StudioCore, projectId: string, file: string, name: string) {
  return (await core.library.importFile({ projectId, path: file, displayName: name, move: false })).asset;
}

describe('what a render refuses before it starts', () => {
  it('a 1×1 portrait never reaches the paid cloud: the problem names the size and the minimum', async () => {
    const fake = await startFake();
    cleanups.push(() => fake.stop());
    const core = await openCloudCore(fake);
    cleanups.push(() => core.dispose());
    const dir = makeTempDir('tiny-portrait');
    const project = core.library.createProject('Tiny', 's2v');
    const image = await importInto(core, project.id, onePixelPng(join(dir, 'dot.png')), 'dot.png');
    const audio = await importInto(core, project.id, makeWav(join(dir, 'voice.wav'), 2), 'voice.wav');
    core.library.updateProjectState(project.id, { s2v: { imageAssetId: image.id, audioAssetId: audio.id, params: { prompt: 'a person talking' } } });

    const envelope = await core.dispatch('render.submit', { projectId: project.id, engine: 'cloud' }, { transport: 'ipc' });
    expect(envelope).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'The render cannot start: Portrait: dot.png is 1×1 pixels; the model needs at least 64 pixels on the shorter side. Pick a larger picture.',
      },
    });
    expect(fake.requests).toEqual([]);
  });

  it('names each kind of file with the right article', async () => {
    const fake = await startFake();
    cleanups.push(() => fake.stop());
    const core = await openCloudCore(fake);
    cleanups.push(() => core.dispose());
    const dir = makeTempDir('wrong-kinds');
    const project = core.library.createProject('Kinds', 's2v');
    const image = await importInto(core, project.id, makePng(join(dir, 'face.png'), '64x96'), 'face.png');
    const audio = await importInto(core, project.id, makeWav(join(dir, 'voice.wav'), 2), 'voice.wav');
    core.library.updateProjectState(project.id, { s2v: { imageAssetId: audio.id, audioAssetId: image.id, params: { prompt: 'x' } } });
    expect(() => planRender(core.library, project.id, 's2v')).toThrow(
      'The render cannot start: Portrait: voice.wav is an audio file, not an image. Voice or song: face.png is an image, not an audio file.',
    );

    const animate = core.library.createProject('Animate kinds', 'animate');
    const clip = await importInto(core, animate.id, makeMp4(join(dir, 'drive.mp4'), 1, '320x240'), 'drive.mp4');
    const voice = await importInto(core, animate.id, makeWav(join(dir, 'voice2.wav'), 1), 'voice2.wav');
    core.library.updateProjectState(animate.id, { animate: { videoAssetId: voice.id, referenceAssetId: clip.id } });
    expect(() => planRender(core.library, animate.id, 'animate')).toThrow(
      'The render cannot start: Driving video: voice2.wav is an audio file, not a video. Character: drive.mp4 is a video, not an image.',
    );
    // A picture of exactly the minimum is fine.
    core.library.updateProjectState(project.id, { s2v: { imageAssetId: image.id, audioAssetId: audio.id } });
    expect(planRender(core.library, project.id, 's2v').inputs).toMatchObject({ imageAssetId: image.id });
  });
});
