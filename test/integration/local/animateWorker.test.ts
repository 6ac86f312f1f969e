import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnimateJob } from '../../../common/animate/animateJob';
import type { FromWorker } from '../../../common/worker/protocol';
import { ForkAdapter } from '../../../main/core/engines/local/forkAdapter';
import { workerEntry } from '../../../main/core/engines/local/workerAdapter';
import { WorkerDriver } from '../../../main/core/engines/local/workerDriver';
import * as ort from 'onnxruntime-node';
import { fromRgb } from '../../../native/wan/rgbFrames';
import { exporterEnv, exporterPython, runExporterOk } from '../../helpers/wanExport';

/**
 * The real inference worker (forked, as the studio runs it) renders local Animate jobs on a real
 * exported Animate pack: a random-weight checkpoint in the official Wan2.2-Animate-14B layout at a
 * tiny config, exported by tools/wan-export. The preprocessed sequences are synthetic ffmpeg frames
 * (main's preprocessing is tested on its own). A worker killed after a clip and a new one resuming
 * from the checkpoints give the same frames as an uninterrupted run.
 */
let dir: string;
let pack: string;
const W = 64;
const H = 48;
const FACE = 32;

/** `frames` raw frames of an ffmpeg test source. */
function raw(name: string, size: string, frames: number, pixFmt: 'rgb24' | 'gray', source: string): string {
  const file = join(dir, name);
  execFileSync(process.env.FFMPEG_BIN ?? 'ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `${source}=size=${size}:rate=10`, '-frames:v', String(frames), '-f', 'rawvideo', '-pix_fmt', pixFmt, '-y', file]);
  return file;
}

beforeAll(async () => {
  exporterPython();
  dir = await mkdtemp(join(tmpdir(), 'animate-worker-'));
  pack = join(dir, 'pack');
  runExporterOk(['tiny', '--app', 'animate', '--out', join(dir, 'ckpt')]);
  runExporterOk(['export', '--app', 'animate', '--checkpoint', join(dir, 'ckpt'), '--out', pack, '--weights', 'float32']);
}, 600_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const drivers: WorkerDriver[] = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.dispose();
});

/** A forked worker with the pack loaded. */
async function loadedWorker(): Promise<WorkerDriver> {
  const d = new WorkerDriver(new ForkAdapter(workerEntry()));
  drivers.push(d);
  const answer = new Promise<FromWorker>((resolve) => d.onMessage((m) => (m.type === 'loaded' || m.type === 'error' ? resolve(m) : undefined)));
  d.send({ type: 'load', packDir: pack, provider: 'cpu', keepLoaded: true });
  expect(await answer).toMatchObject({ type: 'loaded' });
  return d;
}

/** Sends the job; resolves with every message up to its result or error (or the first clip, with `untilClip`). */
function render(d: WorkerDriver, job: AnimateJob, untilClip = false): Promise<FromWorker[]> {
  const messages: FromWorker[] = [];
  return new Promise((resolve) => {
    d.onMessage((m) => {
      messages.push(m);
      if (m.type === 'result' || m.type === 'error' || (untilClip && m.type === 'clip' && !m.resumed)) resolve(messages);
    });
    d.send({ type: 'runAnimate', job });
  });
}

type Clip = Extract<FromWorker, { type: 'clip' }>;
const clipsOf = (messages: FromWorker[]) => messages.filter((m): m is Clip => m.type === 'clip');
const video = async (clips: Clip[]) => Buffer.concat(await Promise.all(clips.map((c) => readFile(c.rgbFile))));

const SEQUENCES: Record<AnimateJob['mode'], { realLen: number; clipLen: number; refertNum: 1 | 5; clips: number }> = {
  // 10 frames, clips of 5 advancing by 4: padded to 13, clips at 0, 4, 8.
  animation: { realLen: 10, clipLen: 5, refertNum: 1, clips: 3 },
  // 12 frames, clips of 9 advancing by 4: padded to 13, clips at 0 and 4; the second is guided by 5 frames.
  replacement: { realLen: 12, clipLen: 9, refertNum: 5, clips: 2 },
};

