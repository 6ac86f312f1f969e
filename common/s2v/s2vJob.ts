import { z } from 'zod';
import { solverNameSchema } from '../samplers/solverNames';

const positiveInt = z.number().int().positive();
const file = z.string().min(1);

/**
 * One S2V render as the inference worker receives it: files it reads, the size and sampling
 * settings. The worker makes frames and checkpoints them; encoding the video is main's job.
 */
export const s2vJobSchema = z
  .object({
    /** Checkpoints (finished clips, raw RGB24) live here; a restarted job resumes from them. */
    workDir: file,
    /** The reference image, already resized and centre-cropped to width x height, as raw RGB24. */
    refRgb: file,
    width: positiveInt.refine((v) => v % 64 === 0, { error: 'must be a multiple of 64' }),
    height: positiveInt.refine((v) => v % 64 === 0, { error: 'must be a multiple of 64' }),
    /** 16 kHz mono 16-bit WAV for the audio encoder. */
    modelAudio: file,
    prompt: z.string(),
    negativePrompt: z.string(),
    fps: z.number().positive(),
    framesPerChunk: positiveInt,
    seed: z.number().int().nonnegative(),
    steps: positiveInt,
    shift: z.number().positive(),
    guideScale: z.number().nonnegative(),
    solver: solverNameSchema,
    firstBlockCache: z.object({ enabled: z.boolean(), threshold: z.number().nonnegative() }).strict(),
  })
  .strict();
export type S2vJob = z.output<typeof s2vJobSchema>;

const count = z.number().int().nonnegative();

export const s2vProgressSchema = z
  .object({ stage: z.string(), step: count, steps: count, chunk: count, chunks: count, etaMs: z.number().nonnegative().nullable() })
  .strict();
export type S2vProgress = z.output<typeof s2vProgressSchema>;

/** A finished clip, checkpointed as raw RGB24 frames: main encodes it and makes its still. */
export const s2vClipSchema = z
  .object({ clip: count, rgbFile: file, width: positiveInt, height: positiveInt, frames: positiveInt, resumed: z.boolean() })
  .strict();
export type S2vClip = z.output<typeof s2vClipSchema>;

export const s2vResultSchema = z
  .object({
    frames: count,
    clips: count,
    resumedClips: count,
    cacheHitRate: z.number().min(0).max(1).nullable(),
    ortMs: z.number().nonnegative(),
    /** The worker's peak resident memory. */
    maxRssBytes: z.number().nonnegative(),
    /** Wall time of the pipeline inside the worker. */
    pipelineMs: z.number().nonnegative(),
  })
  .strict();
export type S2vResult = z.output<typeof s2vResultSchema>;
