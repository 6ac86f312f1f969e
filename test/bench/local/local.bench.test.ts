import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { s2vParamsSchema } from '../../../main/core/contract/params/index';
import { makeFixturePack } from '../../../main/core/engines/local/fixturePack';
import { silentLogger } from '../../../main/core/logger';
import { createStudioCore, type StudioCore } from '../../../main/core/studioCore';
import { makeTempDir } from '../../helpers/generatedMedia';
import { report } from '../helpers/benchTools';

async function engineCore(packOptions: Parameters<typeof makeFixturePack>[1], steps: number): Promise<StudioCore> {
  const dir = makeTempDir('bench-pack');
  await makeFixturePack(dir, packOptions);
  const core = await createStudioCore({ home: makeTempDir('bench-local'), log: silentLogger, env: {}, localOptions: { sampling: { steps } } });
  await core.packs.importFrom(dir);
  return core;
}

function inputs(seconds: number, size: string) {
  const dir = makeTempDir('bench-local-in');
  const image = join(dir, 'face.png');
  const audio = join(dir, 'voice.wav');
  const model = join(dir, 'voice-16k.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${size}`, '-frames:v', '1', image]);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=f=300:d=${seconds}`, '-ar', '44100', audio]);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', audio, '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', '-map_metadata', '-1', '-fflags', '+bitexact', model]);
  return { image, audio, modelAudio: model };
}

async function render(core: StudioCore, seconds: number, size: string, params: Record<string, unknown> = {}) {
  const input = inputs(seconds, size);
  const work = makeTempDir('bench-local-job');
  const t = performance.now();
  await core.localEngine.run({
    jobId: 'bench',
    projectId: 'bench',
    app: 's2v',
    params: s2vParamsSchema.parse({ prompt: 'bench', resolution: '480p', seed: 5, ...params }),
    inputs: input,
    outputFile: join(work, 'out.mp4'),
    workDir: work,
    signal: new AbortController().signal,
    onEvent: () => undefined,
  });
  const wall = performance.now() - t;
  const result = core.localEngine.lastRun.result;
  if (!result) throw new Error('no result');
  return { wall, loadMs: core.localEngine.lastRun.loadMs ?? 0, encodeMs: core.localEngine.lastRun.encodeMs ?? 0, ...result };
}

it('orchestration overhead is at most 5% of ORT time on a pack where ORT dominates', async () => {
  const core = await engineCore({ ditWidth: 768, ditDepth: 16 }, 20);
  try {
    const r = await render(core, 4, '384x384', { num_frames_per_chunk: 32, enable_first_block_cache: false });
    const overhead = (r.wall - r.ortMs - r.encodeMs) / r.ortMs;
    report('local orchestration', { 'wall ms': r.wall.toFixed(0), 'worker start + pack load ms': r.loadMs.toFixed(0), 'pipeline ms (in worker)': r.pipelineMs.toFixed(0), 'ORT run ms': r.ortMs.toFixed(0), 'encoder tail ms': r.encodeMs.toFixed(0), clips: r.clips, overhead: `${(overhead * 100).toFixed(2)}%`, limit: '5%' });
    expect(overhead).toBeLessThanOrEqual(0.05);
  } finally {
    await core.dispose();
  }
});

it('peak memory rendering 120 s of audio is at most 1.15x that of 10 s', async () => {
  const core = await engineCore({ ditWidth: 32, ditDepth: 2 }, 4);
  try {
    const short = await render(core, 10, '256x256', { num_frames_per_chunk: 80 });
    const long = await render(core, 120, '256x256', { num_frames_per_chunk: 80 });
    const ratio = long.maxRssBytes / short.maxRssBytes;
    report('local peak RSS (worker)', { '10 s MB': (short.maxRssBytes / 2 ** 20).toFixed(1), '120 s MB': (long.maxRssBytes / 2 ** 20).toFixed(1), 'clips 10 s / 120 s': `${short.clips} / ${long.clips}`, ratio: ratio.toFixed(3), limit: 1.15 });
    expect(ratio).toBeLessThanOrEqual(1.15);
  } finally {
    await core.dispose();
  }
});

it('first block cache: hit rate and speed-up at thresholds 0.05 and 0.1', async () => {
  const core = await engineCore({ ditWidth: 256, ditDepth: 6 }, 30);
  try {
    const off = await render(core, 3, '256x256', { num_frames_per_chunk: 48, enable_first_block_cache: false });
    const rows: Record<string, string> = { 'no cache ms': off.wall.toFixed(0) };
    for (const threshold of [0.05, 0.1]) {
      const on = await render(core, 3, '256x256', { num_frames_per_chunk: 48, enable_first_block_cache: true, first_block_cache_threshold: threshold });
      rows[`${threshold}: hit rate`] = `${((on.cacheHitRate ?? 0) * 100).toFixed(1)}%`;
      rows[`${threshold}: speed-up`] = `${(off.wall / on.wall).toFixed(2)}x`;
      expect(on.cacheHitRate).not.toBeNull();
    }
    report('first block cache (fixture DiT: the numbers show the mechanism, not Wan\'s real hit rates)', rows);
  } finally {
    await core.dispose();
  }
});