function job(mode: AnimateJob['mode'], workDir: string): AnimateJob {
  const s = SEQUENCES[mode];
  const replacement = mode === 'replacement';
  return {
    workDir: join(dir, workDir),
    mode,
    width: W,
    height: H,
    fps: 10,
    refRgb: raw(`ref-${mode}.rgb`, `${W}x${H}`, 1, 'rgb24', 'rgbtestsrc'),
    poseRgb: raw(`pose-${mode}.rgb`, `${W}x${H}`, s.realLen, 'rgb24', 'testsrc2'),
    faceRgb: raw(`face-${mode}.rgb`, `${FACE}x${FACE}`, s.realLen, 'rgb24', 'testsrc'),
    faceSize: FACE,
    backgroundRgb: replacement ? raw('background.rgb', `${W}x${H}`, s.realLen, 'rgb24', 'smptebars') : null,
    maskGray: replacement ? raw('mask.gray', `${W}x${H}`, s.realLen, 'gray', 'testsrc2') : null,
    realLen: s.realLen,
    clipLen: s.clipLen,
    refertNum: s.refertNum,
    prompt: 'a person dancing',
    negativePrompt: 'blurry',
    seed: 11,
    steps: 2,
    shift: 5,
    // Replacement runs CFG (negative prompt, face pixels -1) and the relighting adapters.
    guideScale: replacement ? 2 : 1,
    solver: replacement ? 'dpm++' : 'unipc',
    loraScale: replacement ? 1 : 0,
    colourMatch: true,
    offloadModel: replacement,
  };
}

describe('the inference worker renders local Animate jobs', { timeout: 300_000 }, () => {
  for (const mode of ['animation', 'replacement'] as const) {
    it(`${mode}: renders every clip of a short job; a worker killed after its first clip and a new one resuming give identical frames`, async () => {
      const s = SEQUENCES[mode];
      const whole = await render(await loadedWorker(), job(mode, `${mode}-whole`));
      const result = whole.at(-1);
      expect(result).toMatchObject({ type: 'result', result: { frames: s.realLen, clips: s.clips, resumedClips: 0 } });
      const clips = clipsOf(whole);
      expect(clips.map((c) => c.clip)).toEqual(Array.from({ length: s.clips }, (_, i) => i));
      expect(clips.every((c) => c.width === W && c.height === H && !c.resumed)).toBe(true);
      expect(clips.reduce((n, c) => n + c.frames, 0)).toBe(s.realLen);
      // The first clip has all its frames, later ones only the frames after their guidance.
      expect(clips[0]!.frames).toBe(s.clipLen);
      const frames = await video(clips);
      expect(frames.length).toBe(s.realLen * W * H * 3);
      const progress = whole.filter((m) => m.type === 'progress');
      expect(progress.every((p) => p.chunks === s.clips)).toBe(true);
      // Per clip: one as its sampling starts (step 0, before the first DiT call), then one per step.
      const sampling = progress.filter((p) => p.stage === 'Sampling');
      expect(sampling.map((p) => p.step)).toEqual(Array.from({ length: s.clips }, () => [0, 1, 2]).flat());

      // Killed once its first clip is checkpointed; whatever it finished after that is dropped too.
      const killed = await loadedWorker();
      const interrupted = job(mode, `${mode}-resumed`);
      await render(killed, interrupted, true);
      process.kill(killed.pid as number, 'SIGKILL');
      await killed.whenExited();
      for (const f of await readdir(interrupted.workDir)) if (f !== 'clip-0000.rgb') await unlink(join(interrupted.workDir, f));

      const resumed = await render(await loadedWorker(), interrupted);
      expect(resumed.at(-1)).toMatchObject({ type: 'result', result: { frames: s.realLen, clips: s.clips, resumedClips: 1 } });
      const again = clipsOf(resumed);
      expect(again.map((c) => c.resumed)).toEqual(Array.from({ length: s.clips }, (_, i) => i === 0));
      expect((await video(again)).equals(frames)).toBe(true);
    });
  }

  it('a sequence file shorter than the job says is refused by name, and the worker goes on working', async () => {
    const d = await loadedWorker();
    const bad = job('animation', 'short-poses');
    await truncate(bad.poseRgb, 3 * W * H * 3);
    const messages = await render(d, bad);
    expect(messages.at(-1)).toMatchObject({ type: 'error', code: 'failed', message: expect.stringMatching(/^The pose frames \(.*pose-animation\.rgb\) hold 3 frames of 64x48 RGB, but the render needs 10\./) });
    expect(existsSync(join(bad.workDir, 'clip-0000.rgb'))).toBe(false);
    const ok = await render(d, job('animation', 'after-error'));
    expect(ok.at(-1)).toMatchObject({ type: 'result' });
  });

  it('a cancelled render stops before its first clip with the cancelled code; the same worker renders the next job', async () => {
    const d = await loadedWorker();
    const cancelled = job('animation', 'cancelled');
    // The worker takes a cancel at once; the render checks it before every clip and step.
    d.send({ type: 'cancel' });
    const messages = await render(d, cancelled);
    expect(messages.at(-1)).toEqual({ type: 'error', code: 'cancelled', message: 'Cancelled.' });
    expect(clipsOf(messages)).toEqual([]);
    expect(existsSync(join(cancelled.workDir, 'clip-0000.rgb'))).toBe(false);
    // The cancel was used up by the render it stopped.
    const next = await render(d, job('animation', 'after-cancel'));
    expect(next.at(-1)).toMatchObject({ type: 'result', result: { frames: SEQUENCES.animation.realLen } });
  });

  it('an S2V render on a loaded Animate pack is refused, naming both', async () => {
    const d = await loadedWorker();
    const messages = await new Promise<FromWorker>((resolve) => {
      d.onMessage(resolve);
      d.send({ type: 'run', job: { workDir: join(dir, 's2v'), refRgb: join(dir, 'x.rgb'), width: 64, height: 64, modelAudio: join(dir, 'x.wav'), prompt: '', negativePrompt: '', fps: 16, framesPerChunk: 16, seed: 0, steps: 1, shift: 3, guideScale: 1, solver: 'euler', firstBlockCache: { enabled: false, threshold: 0 } } });
    });
    expect(messages).toEqual({ type: 'error', code: 'pack_invalid', message: 'The loaded model pack is an Animate pack; this render needs a Speech-to-Video (S2V) pack. Import one in Settings.' });
  });
});

