import { mkdir } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { s2vAttentionProblem } from '../../common/s2v/attentionMemory';
import type { S2vJob, S2vResult } from '../../common/s2v/s2vJob';
import { ClipCheckpoints } from '../wan/clipCheckpoints';
import { cancelCheck, CancelledError, type PipelineHooks } from '../wan/pipelineHooks';
import { clipConditions, type ClipGeometry } from './clipConditions';
import { planClips, type ClipPlan } from './clipPlan';
import { decodeClip } from './decodeClip';
import { denoiseClip } from './denoiseClip';
import { MotionBuffer } from './motionBuffer';
import { encodePortrait, encodePrompts } from './promptAndPortrait';
import { S2vDit } from './s2vDit';
import type { S2vPack } from './s2vPack';
import { StepProgress } from '../wan/stepProgress';
import { WavReader } from './wavReader';
import { encodeWholeAudio } from './wholeAudio';

export { CancelledError };
export type S2vHooks = PipelineHooks;

/**
 * Wan 2.2 S2V on a format 2 pack, clip by clip, as the official pipeline runs it (research/wan22.md
 * §1): text, reference and the whole file's audio encoded once; a rolling buffer of the last 73
 * frames, VAE-encoded into 19 motion latents, carries each clip into the next (clip 0 drops the
 * motion tokens and decodes after the reference latent, losing its first 3 frames); every clip has
 * its own seed (seed + clip) and runs the flow-matching sampler with CFG (the unconditional branch:
 * negative prompt and zeroed audio). Each finished clip is checkpointed and announced (main
 * streams it into the encoder), so a killed job resumes where it was and produces the same video.
 */
export async function runS2v(pack: S2vPack, job: S2vJob, hooks: S2vHooks): Promise<S2vResult> {
  const pipelineStart = performance.now();
  const { width: W, height: H } = job;
  const multiple = pack.manifest.video.sizeMultiple;
  if (W % multiple || H % multiple) throw new Error(`frame size ${W}x${H}: both sides must be multiples of ${multiple} (the model works in ${multiple}-pixel blocks)`);
  const tooLarge = s2vAttentionProblem({ width: W, height: H, framesPerChunk: job.framesPerChunk }, pack.manifest.dit, totalmem());
  if (tooLarge) throw new Error(tooLarge);
  const checkCancel = cancelCheck(hooks);
  await mkdir(job.workDir, { recursive: true });
  const progress0 = (stage: string) => hooks.onProgress({ stage, step: 0, steps: job.steps, chunk: 0, chunks: 0, etaMs: null });
  progress0('Encoding the audio');
  const wav = await WavReader.open(job.modelAudio);
  const audio = await encodeWholeAudio(pack, wav).finally(() => wav.close());
  const plan: ClipPlan = planClips(audio.rows, pack.manifest.audio, job.framesPerChunk);
  const geometry: ClipGeometry = { F: plan.framesPerClip, LT: plan.targetLatents, h: H / 8, w: W / 8 };
  const size = { LT: geometry.LT, h: geometry.h, w: geometry.w, H, W };
  const progress = new StepProgress(job.steps, plan.clips, hooks.onProgress);

  progress.report('Encoding the prompt', 0, 0);
  const prompts = await encodePrompts(pack, job);
  progress.report('Encoding the portrait', 0, 0);
  const ref = await encodePortrait(pack, job);

  const motionLatentCount = pack.manifest.dit.motionLatents;
  const motion = new MotionBuffer(W, H, pack.manifest.dit.motionFrames);
  const checkpoints = new ClipCheckpoints(job.workDir, plan.framesOf, H * W * 3);
  const first = await replayFinishedClips(plan, checkpoints, motion, progress, hooks);
  let frames = plan.startOf(first); // the replayed clips' frames
  let motionLatents = await motion.encode(pack);

  const dit = new S2vDit(pack, job.firstBlockCache);
  for (let r = first; r < plan.clips; r++) {
    checkCancel();
    const conditions = clipConditions(pack, r, geometry, prompts, audio, { ref, motion: motionLatents });
    const x = await denoiseClip(dit, job, r, [1, 16, size.LT, size.h, size.w], conditions, { progress, checkCancel });
    await dit.release();
    hooks.onLatents?.(r, x);

    checkCancel();
    progress.report('Decoding', r, job.steps);
    const prefix = r === 0 ? { latents: ref, t: 1 } : { latents: motionLatents, t: motionLatentCount };
    const n = plan.framesOf(r);
    const rgb = await decodeClip(pack, prefix, x, size, n);

    // Checkpoint first, then announce it to the encoder.
    await checkpoints.write(r, rgb);
    hooks.onClip({ index: r, rgbFile: checkpoints.fileOf(r), frames: n, resumed: false });
    frames += n;
    motion.push(rgb, n);
    if (r + 1 < plan.clips) motionLatents = await motion.encode(pack);
    await pack.sessions.done('vae_encoder');
  }
  return {
    frames,
    clips: plan.clips,
    resumedClips: first,
    cacheHitRate: dit.cacheHitRate(),
    ortMs: pack.sessions.ortMs,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    pipelineMs: performance.now() - pipelineStart,
  };
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
