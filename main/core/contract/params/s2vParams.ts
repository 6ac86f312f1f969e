import { z } from 'zod';
import type { FieldMeta } from './fieldMeta';

/**
 * Speech-to-video parameters, named exactly as the inference.sh app `infsh/wan-2-2-s2v` takes
 * them (research/infsh-api.md §9.1). The portrait and the audio are not here: they are project
 * assets, uploaded or handed to the local engine as files.
 */
export const s2vResolutions = ['480p', '720p'] as const;

const PROMPT_NEEDED = 'prompt: describe the video (for example "a woman singing on a stage, warm light")';

const int = (field: string) => z.number({ error: `${field}: must be a number` }).int({ error: `${field}: must be a whole number` });

export const s2vParamsSchema = z
  .object({
    prompt: z
      .string({ error: (issue) => (issue.input === undefined ? PROMPT_NEEDED : 'prompt: must be text') })
      .trim()
      .min(1, { error: PROMPT_NEEDED })
      .max(2000, { error: 'prompt: must be at most 2000 characters' }),
    resolution: z.enum(s2vResolutions, { error: 'resolution: must be 480p or 720p' }).default('720p'),
    num_frames_per_chunk: int('num_frames_per_chunk')
      .min(16, { error: 'num_frames_per_chunk: must be at least 16' })
      .max(161, { error: 'num_frames_per_chunk: must be at most 161' })
      .default(81),
    fps: int('fps').min(8, { error: 'fps: must be at least 8' }).max(60, { error: 'fps: must be at most 60' }).default(16),
    seed: int('seed').min(0, { error: 'seed: must be 0 or more (leave it empty for a random seed)' }).max(2 ** 31 - 1, { error: 'seed: must be below 2147483648' }).nullable().default(null),
    enable_first_block_cache: z.boolean({ error: 'enable_first_block_cache: must be true or false' }).default(true),
    first_block_cache_threshold: z
      .number({ error: 'first_block_cache_threshold: must be a number' })
      .min(0.01, { error: 'first_block_cache_threshold: must be at least 0.01' })
      .max(0.5, { error: 'first_block_cache_threshold: must be at most 0.5' })
      .default(0.05),
  })
  .strict();

export type S2vParams = z.output<typeof s2vParamsSchema>;

export const s2vFields: Record<keyof S2vParams, FieldMeta> = {
  prompt: { kind: 'text', label: 'Prompt', help: 'What the video shows: the person, the setting, the light, the mood.', multiline: true },
  resolution: { kind: 'enum', label: 'Resolution', help: 'Area budget; the aspect ratio follows the portrait.', options: [{ value: '480p', label: '480p (faster)' }, { value: '720p', label: '720p' }] },
  num_frames_per_chunk: { kind: 'int', label: 'Frames per chunk', help: 'Frames generated per clip; longer audio is covered by more clips.', min: 16, max: 161, step: 1, advanced: true },
  fps: { kind: 'int', label: 'Frames per second', help: 'Frame rate of the generated video (the model is trained at 16).', min: 8, max: 60, step: 1, advanced: true },
  seed: { kind: 'seed', label: 'Seed', help: 'Same seed and settings give the same video. Empty picks one at random (and records it).', random: null },
  enable_first_block_cache: { kind: 'bool', label: 'First block cache', help: 'Skips work on steps that barely change the picture: faster, slightly softer.', advanced: true },
  first_block_cache_threshold: { kind: 'number', label: 'Cache threshold', help: 'Lower reuses more (faster); higher is more faithful.', min: 0.01, max: 0.5, step: 0.01, advanced: true },
};
