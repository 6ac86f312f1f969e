import { mkdir } from 'node:fs/promises';
import type { PackSessions } from '../ort/packSessions';
import type { S2vJob, S2vProgress, S2vResult } from '../../common/s2v/s2vJob';
import { encodeClipAudio } from './clipAudio';
import { ClipCheckpoints } from './clipCheckpoints';
import { MOTION_LATENTS, planClips, type ClipPlan } from './clipPlan';
import { decodeClip } from './decodeClip';
import { denoiseClip } from './denoiseClip';
import { MotionBuffer } from './motionBuffer';
import { encodePortrait, encodePrompts } from './promptAndPortrait';
import { S2vDit } from './s2vDit';
import { StepProgress } from './stepProgress';
import { f32 } from './tensors';
import { WavReader } from './wavReader';

export class CancelledError extends Error {}

export interface S2vHooks {
  onProgress: (p: S2vProgress) => void;
  onLog: (line: string) => void;
  isCancelled: () => boolean;
  /** A clip is checkpointed (or replayed from its checkpoint): main encodes it from the file. */
  onClip: (clip: { index: number; rgbFile: string; frames: number; resumed: boolean }) => void;
}

/**
 * Wan 2.2 S2V, clip by clip (research/wan22.md §1): text and reference encoded once; a rolling
 * buffer of the last 73 frames, VAE-encoded into 19 motion latents, carries each clip into the
 * next; every clip has its own seed (seed + clip), runs the flow-matching sampler with CFG (the
 * unconditional branch: negative prompt and zeroed audio) and is decoded. Each finished clip is
 * checkpointed and announced (main streams it into the encoder), so a killed job resumes where it
 * was and produces the same video.
 */
export async function runS2v(sessions: PackSessions, job: S2vJob, hooks: S2vHooks): Promise<S2vResult> {
  const pipelineStart = performance.now();
  const { width: W, height: H } = job;
  if (W % 16 || H % 16) throw new Error(`frame size ${W}x${H}: both sides must be multiples of 16`);
  const checkCancel = () => {
    if (hooks.isCancelled()) throw new CancelledError('cancelled');
  };
  await mkdir(job.workDir, { recursive: true });
  const wav = await WavReader.open(job.modelAudio);
  try {
    const plan: ClipPlan = planClips(wav.durationSec, job.fps, job.framesPerChunk);
    const size = { LT: plan.targetLatents, h: H / 8, w: W / 8, H, W };
    const progress = new StepProgress(job.steps, plan.clips, hooks.onProgress);

    progress.report('Encoding the prompt', 0, 0);
    const { context, negContext } = await encodePrompts(sessions, job);
    progress.report('Encoding the portrait', 0, 0);
    const refLatent = await encodePortrait(sessions, job);

    const motion = new MotionBuffer(W, H);
    const checkpoints = new ClipCheckpoints(job.workDir, plan, H * W * 3);
    const first = await replayFinishedClips(plan, checkpoints, motion, progress, hooks);
    let frames = plan.startOf(first); // the replayed clips' frames
    let motionLatents = await motion.encode(sessions);

    const dit = new S2vDit(sessions, job.firstBlockCache);
    const framing = { featureRate: sessions.manifest.audio?.featureRate ?? 50, hop: sessions.manifest.audio?.hop ?? 320, fps: job.fps };
    for (let r = first; r < plan.clips; r++) {
      checkCancel();
      // Clip 0's first 3 generated frames are dropped, so its frame j shows output frame j - 3:
      // features follow the output frame's time.
      progress.report('Encoding the audio', r, 0);
      const audio = await encodeClipAudio(sessions, wav, framing, r === 0 ? -3 : plan.startOf(r), plan.framesPerClip);
      const conditions = { context, negContext, audio, ref: f32(refLatent, [1, 16, 1, size.h, size.w]), motion: f32(motionLatents, [1, 16, MOTION_LATENTS, size.h, size.w]) };
      const x = await denoiseClip(dit, job, r, [1, 16, size.LT, size.h, size.w], conditions, { progress, checkCancel });
      await dit.release();

      checkCancel();
      progress.report('Decoding', r, job.steps);
      const prefix = r === 0 ? { latents: refLatent, t: 1 } : { latents: motionLatents, t: MOTION_LATENTS };
      const n = plan.framesOf(r);
      const rgb = await decodeClip(sessions, prefix, x, size, n);

      // Checkpoint first, then announce it to the encoder.
      await checkpoints.write(r, rgb);
      hooks.onClip({ index: r, rgbFile: checkpoints.fileOf(r), frames: n, resumed: false });
      frames += n;
      motion.push(rgb, n);
      if (r + 1 < plan.clips) motionLatents = await motion.encode(sessions);
      await sessions.done('vae_encoder');
    }
    return { frames, clips: plan.clips, resumedClips: first, cacheHitRate: dit.cacheHitRate(), ortMs: sessions.ortMs, maxRssBytes: process.resourceUsage().maxRSS * 1024, pipelineMs: performance.now() - pipelineStart };
  } finally {
    await wav.close();
  }
}

/**
 * Resume: announces the clips whose checkpoints are complete, in order, and feeds their frames
 * into the motion buffer; returns the first clip still to render.
 */
async function replayFinishedClips(plan: ClipPlan, checkpoints: ClipCheckpoints, motion: MotionBuffer, progress: StepProgress, hooks: S2vHooks): Promise<number> {
  let first = 0;
  for (; first < plan.clips; first++) {
    const rgb = await checkpoints.read(first);
    if (!rgb) break;
    hooks.onClip({ index: first, rgbFile: checkpoints.fileOf(first), frames: plan.framesOf(first), resumed: true });
    motion.push(rgb, plan.framesOf(first));
    progress.skipClip();
  }
  if (first > 0) hooks.onLog(`Resumed after ${first} finished clip(s) from the checkpoint.`);
  return first;
}
