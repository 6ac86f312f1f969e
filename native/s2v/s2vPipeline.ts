import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { PackSessions } from '../ort/packSessions';
import { createSolver, guide } from '../samplers/flowSolvers';
import { GaussianNoise } from '../../common/random/gaussianNoise';
import type { S2vJob, S2vProgress, S2vResult } from '../../common/s2v/s2vJob';
import { samplingTimesteps } from '../samplers/schedule';
import { MOTION_FRAMES, MOTION_LATENTS, planClips, type ClipPlan } from './clipPlan';
import { FirstBlockCache } from './firstBlockCache';
import { WavReader } from './wavReader';

export class CancelledError extends Error {}

type Tensor = ort.Tensor;
const f32 = (data: Float32Array, dims: number[]): Tensor => new ort.Tensor('float32', data, dims);
const data = (t: Tensor | undefined, what: string): Float32Array => {
  if (!t) throw new Error(`the model returned no ${what}`);
  return t.data as Float32Array;
};

/** Byte tokenizer (docs/model-pack.md): 1 = bos, UTF-8 bytes + 3, 2 = eos, 0-padded to maxLength. */
export function tokenize(text: string, maxLength: number): BigInt64Array {
  const ids = new BigInt64Array(maxLength);
  const bytes = new TextEncoder().encode(text);
  ids[0] = 1n;
  let n = 1;
  for (const b of bytes) {
    if (n >= maxLength - 1) break;
    ids[n++] = BigInt(b + 3);
  }
  ids[Math.min(n, maxLength - 1)] = 2n;
  return ids;
}

/** Concatenates two [1, C, T, h, w] tensors along time. */
function concatTime(a: Float32Array, ta: number, b: Float32Array, tb: number, c: number, hw: number): Float32Array {
  const out = new Float32Array(c * (ta + tb) * hw);
  for (let ch = 0; ch < c; ch++) {
    out.set(a.subarray(ch * ta * hw, (ch + 1) * ta * hw), ch * (ta + tb) * hw);
    out.set(b.subarray(ch * tb * hw, (ch + 1) * tb * hw), ch * (ta + tb) * hw + ta * hw);
  }
  return out;
}

/** Frames [from, from + n) of a planar [3, T, H, W] float video as packed RGB24, one buffer. */
function toRgb(pixels: Float32Array, t: number, from: number, n: number, hw: number): Buffer {
  const out = Buffer.allocUnsafe(n * hw * 3);
  // A clamped view rounds and clamps on store: no per-sample Math.round or branches.
  const clamped = new Uint8ClampedArray(out.buffer, out.byteOffset, out.length);
  for (let c = 0; c < 3; c++) {
    for (let f = 0; f < n; f++) {
      const base = c * t * hw + (from + f) * hw;
      let o = f * hw * 3 + c;
      for (let p = 0; p < hw; p++, o += 3) clamped[o] = ((pixels[base + p] as number) + 1) * 127.5;
    }
  }
  return out;
}

/** Packed RGB24 frames into the planar [3, n, H, W] floats in [-1, 1] the VAE encoder takes. */
function fromRgb(rgb: Buffer, n: number, hw: number, into: Float32Array, t: number, at: number): void {
  for (let c = 0; c < 3; c++) {
    for (let f = 0; f < n; f++) {
      const base = c * t * hw + (at + f) * hw;
      let i = f * hw * 3 + c;
      for (let p = 0; p < hw; p++, i += 3) into[base + p] = (rgb[i] as number) / 127.5 - 1;
    }
  }
}

/**
 * Wan 2.2 S2V, clip by clip (research/wan22.md §1): text and reference encoded once; a rolling
 * buffer of the last 73 frames, VAE-encoded into 19 motion latents, carries each clip into the
 * next; every clip has its own seed (seed + clip), runs the flow-matching sampler with CFG (the
 * unconditional branch: negative prompt and zeroed audio) and is decoded. Each finished clip is
 * checkpointed and announced (main streams it into the encoder), so a killed job resumes where it
 * was and produces the same video.
 */
