import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PreviewDetector } from '../../../main/core/animate/previewDetector';
import { animateParamsSchema } from '../../../main/core/contract/params/index';
import { prepareAnimate } from '../../../main/core/engines/local/animatePrep';
import { silentLogger } from '../../../main/core/logger';
import { createStudioCore, type StudioCore } from '../../../main/core/studioCore';
import { makeTempDir } from '../../helpers/generatedMedia';
import { realMedia } from '../../helpers/realMedia';
import { runExporterOk } from '../../helpers/wanExport';
import { benchCache, cachedMedia, report } from '../helpers/benchTools';

/**
 * Memory of a local Animate render must not grow with the driving video's length, on either side:
 * - main streams the video a frame at a time into the sequence files: peak RSS of this process while
 *   preparing 10 s and 59 s of vtest.avi (10 fps, replacement: pose, face, mask, background), sampled
 *   every 50 ms;
 * - the worker reads the sequences clip by clip: its peak RSS (reported with its result) rendering
 *   10 s and 59 s with the tiny exported Animate pack (1 frame a second, clips of 5: 3 and 15 clips,
 *   so the run takes minutes, not hours, on two cores).
 * Each ratio must be at most 1.15.
 */
const detector = new PreviewDetector();
afterAll(() => detector.dispose());

const clip = (seconds: number) => cachedMedia(`vtest-${seconds}s.avi`, (out) => ['-i', realMedia('vtest.avi'), '-t', String(seconds), '-c', 'copy', out]);

async function peakPrepRss(seconds: number): Promise<{ peak: number; frames: number; ms: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  const t = performance.now();
  try {
    const prep = await prepareAnimate({
      workDir: makeTempDir('bench-animate-prep'),
      video: clip(seconds),
      image: realMedia('messi5.jpg'),
      params: animateParamsSchema.parse({ mode: 'replacement', resolution_width: 512, resolution_height: 512, fps: -1, clip_len: 77, refert_num: 1 }),
      person: null,
      faceSize: 512,
      ditAttention: { heads: 2, attention: 'multihead' }, // the tiny pack's: preparation only reads it for the early memory check
      detector,
      tools: {},
      signal: new AbortController().signal,
      onEvent: () => undefined,
    });
    return { peak: Math.max(peak, process.memoryUsage.rss()), frames: prep.realLen, ms: performance.now() - t };
  } finally {
    clearInterval(timer);
  }
}

it('preparing 59 s of driving video peaks at most 1.15x the memory of 10 s (main process)', async () => {
  const short = await peakPrepRss(10);
  const long = await peakPrepRss(59);
  const ratio = long.peak / short.peak;
  const mb = (b: number) => (b / 2 ** 20).toFixed(1);
  report('local Animate preparation peak RSS (main)', { '10 s MB': mb(short.peak), '59 s MB': mb(long.peak), 'frames 10 s / 59 s': `${short.frames} / ${long.frames}`, 'ms per frame': (long.ms / long.frames).toFixed(1), ratio: ratio.toFixed(3), limit: 1.15 });
  expect(ratio).toBeLessThanOrEqual(1.15);
});

/** The tiny exported Animate pack, made once and kept between bench runs. */
function tinyPack(): string {
  const pack = join(benchCache, 'animate-tiny-pack');
  if (!existsSync(join(pack, 'manifest.json'))) {
    runExporterOk(['tiny', '--app', 'animate', '--out', join(benchCache, 'animate-tiny-ckpt')]);
    runExporterOk(['export', '--app', 'animate', '--checkpoint', join(benchCache, 'animate-tiny-ckpt'), '--out', pack, '--weights', 'float32']);
  }
  return pack;
}

async function workerPeak(core: StudioCore, seconds: number): Promise<{ peak: number; clips: number; ms: number }> {
  const work = makeTempDir('bench-animate-render');
  const t = performance.now();
  await core.localEngine.run({
    jobId: 'bench',
    projectId: 'bench',
    app: 'animate',
    params: animateParamsSchema.parse({ mode: 'replacement', resolution_width: 512, resolution_height: 512, fps: 1, clip_len: 5, refert_num: 1, sampling_steps: 10, seed: 3 }),
    inputs: { video: clip(seconds), image: realMedia('messi5.jpg') },
    outputFile: join(work, 'out.mp4'),
    workDir: work,
    signal: new AbortController().signal,
    onEvent: () => undefined,
  });
  const result = core.localEngine.lastRun.result;
  if (!result) throw new Error('no result');
  return { peak: result.maxRssBytes, clips: result.clips, ms: performance.now() - t };
}

it('rendering 59 s of driving video peaks at most 1.15x the worker memory of 10 s (tiny exported pack)', async () => {
  const core = await createStudioCore({ home: makeTempDir('bench-animate-home'), log: silentLogger, env: {} });
  try {
    await core.packs.importFrom(tinyPack());
    const short = await workerPeak(core, 10);
    const long = await workerPeak(core, 59);
    const ratio = long.peak / short.peak;
    const mb = (b: number) => (b / 2 ** 20).toFixed(1);
    report('local Animate render peak RSS (worker)', { '10 s MB': mb(short.peak), '59 s MB': mb(long.peak), 'clips 10 s / 59 s': `${short.clips} / ${long.clips}`, 's 10 s / 59 s': `${(short.ms / 1000).toFixed(0)} / ${(long.ms / 1000).toFixed(0)}`, ratio: ratio.toFixed(3), limit: 1.15 });
    expect(ratio).toBeLessThanOrEqual(1.15);
  } finally {
    await core.dispose();
  }
});