/** Our torch CLIP module (tools/wan-export) on a float32 [1, 3, h, w] file. */
const TORCH_CLIP = [
  'import sys, numpy as np, torch',
  'from wan_export.animate_clip import ClipEncoder',
  'from wan_export.animate_layout import AnimateCheckpoint',
  'enc = ClipEncoder(AnimateCheckpoint(sys.argv[1]).build_clip()).eval()',
  'x = torch.from_numpy(np.fromfile(sys.argv[2], dtype="<f4").reshape(1, 3, int(sys.argv[4]), int(sys.argv[5])))',
  'with torch.no_grad(): enc(x).numpy().astype("<f4").tofile(sys.argv[3])',
].join('\n');

describe('the CLIP features the worker takes', { timeout: 120_000 }, () => {
  it('a character larger than 224 x 224 is resized in the graph (bicubic down, align_corners false) as torch does: max abs diff within 1e-4', async () => {
    const h = 480;
    const w = 320;
    const pixels = new Float32Array(3 * h * w);
    fromRgb(await readFile(raw('clip-character.rgb', `${w}x${h}`, 1, 'rgb24', 'testsrc2')), 1, h * w, pixels, 1, 0);
    const input = join(dir, 'clip-in.f32');
    const output = join(dir, 'clip-out.f32');
    await writeFile(input, Buffer.from(pixels.buffer));
    const r = spawnSync(exporterPython(), ['-c', TORCH_CLIP, join(dir, 'ckpt'), input, output, String(h), String(w)], { env: exporterEnv(), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const buf = await readFile(output);
    const want = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const session = await ort.InferenceSession.create(join(pack, 'clip_encoder.onnx'), { executionProviders: ['cpu'] });
    try {
      const have = (await session.run({ reference: new ort.Tensor('float32', pixels, [1, 3, h, w]) })).clip_features!.data as Float32Array;
      expect(have.length).toBe(want.length);
      let maxDiff = 0;
      let scale = 0;
      want.forEach((v, i) => {
        maxDiff = Math.max(maxDiff, Math.abs(have[i]! - v));
        scale = Math.max(scale, Math.abs(v));
      });
      expect(scale).toBeGreaterThan(0.01);
      expect(maxDiff).toBeLessThanOrEqual(1e-4);
    } finally {
      await session.release();
    }
  });
});
