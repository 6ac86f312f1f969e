import { z } from 'zod';
import type { FieldMeta } from './fieldMeta';

/**
 * Animate parameters, named exactly as the inference.sh app `infsh/wan-2-2-animate-v2v` takes
 * them (research/infsh-api.md §9.2). The driving video and the reference image are project assets.
 */
export const animateModes = ['animation', 'replacement'] as const;
export const animateSolvers = ['dpm++', 'unipc'] as const;

const int = (field: string) => z.number({ error: `${field}: must be a number` }).int({ error: `${field}: must be a whole number` });
const intIn = (field: string, min: number, max: number) =>
  int(field).min(min, { error: `${field}: must be at least ${min}` }).max(max, { error: `${field}: must be at most ${max}` });
const numIn = (field: string, min: number, max: number) =>
  z.number({ error: `${field}: must be a number` }).min(min, { error: `${field}: must be at least ${min}` }).max(max, { error: `${field}: must be at most ${max}` });

/** The nearest valid clip lengths either side: "must be 4n+1, like 73 or 77". */
export function clipLenHint(v: number): string {
  const below = Math.max(5, Math.floor((v - 1) / 4) * 4 + 1);
  const above = Math.min(121, Math.ceil((v - 1) / 4) * 4 + 1);
  return below === above ? `${below}` : `${below} or ${above}`;
}

export const animateParamsSchema = z
  .object({
    mode: z.enum(animateModes, { error: 'mode: must be animation (move the character) or replacement (put the character into the video)' }).default('animation'),
    resolution_width: intIn('resolution_width', 512, 1920).default(1280),
    resolution_height: intIn('resolution_height', 512, 1920).default(720),
    fps: int('fps')
      .min(-1, { error: "fps: must be -1 (keep the driving video's rate) or 1 to 60" })
      .max(60, { error: "fps: must be -1 (keep the driving video's rate) or 1 to 60" })
      .refine((v) => v !== 0, { error: "fps: must be -1 (keep the driving video's rate) or 1 to 60" })
      .default(30),
    retarget_flag: z.boolean({ error: 'retarget_flag: must be true or false' }).default(false),
    use_flux: z.boolean({ error: 'use_flux: must be true or false' }).default(false),
    mask_iterations: intIn('mask_iterations', 1, 10).default(3),
    mask_kernel_size: intIn('mask_kernel_size', 3, 15).default(7),
    mask_w_subdivisions: intIn('mask_w_subdivisions', 1, 5).default(1),
    mask_h_subdivisions: intIn('mask_h_subdivisions', 1, 5).default(1),
    clip_len: intIn('clip_len', 5, 121)
      .superRefine((v, ctx) => {
        if (v >= 5 && v <= 121 && (v - 1) % 4 !== 0) ctx.addIssue({ code: 'custom', message: `clip_len ${v}: must be 4n+1, like ${clipLenHint(v)}` });
      })
      .default(77),
    refert_num: z.union([z.literal(1), z.literal(5)], { error: 'refert_num: must be 1 or 5 (temporal guidance frames)' }).default(1),
    shift: numIn('shift', 1, 10).default(5),
    sample_solver: z.enum(animateSolvers, { error: 'sample_solver: must be dpm++ or unipc' }).default('dpm++'),
    sampling_steps: intIn('sampling_steps', 10, 50).default(20),
    guide_scale: numIn('guide_scale', 1, 10).default(1),
    input_prompt: z.string({ error: 'input_prompt: must be text' }).max(2000, { error: 'input_prompt: must be at most 2000 characters' }).default(''),
    n_prompt: z.string({ error: 'n_prompt: must be text' }).max(2000, { error: 'n_prompt: must be at most 2000 characters' }).default(''),
    seed: int('seed')
      .refine((v) => v === -1 || (v >= 0 && v < 2 ** 31), { error: 'seed: must be -1 (random) or 0 to 2147483647' })
      .default(-1),
    offload_model: z.boolean({ error: 'offload_model: must be true or false' }).default(true),
    /** Local renders only (docs/animate-local.md); the cloud app has no such input and is never sent it. */
    colour_match: z.boolean({ error: 'colour_match: must be true or false' }).default(true),
  })
  .strict();

