import { mkdir, readFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import type { AnimateJob } from '../../common/animate/animateJob';
import { clipWindows, type AnimateClip } from '../../common/animate/clipPlan';
import type { S2vResult } from '../../common/s2v/s2vJob';
import { ClipCheckpoints } from '../wan/clipCheckpoints';
import { cancelCheck, type PipelineHooks } from '../wan/pipelineHooks';
import { toRgb } from '../wan/rgbFrames';
import { sampleLatents, type Velocity } from '../wan/sampleLatents';
import { StepProgress } from '../wan/stepProgress';
import { data, f32 } from '../wan/tensors';
import { animateGeometry, clipInputs, encodeJob, type AnimateGeometry, type ClipInputs, type JobConditions } from './animateConditions';
import { AnimateInputs } from './animateInputs';
import { attentionProblem } from '../../common/animate/attentionMemory';
import type { AnimatePack } from './animatePack';
import { animateStages, type AnimateStages } from './animateStages';
import { clipOutput } from './clipOutput';
import { GuideTail } from './guideTail';
import { NoiseStream } from './noiseStream';
import { dropFirstLatent } from './yLatents';

export type AnimateHooks = PipelineHooks;

/**
 * Wan 2.2 Animate on a format 2 pack, clip by clip, as wan/animate.py generates (research/wan22.md
 * §2.2): the prompt, CLIP features and reference latent once per job; per clip the pose latents,
 * face tokens and the temporal guidance (the last refert_num frames of the video so far), noise
 * from one generator seeded once for the job, the flow-matching sampler with CFG (unconditional:
 * the negative prompt and face pixels -1), decoding without the reference latent. Each clip's new
 * frames are checkpointed and announced; a killed job resumes from the checkpoints and gives the
 * same frames.
 */
export async function runAnimate(pack: AnimatePack, job: AnimateJob, hooks: AnimateHooks): Promise<S2vResult> {
  const pipelineStart = performance.now();
  checkJobFitsPack(pack, job);
  const tooLarge = attentionProblem({ width: job.width, height: job.height, clipLen: job.clipLen }, pack.manifest.dit, totalmem());
  if (tooLarge) throw new Error(tooLarge);
  const checkCancel = cancelCheck(hooks);
  await mkdir(job.workDir, { recursive: true });
  const { clips } = clipWindows(job.realLen, job.clipLen, job.refertNum);
  const g = animateGeometry(job);
  const frameBytes = g.W * g.H * 3;
  const progress = new StepProgress(job.steps, clips.length, hooks.onProgress);
  const checkpoints = new ClipCheckpoints(job.workDir, (k) => clips[k]!.outEnd - clips[k]!.outStart, frameBytes);
  const tail = new GuideTail(job.refertNum, frameBytes);
  const noise = new NoiseStream(job.seed, 16 * (g.latT + 1) * g.hw);
  const first = await replayFinishedClips(clips, checkpoints, { tail, noise, progress, hooks });

  const stages = animateStages(pack, job.offloadModel);
  if (first < clips.length) {
    const inputs = await AnimateInputs.open(job);
    try {
      progress.report('Encoding the prompt and the character', first, 0);
      const shared = await encodeJob(pack, stages, job, await readRef(job, frameBytes), g);
      for (const clip of clips.slice(first)) {
        checkCancel();
        progress.report('Encoding the poses and the face', clip.index, 0);
        const c = await clipInputs(stages, job, g, clip, await inputs.read(clip), shared.refLatent, clip.guideFrames ? tail.get() : []);
        const x = await sampleLatents(noise.nextClip(), [1, 16, g.latT + 1, g.h, g.w], job, ditVelocity(stages, shared, c), { clip: clip.index, progress, checkCancel });
        await stages.done('dit');
        hooks.onLatents?.(clip.index, x);

        checkCancel();
        progress.report('Decoding', clip.index, job.steps);
        const rgb = clipOutput(await decode(stages, x, g), frameBytes, clip, clip.guideFrames ? tail.get() : [], job.colourMatch);
        // Checkpoint first, then announce it to the encoder.
        await checkpoints.write(clip.index, rgb);
        hooks.onClip({ index: clip.index, rgbFile: checkpoints.fileOf(clip.index), frames: clip.outEnd - clip.outStart, resumed: false });
        tail.push(rgb);
      }
    } finally {
      await inputs.close();
      await stages.finish();
    }
  }
  return {
    frames: job.realLen,
    clips: clips.length,
    resumedClips: first,
    cacheHitRate: null,
    ortMs: pack.sessions.ortMs,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    pipelineMs: performance.now() - pipelineStart,
  };
}

function checkJobFitsPack(pack: AnimatePack, job: AnimateJob): void {
  const m = pack.manifest;
  if (job.width % m.video.sizeMultiple || job.height % m.video.sizeMultiple)
    throw new Error(`The frame size ${job.width}x${job.height} is not a multiple of ${m.video.sizeMultiple} on both sides, which the model needs. Start the render again so the studio sizes the frames anew.`);
  if (job.faceSize !== m.face.size)
    throw new Error(`The face crops are ${job.faceSize}x${job.faceSize} but the model pack's face encoder takes ${m.face.size}x${m.face.size}. Start the render again so the studio prepares the faces for this pack.`);
}

async function readRef(job: AnimateJob, frameBytes: number): Promise<Buffer> {
  const rgb = await readFile(job.refRgb).catch((e: Error) => {
    throw new Error(`The character image (${job.refRgb}) cannot be read: ${e.message}. Start the render again so the studio prepares it anew.`, { cause: e });
  });
  if (rgb.length !== frameBytes)
    throw new Error(`The character image (${job.refRgb}) has ${rgb.length} bytes; one ${job.width}x${job.height} RGB frame is ${frameBytes}. Start the render again so the studio prepares it anew.`);
  return rgb;
}

/** The DiT per CFG branch: the unconditional branch has the negative prompt and the face pixels -1. */
function ditVelocity(stages: AnimateStages, s: JobConditions, c: ClipInputs): Velocity {
  return async (branch, latents, timestep) => {
    const cond = branch === 'cond';
    const feeds = {
      latents,
      y: c.y,
      pose_latents: c.pose,
      timestep,
      context: cond ? s.text.context : s.text.negContext!,
      clip_features: s.clipFeatures,
      face_tokens: cond ? c.face : s.uncondFace!,
      rope_cos: s.ropeCos,
      rope_sin: s.ropeSin,
      lora_scale: s.loraScale,
    };
    return data((await stages.run('dit', feeds)).velocity, 'velocity');
  };
}

/** VAE-decodes the clip's latents without the reference latent: clip_len frames, RGB24. */
async function decode(stages: AnimateStages, x: Float32Array, g: AnimateGeometry): Promise<Buffer> {
  const latents = f32(dropFirstLatent(x, g.latT + 1, g.hw), [1, 16, g.latT, g.h, g.w]);
  const out = (await stages.run('vae_decoder', { latents })).pixels;
  await stages.done('vae_decoder');
  if (out?.dims[2] !== g.T) throw new Error(`the VAE decoder returned ${String(out?.dims[2])} frames for ${g.latT} latents; ${g.T} expected`);
  return toRgb(data(out, 'pixels'), g.T, 0, g.T, g.H * g.W);
}

/**
 * Resume: announces the clips whose checkpoints are complete, in order, feeds their frames to the
 * guidance tail and skips their noise; returns the first clip still to render.
 */
async function replayFinishedClips(
  clips: AnimateClip[],
  checkpoints: ClipCheckpoints,
  run: { tail: GuideTail; noise: NoiseStream; progress: StepProgress; hooks: AnimateHooks },
): Promise<number> {
  let first = 0;
  for (; first < clips.length; first++) {
    const rgb = await checkpoints.read(first);
    if (!rgb) break;
    const clip = clips[first]!;
    run.hooks.onClip({ index: first, rgbFile: checkpoints.fileOf(first), frames: clip.outEnd - clip.outStart, resumed: true });
    run.tail.push(rgb);
    run.noise.skipClip();
    run.progress.skipClip();
  }
  if (first > 0) run.hooks.onLog(`Resumed after ${first} finished clip(s) from the checkpoint.`);
  return first;
}
