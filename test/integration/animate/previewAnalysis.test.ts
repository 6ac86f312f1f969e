import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analysisPlan } from '../../../main/core/animate/animatePreviewService';
import { readAnalysis } from '../../../main/core/animate/storedAnalysis';
import type { AnimatePrecomputeStatus } from '../../../main/core/contract/animateTypes';
import { planRender } from '../../../main/core/render/renderPlan';
import { createStudioCore, type StudioCore } from '../../../main/core/studioCore';
import { silentLogger } from '../../../main/core/logger';
import { makeTempDir } from '../../helpers/generatedMedia';
import { makePreprocessFixture } from '../../helpers/preprocessFixture';
import { realMedia } from '../../helpers/realMedia';

const open: StudioCore[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.dispose();
});

/** A grey video with nobody in it (cheap to make at any length). */
function greyVideo(dir: string, seconds: number, rate = 2): string {
  const out = join(dir, `grey-${seconds}s.mp4`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=gray:s=160x120:r=${rate}`, '-t', String(seconds), '-pix_fmt', 'yuv420p', out]);
  return out;
}

async function coreWith(files: string[]) {
  const core = await createStudioCore({ home: makeTempDir('animate-analysis'), log: silentLogger });
  open.push(core);
  const project = core.library.createProject('Analysis', 'animate');
  const assets = [];
  for (const f of files) assets.push((await core.library.importFile({ projectId: project.id, path: f, displayName: f.split('/').pop()!, move: false })).asset);
  return { core, project, assets };
}

/** Resolves with the first progress event `pred` accepts. */
function progress(core: StudioCore, pred: (s: AnimatePrecomputeStatus) => boolean): Promise<AnimatePrecomputeStatus> {
  return new Promise((resolve) => {
    const sub = core.events.onAny((name, payload) => {
      if (name === 'animate.precomputeProgress' && pred(payload as AnimatePrecomputeStatus)) {
        void sub.dispose();
        resolve(payload as AnimatePrecomputeStatus);
      }
    });
  });
}

describe('whole-video analysis for Animate previews', () => {
  it('bounds the work: a 10-minute video is sampled every 2 s (300 frames), short ones at 5 frames a second', () => {
    expect(analysisPlan(600)).toEqual({ stepSec: 2, total: 300 });
    expect(analysisPlan(3)).toEqual({ stepSec: 0.2, total: 15 });
    expect(analysisPlan(4 * 3600).total).toBe(300);
  });

  it('a 10-minute video: progress, then cancel stops it and stores nothing', async () => {
    const { core, assets } = await coreWith([greyVideo(makeTempDir('ten-min'), 600, 1)]);
    const video = assets[0]!;
    const twoDone = progress(core, (s) => s.done >= 2);
    const started = await core.animatePreviews.start(video.id);
    expect(started).toMatchObject({ state: 'running', total: 300, stepSec: 2 });
    const seen = await twoDone;
    expect(seen.fps).toBeGreaterThan(0);
    const cancelled = await core.animatePreviews.cancel(video.id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.message).toMatch(/Cancelled after \d+ of 300 frames; nothing was stored/);
    expect(await readAnalysis(core.library.home, video.sha256, 'bundled')).toBeNull();
  });

  it('stores the analysis, reuses it for previews, and a replacement render with nobody in the video is refused before it starts', async () => {
    const { core, project, assets } = await coreWith([greyVideo(makeTempDir('nobody'), 2), realMedia('messi5.jpg')]);
    const [video, image] = assets as [(typeof assets)[0], (typeof assets)[0]];
    const done = progress(core, (s) => s.state === 'done');
    await core.animatePreviews.start(video.id);
    const finished = await done;
    expect(finished).toMatchObject({ state: 'done', done: 10, total: 10 });
    expect(finished.message).toContain('stored in the library');
    const stored = await readAnalysis(core.library.home, video.sha256, 'bundled');
    expect(stored?.frames).toHaveLength(10);
    const frame = await core.animatePreviews.previewFrame(video.id, 1.0);
    expect(frame).toMatchObject({ source: 'stored', people: [], primary: -1 });
    expect(frame.issues[0]).toMatchObject({ kind: 'no_person' });

    core.library.updateProjectState(project.id, { animate: { videoAssetId: video.id, referenceAssetId: image.id, params: { mode: 'replacement' } } });
    expect(() => planRender(core.library, project.id, 'animate')).toThrow(/no person found in grey-2s\.mp4 between 0\.00 s and 2\.00 s/);
    // Animation mode does not need a person to replace.
    core.library.updateProjectState(project.id, { animate: { params: { mode: 'animation' } } });
    expect(planRender(core.library, project.id, 'animate').app).toBe('animate');
  });

  it('uses the official models once a preprocess pack is in <library>/preprocess', async () => {
    const { core, assets } = await coreWith([realMedia('messi5.jpg')]);
    const image = assets[0]!;
    expect((await core.animatePreviews.previewFrame(image.id, 0)).model.id).toBe('bundled');
    makePreprocessFixture(join(core.library.home, 'preprocess'));
    const frame = await core.animatePreviews.previewFrame(image.id, 0);
    expect(frame.model.id).toBe('official');
    expect(frame.people[0]?.face).toHaveLength(68);
  });
});