export async function runS2v(
  sessions: PackSessions,
  job: S2vJob,
  hooks: {
    onProgress: (p: S2vProgress) => void;
    onLog: (line: string) => void;
    isCancelled: () => boolean;
    /** A clip is checkpointed (or replayed from its checkpoint): main encodes it from the file. */
    onClip: (clip: { index: number; rgbFile: string; frames: number; resumed: boolean }) => void;
  },
): Promise<S2vResult> {
  const pipelineStart = performance.now();
  const m = sessions.manifest;
  const { width: W, height: H } = job;
  if (W % 16 || H % 16) throw new Error(`frame size ${W}x${H}: both sides must be multiples of 16`);
  const h = H / 8;
  const w = W / 8;
  const hw = H * W;
  const lhw = h * w;
  const checkCancel = () => {
    if (hooks.isCancelled()) throw new CancelledError('cancelled');
  };
  await mkdir(job.workDir, { recursive: true });
  const wav = await WavReader.open(job.modelAudio);
  const plan: ClipPlan = planClips(wav.durationSec, job.fps, job.framesPerChunk);
  const F = plan.framesPerClip;
  const LT = plan.targetLatents;
  const sigmasSteps = job.steps;
  const totalSteps = plan.clips * sigmasSteps;
  let stepsDone = 0;
  let stepMsAvg: number | null = null;
  const report = (stage: string, chunk: number, step: number) =>
    hooks.onProgress({ stage, step, steps: sigmasSteps, chunk, chunks: plan.clips, etaMs: stepMsAvg === null ? null : Math.round(stepMsAvg * (totalSteps - stepsDone)) });

  let frames = 0;
  try {
    // Text: prompt and negative prompt, once.
    report('Encoding the prompt', 0, 0);
    const L = m.components.tokenizer.maxLength;
    const encodeText = async (text: string) => (await sessions.run('text_encoder', { input_ids: new ort.Tensor('int64', tokenize(text, L), [1, L]) })).context as Tensor;
    const context = await encodeText(job.prompt);
    const negContext = job.guideScale > 1 ? await encodeText(job.negativePrompt) : null;
    await sessions.done('text_encoder');

    // Reference image -> 1 latent frame.
    report('Encoding the portrait', 0, 0);
    const refPixels = new Float32Array(3 * hw);
    fromRgb(await readFile(job.refRgb), 1, hw, refPixels, 1, 0);
    const refLatent = data((await sessions.run('vae_encoder', { pixels: f32(refPixels, [1, 3, 1, H, W]) })).latents, 'reference latents');

    // Motion buffer: 73 grey frames at first, then the last 73 frames of the video so far.
    const motionPixels = new Float32Array(3 * MOTION_FRAMES * hw);
    const encodeMotion = async () => data((await sessions.run('vae_encoder', { pixels: f32(motionPixels, [1, 3, MOTION_FRAMES, H, W]) })).latents, 'motion latents');
    const pushFrames = (rgb: Buffer, n: number) => {
      const keep = Math.min(MOTION_FRAMES, n);
      // Shift the buffer left by `keep` frames and append the newest `keep`.
      for (let c = 0; c < 3; c++) {
        const base = c * MOTION_FRAMES * hw;
        motionPixels.copyWithin(base, base + keep * hw, base + MOTION_FRAMES * hw);
      }
      fromRgb(rgb.subarray((n - keep) * hw * 3), keep, hw, motionPixels, MOTION_FRAMES, MOTION_FRAMES - keep);
    };

    // Resume: replay finished clips into the encoder and the motion buffer.
    let first = 0;
    const clipFile = (r: number) => join(job.workDir, `clip-${String(r).padStart(4, '0')}.rgb`);
    while (first < plan.clips) {
      const f = clipFile(first);
      const expected = plan.framesOf(first) * hw * 3;
      if (!existsSync(f) || (await stat(f)).size !== expected) break;
      const rgb = await readFile(f);
      hooks.onClip({ index: first, rgbFile: f, frames: plan.framesOf(first), resumed: true });
      frames += plan.framesOf(first);
      pushFrames(rgb, plan.framesOf(first));
      stepsDone += sigmasSteps;
      first++;
    }
    if (first > 0) hooks.onLog(`Resumed after ${first} finished clip(s) from the checkpoint.`);
    let motionLatents = await encodeMotion();

    const split = sessions.has('dit_first_block') && sessions.has('dit_rest');
    const useCache = split && job.firstBlockCache.enabled;
    const caches = { cond: new FirstBlockCache(job.firstBlockCache.threshold), uncond: new FirstBlockCache(job.firstBlockCache.threshold) };

    for (let r = first; r < plan.clips; r++) {
      checkCancel();
      // Audio features for the F generated frames. Clip 0's first 3 generated frames are dropped,
      // so its frame j shows output frame j - 3: features follow the output frame's time.
      report('Encoding the audio', r, 0);
      const outStart = r === 0 ? -3 : plan.startOf(r);
      const featureRate = m.audio?.featureRate ?? 50;
      const hop = m.audio?.hop ?? 320;
      const idx = Array.from({ length: F }, (_, j) => Math.round((Math.max(0, outStart + j) / job.fps) * featureRate));
      const firstIdx = Math.min(...idx);
      const count = Math.max(...idx) - firstIdx + 1;
      const samples = await wav.read(firstIdx * hop, count * hop);
      const feats = (await sessions.run('audio_encoder', { audio_frames: f32(samples, [1, count, hop]) })).audio_features as Tensor;
      await sessions.done('audio_encoder');
      const A = feats.dims[2] as number;
      const fd = feats.data as Float32Array;
      const audio = new Float32Array(F * A);
      idx.forEach((k, j) => {
        // Past the end of the sound: silence features (zeros), as Wan pads its tail.
        if ((Math.max(0, outStart + j) / job.fps) * wav.sampleRate >= wav.samples) return;
        audio.set(fd.subarray((k - firstIdx) * A, (k - firstIdx + 1) * A), j * A);
      });
      const audioCond = f32(audio, [1, F, A]);
      const audioUncond = f32(new Float32Array(F * A), [1, F, A]);

      // Sampling.
      const solver = createSolver(job.solver, job.steps, job.shift);
      const timesteps = samplingTimesteps(job.solver, job.steps, job.shift);
      let x: Float32Array = new GaussianNoise(job.seed + r).fill(16 * LT * lhw);
      const latentDims = [1, 16, LT, h, w];
      const ref = f32(refLatent, [1, 16, 1, h, w]);
      const motion = f32(motionLatents, [1, 16, MOTION_LATENTS, h, w]);
      const velocity = async (branch: 'cond' | 'uncond', latents: Tensor, timestep: Tensor): Promise<Float32Array> => {
        const ctx = branch === 'cond' ? context : (negContext as Tensor);
        const aud = branch === 'cond' ? audioCond : audioUncond;
        if (!split) return data((await sessions.run('dit', { latents, timestep, context: ctx, audio: aud, ref_latents: ref, motion_latents: motion })).velocity, 'velocity');
        const fb = await sessions.run('dit_first_block', { latents, timestep, context: ctx, audio: aud, ref_latents: ref, motion_latents: motion });
        const hidden = fb.hidden as Tensor;
        const residual = data(fb.first_residual, 'first block residual');
        const cache = caches[branch];
        if (useCache && cache.shouldReuse(residual)) return cache.reuse(hidden.data as Float32Array);
        const v = data((await sessions.run('dit_rest', { hidden, timestep, context: ctx, audio: aud })).velocity, 'velocity');
        if (useCache) cache.store(residual, hidden.data as Float32Array, v);
        return v;
      };
      for (let i = 0; i < job.steps; i++) {
        checkCancel();
        const t0 = performance.now();
        const latents = f32(x, latentDims);
        const timestep = f32(Float32Array.of(timesteps[i] as number), [1]);
        const vc = await velocity('cond', latents, timestep);
        const vu = job.guideScale > 1 ? await velocity('uncond', latents, timestep) : null;
        x = solver.step(guide(vc, vu, job.guideScale), x);
        stepsDone++;
        const ms = performance.now() - t0;
        stepMsAvg = stepMsAvg === null ? ms : stepMsAvg * 0.8 + ms * 0.2;
        report('Sampling', r, i + 1);
      }
      if (!split) await sessions.done('dit');
      else {
        await sessions.done('dit_first_block');
        await sessions.done('dit_rest');
      }

      // Decode: clip 0 after the reference latent, later clips after the motion latents; keep the last F.
      checkCancel();
      report('Decoding', r, job.steps);
      const prefix = r === 0 ? refLatent : motionLatents;
      const prefixT = r === 0 ? 1 : MOTION_LATENTS;
      const decodedT = 4 * (prefixT + LT - 1) + 1;
      const pixels = data((await sessions.run('vae_decoder', { latents: f32(concatTime(prefix, prefixT, x, LT, 16, lhw), [1, 16, prefixT + LT, h, w]) })).pixels, 'pixels');
      await sessions.done('vae_decoder');
      const n = plan.framesOf(r);
      const rgb = toRgb(pixels, decodedT, decodedT - n, n, hw);

      // Checkpoint (temp + rename), then announce it to the encoder.
      const tmp = `${clipFile(r)}.tmp`;
      await writeFile(tmp, rgb);
      await rename(tmp, clipFile(r));
      hooks.onClip({ index: r, rgbFile: clipFile(r), frames: n, resumed: false });
      frames += n;
      pushFrames(rgb, n);
      if (r + 1 < plan.clips) motionLatents = await encodeMotion();
      await sessions.done('vae_encoder');
    }
    const hits = caches.cond.hits + caches.uncond.hits;
    const total = hits + caches.cond.misses + caches.uncond.misses;
    return { frames, clips: plan.clips, resumedClips: first, cacheHitRate: useCache && total > 0 ? hits / total : null, ortMs: sessions.ortMs, maxRssBytes: process.resourceUsage().maxRSS * 1024, pipelineMs: performance.now() - pipelineStart };
  } finally {
    await wav.close();
  }
}
