import { z } from 'zod';
import { solverNameSchema } from '../samplers/solverNames';

const positiveInt = z.number().int().positive();
const file = z.string().min(1);
const multipleOf16 = positiveInt.refine((v) => v % 16 === 0, { error: 'must be a multiple of 16' });

/**
 * One local Animate render as the inference worker receives it (research/wan22.md §2.2). Main does
 * the preprocessing (the previews' detector, poses drawn as Wan draws them, face crops, masks,
 * retargeting) and writes every sequence as raw frames at the processing rate, one file each,
 * `realLen` frames long and not padded: the worker pads them ping-pong to whole clips
 * (common/animate/clipPlan.ts) and reads them clip by clip, so memory does not grow with the video.
 */
export const animateJobSchema = z
  .object({
    /** Checkpoints (finished clips, raw RGB24) live here; a restarted job resumes from them. */
    workDir: file,
    mode: z.enum(['animation', 'replacement']),
    /** The processing size (common/animate/animateSize.ts); every frame file has it, except the faces. */
    width: multipleOf16,
    height: multipleOf16,
    /** The processing rate; the output is written at it. */
    fps: z.number().positive(),
    /** The reference image letterboxed (black bars, centred) to width x height, one RGB24 frame. */
    refRgb: file,
    /** The driving poses drawn as Wan draws them, width x height RGB24, realLen frames. */
    poseRgb: file,
    /** The face crops, faceSize x faceSize RGB24 (the pack's face.size), realLen frames. */
    faceRgb: file,
    faceSize: positiveInt,
    /** Replacement only: the background (the video with the person's area kept), width x height RGB24. */
    backgroundRgb: file.nullable(),
    /** Replacement only: the person mask after augmentation, width x height gray8, 255 = the character's area. */
    maskGray: file.nullable(),
    /** Frames in every sequence file. */
    realLen: positiveInt,
    clipLen: positiveInt.refine((v) => (v - 1) % 4 === 0, { error: 'must be 4n+1' }),
    refertNum: z.union([z.literal(1), z.literal(5)]),
    prompt: z.string(),
    negativePrompt: z.string(),
    /** One generator seeded once for all clips, as the official pipeline. */
    seed: z.number().int().nonnegative(),
    steps: positiveInt,
    shift: z.number().positive(),
    guideScale: z.number().nonnegative(),
    solver: solverNameSchema,
    /** The relighting adapters' scale: 0 in animation mode, 1 in replacement mode (the official README's pairing). */
    loraScale: z.number().min(0).max(1),
    /** Match each clip's colours to the previous clip's guidance frames (docs/animate-local.md). */
    colourMatch: z.boolean(),
    /** Release each stage's sessions when it is done (smaller GPUs), or keep them loaded. */
    offloadModel: z.boolean(),
  })
  .strict()
  .superRefine((j, ctx) => {
    const replacement = j.mode === 'replacement';
    for (const key of ['backgroundRgb', 'maskGray'] as const)
      if ((j[key] !== null) !== replacement) ctx.addIssue({ code: 'custom', path: [key], message: replacement ? 'replacement needs it' : 'only replacement has it' });
    if (j.realLen <= j.refertNum) ctx.addIssue({ code: 'custom', path: ['realLen'], message: 'must be more than refertNum' });
  });
export type AnimateJob = z.output<typeof animateJobSchema>;
