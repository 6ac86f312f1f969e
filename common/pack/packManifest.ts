import { z } from 'zod';

/**
 * The model pack format (docs/model-pack.md): a folder with manifest.json and one ONNX file per
 * component. The manifest names each graph's inputs and outputs with shapes (numbers, or symbolic
 * dimension names) so a pack is checked against what the pipeline needs before any GPU time.
 */
export const PACK_FORMAT = 'wan-studio-pack/1';

const symbolic = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'a symbolic dimension is a name like "frames"' });
const dimSchema = z.union([z.number().int().positive({ error: 'a fixed dimension must be a positive whole number' }), symbolic]);
export const tensorDtypes = ['float32', 'float16', 'int64', 'int32'] as const;
const tensorSchema = z
  .object({ name: z.string().min(1), dtype: z.enum(tensorDtypes, { error: `must be one of ${tensorDtypes.join(', ')}` }), shape: z.array(dimSchema) })
  .strict();

const relativeFile = z
  .string()
  .min(1)
  .refine((f) => !f.startsWith('/') && !/^[A-Za-z]:/.test(f) && !f.split(/[\\/]/).includes('..') && !f.includes('\0'), { error: 'must be a file inside the pack folder' });

export const graphComponentSchema = z
  .object({
    file: relativeFile,
    sha256: z.string().regex(/^[a-f0-9]{64}$/, { error: 'must be the file\'s SHA-256 as 64 lowercase hex digits' }),
    /** The weights' precision (what a GPU needs memory for). */
    dtype: z.enum(['float32', 'float16', 'bfloat16', 'int8']),
    inputs: z.array(tensorSchema).min(1),
    outputs: z.array(tensorSchema).min(1),
  })
  .strict();
export type GraphComponent = z.output<typeof graphComponentSchema>;
export type TensorSpec = z.output<typeof tensorSchema>;

const sixteen = z.array(z.number()).length(16, { error: 'must list 16 values, one per latent channel' });

export const packManifestSchema = z
  .object({
    format: z.literal(PACK_FORMAT, { error: `must be "${PACK_FORMAT}"` }),
    name: z.string().min(1).max(120),
    version: z.string().min(1).max(40),
    pipeline: z.enum(['s2v', 'animate'], { error: 'must be s2v or animate' }),
    components: z
      .object({
        tokenizer: z.object({ kind: z.literal('bytes', { error: 'only the "bytes" tokenizer is supported in this version' }), maxLength: z.number().int().positive() }).strict(),
        text_encoder: graphComponentSchema,
        audio_encoder: graphComponentSchema.optional(),
        clip_encoder: graphComponentSchema.optional(),
        vae_encoder: graphComponentSchema,
        dit: graphComponentSchema.optional(),
        dit_first_block: graphComponentSchema.optional(),
        dit_rest: graphComponentSchema.optional(),
        vae_decoder: graphComponentSchema,
      })
      .strict(),
    latent: z
      .object({
        channels: z.literal(16, { error: 'Wan latents have 16 channels' }),
        stride: z.tuple([z.literal(4), z.literal(8), z.literal(8)], { error: 'Wan latents are strided 4x8x8 (time, height, width)' }),
        patch: z.tuple([z.literal(1), z.literal(2), z.literal(2)], { error: 'the Wan DiT patch is 1x2x2' }),
        mean: sixteen,
        std: sixteen,
      })
      .strict(),
    audio: z.object({ sampleRate: z.literal(16000), hop: z.number().int().positive(), featureRate: z.number().positive() }).strict().optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    const c = m.components;
    const split = !!c.dit_first_block || !!c.dit_rest;
    if (split && !(c.dit_first_block && c.dit_rest)) ctx.addIssue({ code: 'custom', path: ['components'], message: 'a split DiT needs both dit_first_block and dit_rest' });
    if (!split && !c.dit) ctx.addIssue({ code: 'custom', path: ['components', 'dit'], message: 'a pack needs a dit (or dit_first_block + dit_rest)' });
    if (m.pipeline === 's2v' && !c.audio_encoder) ctx.addIssue({ code: 'custom', path: ['components', 'audio_encoder'], message: 'an s2v pack needs an audio_encoder' });
    if (m.pipeline === 's2v' && !m.audio) ctx.addIssue({ code: 'custom', path: ['audio'], message: 'an s2v pack says how its audio encoder frames the 16 kHz audio' });
    if (m.pipeline === 'animate' && !c.clip_encoder) ctx.addIssue({ code: 'custom', path: ['components', 'clip_encoder'], message: 'an animate pack needs a clip_encoder' });
  });
