import type { AnimateJob } from '../../common/animate/animateJob';
import type { AnimateClip } from '../../common/animate/clipPlan';
import { encodeImageLatent, encodeTextContexts, type TextContexts } from '../wan/encoders';
import { fromRgb } from '../wan/rgbFrames';
import { latentGrid, ropeTablesOf } from '../wan/rope';
import { data, f32, type Tensor } from '../wan/tensors';
import type { ClipFrames } from './animateInputs';
import { animateTokenizerPath, type AnimatePack } from './animatePack';
import type { AnimateStages } from './animateStages';
import { faceMotion, faceTokens, uncondFaceTokens } from './faceTokens';
import { foldI2vMask, latentKeepMask } from './i2vMask';
import { buildY } from './yLatents';

/** A clip's sizes: T pixel frames (clip_len), latT = T/4 + 1 latent frames, the latent grid h x w. */
export interface AnimateGeometry {
  W: number;
  H: number;
  T: number;
  latT: number;
  h: number;
  w: number;
  hw: number;
}

export function animateGeometry(job: AnimateJob): AnimateGeometry {
  const h = job.height / 8;
  const w = job.width / 8;
  return { W: job.width, H: job.height, T: job.clipLen, latT: (job.clipLen - 1) / 4 + 1, h, w, hw: h * w };
}

/** What every clip shares, encoded once per job. */
export interface JobConditions {
  text: TextContexts;
  clipFeatures: Tensor;
  refLatent: Float32Array;
  /** The unconditional branch's face tokens; null without guidance. */
  uncondFace: Tensor | null;
  ropeCos: Tensor;
  ropeSin: Tensor;
  loraScale: Tensor;
}

/**
 * The prompt's context (and the negative prompt's with guidance), the CLIP features of the
 * letterboxed reference (the graph resizes it to 224 and normalises), the reference latent, and the
 * RoPE tables of the plain grid over latT + 1 latent frames (the reference latent is frame 0).
 */
export async function encodeJob(pack: AnimatePack, stages: AnimateStages, job: AnimateJob, refRgb: Buffer, g: AnimateGeometry): Promise<JobConditions> {
  const guided = job.guideScale > 1;
  const text = await encodeTextContexts(stages, { file: animateTokenizerPath(pack), spec: pack.manifest.tokenizer }, job.prompt, guided ? job.negativePrompt : null);
  const reference = new Float32Array(3 * g.H * g.W);
  fromRgb(refRgb, 1, g.H * g.W, reference, 1, 0);
  const clipFeatures = (await stages.run('clip_encoder', { reference: f32(reference, [1, 3, g.H, g.W]) })).clip_features;
  if (!clipFeatures) throw new Error('the CLIP image encoder returned no clip_features');
  await stages.done('clip_encoder');
  const refLatent = await encodeImageLatent(stages, refRgb, g.W, g.H);
  const uncondFace = guided ? await uncondFaceTokens(stages, g.T, job.faceSize) : null;
  const rope = ropeTablesOf(latentGrid(g.latT + 1, g.h, g.w), pack.manifest.dit);
  return {
    text,
    clipFeatures,
    refLatent,
    uncondFace,
    ropeCos: f32(rope.cos, [rope.seq, rope.pairs]),
    ropeSin: f32(rope.sin, [rope.seq, rope.pairs]),
    loraScale: f32(Float32Array.of(job.loraScale), [1]),
  };
}

export interface ClipInputs {
  y: Tensor;
  pose: Tensor;
  face: Tensor;
}

const vaeEncode = async (stages: AnimateStages, pixels: Float32Array, g: AnimateGeometry, what: string) =>
  data((await stages.run('vae_encoder', { pixels: f32(pixels, [1, 3, g.T, g.H, g.W]) })).latents, what);

/**
 * One clip's DiT inputs besides the noise (wan/animate.py): the pose latents, the face tokens, and
 * y = [y_ref | y_reft] whose guidance video is the clip's first `guideFrames` frames taken from the
 * video so far (`guides`), then grey (animation) or the background (replacement), with the mask
 * folded by get_i2v_mask (replacement: 1 - the person mask at latent size).
 */
export async function clipInputs(stages: AnimateStages, job: AnimateJob, g: AnimateGeometry, clip: AnimateClip, frames: ClipFrames, refLatent: Float32Array, guides: readonly Uint8Array[]): Promise<ClipInputs> {
  const HW = g.H * g.W;
  const pixels = new Float32Array(3 * g.T * HW);
  fromRgb(frames.pose, g.T, HW, pixels, g.T, 0);
  const pose = await vaeEncode(stages, pixels, g, 'pose latents');

  pixels.fill(0); // 0 is mid-grey in [-1, 1]
  if (frames.background) fromRgb(frames.background, g.T, HW, pixels, g.T, 0);
  guides.slice(0, clip.guideFrames).forEach((frame, i) => fromRgb(Buffer.from(frame.buffer, frame.byteOffset, frame.length), 1, HW, pixels, g.T, i));
  const reft = await vaeEncode(stages, pixels, g, 'guidance latents');
  await stages.done('vae_encoder');

  const keep = frames.mask ? latentKeepMask(frames.mask, g.T, g.W, g.H) : null;
  const y = buildY(refLatent, reft, foldI2vMask(keep, g.T, g.hw, clip.guideFrames), g.latT, g.hw);

  const face = await faceTokens(stages, await faceMotion(stages, frames.face, g.T, job.faceSize), g.T);
  await stages.done('face_motion');
  await stages.done('face_encoder');
  return { y: f32(y, [1, 20, g.latT + 1, g.h, g.w]), pose: f32(pose, [1, 16, g.latT, g.h, g.w]), face };
}