export type AnimateParams = z.output<typeof animateParamsSchema>;

export const animateFields: Record<keyof AnimateParams, FieldMeta> = {
  mode: { kind: 'enum', label: 'Mode', help: 'Animation moves your character like the person in the video; replacement puts your character into the video in their place.', options: [{ value: 'animation', label: 'Animation' }, { value: 'replacement', label: 'Replacement' }] },
  resolution_width: { kind: 'int', label: 'Width', help: 'Processing width in pixels.', min: 512, max: 1920, step: 16 },
  resolution_height: { kind: 'int', label: 'Height', help: 'Processing height in pixels.', min: 512, max: 1920, step: 16 },
  fps: { kind: 'int', label: 'Frames per second', help: '-1 keeps the driving video\'s rate.', min: -1, max: 60, step: 1 },
  retarget_flag: { kind: 'bool', label: 'Pose retargeting', help: 'Adapts the motion to a character with different body proportions.' },
  use_flux: { kind: 'bool', label: 'FLUX retargeting', help: 'Better retargeting with FLUX image editing; slower.', advanced: true },
  mask_iterations: { kind: 'int', label: 'Mask dilation', help: 'Replacement: how far the person mask grows.', min: 1, max: 10, step: 1, advanced: true },
  mask_kernel_size: { kind: 'int', label: 'Mask kernel', help: 'Replacement: dilation kernel size.', min: 3, max: 15, step: 2, advanced: true },
  mask_w_subdivisions: { kind: 'int', label: 'Mask columns', help: 'Replacement: horizontal mask detail.', min: 1, max: 5, step: 1, advanced: true },
  mask_h_subdivisions: { kind: 'int', label: 'Mask rows', help: 'Replacement: vertical mask detail.', min: 1, max: 5, step: 1, advanced: true },
  clip_len: { kind: 'int', label: 'Frames per clip', help: 'Must be 4n+1 (77, 81, 121).', min: 5, max: 121, step: 4, advanced: true },
  refert_num: { kind: 'enum', label: 'Temporal guidance', help: 'Frames carried from one clip into the next.', options: [{ value: 1, label: '1 frame' }, { value: 5, label: '5 frames' }], advanced: true },
  shift: { kind: 'number', label: 'Shift', help: 'Noise schedule shift.', min: 1, max: 10, step: 0.5, advanced: true },
  sample_solver: { kind: 'enum', label: 'Sampler', help: 'Multistep solver.', options: [{ value: 'dpm++', label: 'DPM++ 2M' }, { value: 'unipc', label: 'UniPC' }], advanced: true },
  sampling_steps: { kind: 'int', label: 'Steps', help: 'More steps: slower, sometimes cleaner.', min: 10, max: 50, step: 1 },
  guide_scale: { kind: 'number', label: 'Guidance', help: 'Classifier-free guidance for expression control (1 = off).', min: 1, max: 10, step: 0.5, advanced: true },
  input_prompt: { kind: 'text', label: 'Prompt', help: 'Optional; empty uses the model\'s default.', multiline: true },
  n_prompt: { kind: 'text', label: 'Negative prompt', help: 'What to avoid.', multiline: true, advanced: true },
  seed: { kind: 'seed', label: 'Seed', help: '-1 picks one at random (and records it).', random: -1 },
  offload_model: { kind: 'bool', label: 'Offload models', help: 'Moves idle models to CPU memory to fit smaller GPUs.', advanced: true },
  colour_match: {
    kind: 'bool',
    label: 'Colour match between clips',
    help: 'Keeps brightness and tint steady from clip to clip on long videos.',
    localOnly: 'Renders on this computer only: the cloud app has no such setting and ignores it.',
  },
};