export type PackManifest = z.output<typeof packManifestSchema>;
export type ComponentName = Exclude<keyof PackManifest['components'], 'tokenizer'>;

/**
 * What the S2V pipeline feeds each graph and reads back: names and ranks are fixed, sizes are
 * symbolic. A real export targets exactly these (docs/model-pack.md).
 */
type GraphInterface = { inputs: Array<[string, TensorSpec['dtype'], number]>; outputs: Array<[string, TensorSpec['dtype'], number]> };

export const S2V_INTERFACE: Partial<Record<ComponentName, GraphInterface>> = {
  text_encoder: { inputs: [['input_ids', 'int64', 2]], outputs: [['context', 'float32', 3]] },
  audio_encoder: { inputs: [['audio_frames', 'float32', 3]], outputs: [['audio_features', 'float32', 3]] },
  vae_encoder: { inputs: [['pixels', 'float32', 5]], outputs: [['latents', 'float32', 5]] },
  dit: {
    inputs: [['latents', 'float32', 5], ['timestep', 'float32', 1], ['context', 'float32', 3], ['audio', 'float32', 3], ['ref_latents', 'float32', 5], ['motion_latents', 'float32', 5]],
    outputs: [['velocity', 'float32', 5]],
  },
  dit_first_block: {
    inputs: [['latents', 'float32', 5], ['timestep', 'float32', 1], ['context', 'float32', 3], ['audio', 'float32', 3], ['ref_latents', 'float32', 5], ['motion_latents', 'float32', 5]],
    outputs: [['hidden', 'float32', 5], ['first_residual', 'float32', 5]],
  },
  dit_rest: { inputs: [['hidden', 'float32', 5], ['timestep', 'float32', 1], ['context', 'float32', 3], ['audio', 'float32', 3]], outputs: [['velocity', 'float32', 5]] },
  vae_decoder: { inputs: [['latents', 'float32', 5]], outputs: [['pixels', 'float32', 5]] },
};

/**
 * Wan 2.2 Animate (research/wan22.md §2.2), defined now so exports and later work target one
 * format: the DiT takes the 36-channel input (noisy latents + 4 mask + 16 reference/temporal
 * guidance channels), the CLIP image features, the pose latents and the face crops.
 */
export const ANIMATE_INTERFACE: Partial<Record<ComponentName, GraphInterface>> = {
  text_encoder: S2V_INTERFACE.text_encoder,
  clip_encoder: { inputs: [['image', 'float32', 4]], outputs: [['clip_features', 'float32', 3]] },
  vae_encoder: S2V_INTERFACE.vae_encoder,
  dit: {
    inputs: [['latents', 'float32', 5], ['timestep', 'float32', 1], ['context', 'float32', 3], ['clip_features', 'float32', 3], ['pose_latents', 'float32', 5], ['face_pixels', 'float32', 5]],
    outputs: [['velocity', 'float32', 5]],
  },
  vae_decoder: S2V_INTERFACE.vae_decoder,
};

/** Problems with a manifest against the pipeline's interface, each naming the component and tensor. */
export function interfaceProblems(m: PackManifest): string[] {
  const problems: string[] = [];
  const iface = m.pipeline === 's2v' ? S2V_INTERFACE : ANIMATE_INTERFACE;
  for (const [name, spec] of Object.entries(m.components)) {
    if (name === 'tokenizer' || !spec) continue;
    const want = iface[name as ComponentName];
    if (!want) {
      problems.push(`${name}: not a component of the ${m.pipeline} pipeline`);
      continue;
    }
    const have = spec as GraphComponent;
    for (const [side, list] of [['input', want.inputs], ['output', want.outputs]] as const) {
      const declared = side === 'input' ? have.inputs : have.outputs;
      for (const [tensor, dtype, rank] of list) {
        const d = declared.find((t) => t.name === tensor);
        if (!d) problems.push(`${name}: the manifest lists no ${side} "${tensor}" (${dtype}, rank ${rank})`);
        else if (d.dtype !== dtype || d.shape.length !== rank) problems.push(`${name}: ${side} "${tensor}" is ${d.dtype} rank ${d.shape.length}; the pipeline needs ${dtype} rank ${rank}`);
      }
    }
  }
  return problems;
}
