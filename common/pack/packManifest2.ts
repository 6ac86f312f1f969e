import { z } from 'zod';

/**
 * Pack format 2 (docs/model-pack.md, "Format 2"): the interfaces the official Wan 2.2 S2V model
 * needs. Weights live in external data files listed per component with their hashes, the tokenizer
 * is umT5's tokenizer.json, and the DiT is split for the first block cache in hidden space.
 */
export const PACK_FORMAT_2 = 'wan-studio-pack/2';
/** The studio's first fixture format, which could not carry the real model; refused on import. */
export const PACK_FORMAT_1 = 'wan-studio-pack/1';

/** What a user holding a format 1 pack is told: format 2 readers never half-support format 1. */
export const FORMAT_1_REFUSAL =
  `This model pack is "${PACK_FORMAT_1}", the fixture format that cannot carry the real Wan 2.2 model. ` +
  `Make a "${PACK_FORMAT_2}" pack from the official Wan2.2-S2V-14B folder with the exporter in tools/wan-export ` +
  '(python3 -m wan_export export --checkpoint DIR --out PACK) and import that pack instead.';

const symbolic = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'a symbolic dimension is a name like "frames"' });
const dimSchema = z.union([z.number().int().positive({ error: 'a fixed dimension must be a positive whole number' }), symbolic]);
export const tensorDtypes2 = ['float32', 'float16', 'int64', 'int32'] as const;
export type TensorDtype2 = (typeof tensorDtypes2)[number];
const tensorSchema = z
  .object({ name: z.string().min(1), dtype: z.enum(tensorDtypes2, { error: `must be one of ${tensorDtypes2.join(', ')}` }), shape: z.array(dimSchema) })
  .strict();
export type TensorSpec2 = z.output<typeof tensorSchema>;

/** A path inside the pack folder: no absolute paths, no "..", no NUL. */
export const packRelativeFile = z
  .string()
  .min(1)
  .max(255)
  .refine((f) => !f.startsWith('/') && !/^[A-Za-z]:/.test(f) && !f.split(/[\\/]/).includes('..') && !f.includes('\0'), { error: 'must be a file inside the pack folder' });
const sha256 = z.string().regex(/^[a-f0-9]{64}$/, { error: "must be the file's SHA-256 as 64 lowercase hex digits" });
const hashedFile = z.object({ file: packRelativeFile, sha256 }).strict();

export const graphComponent2Schema = z
  .object({
    file: packRelativeFile,
    sha256,
    /** The weight files the graph's initializers point to (ONNX external data), each hashed. */
    externalData: z.array(hashedFile),
    /** The weights' precision (what a GPU needs memory for); inputs and outputs are float32/int64. */
    dtype: z.enum(['float32', 'float16', 'bfloat16', 'int8']),
    inputs: z.array(tensorSchema).min(1),
    outputs: z.array(tensorSchema).min(1),
  })
  .strict();
export type GraphComponent2 = z.output<typeof graphComponent2Schema>;

/**
 * How a pack's DiT computes attention. "multihead": one com.microsoft MultiHeadAttention node, run with
 * flash attention, memory linear in the tokens (wan-export 0.2 and later). "matmul": MatMul + Softmax,
 * holding float32 [heads, L, L] (packs made before, which lack the field).
 */
export const ditAttentionSchema = z.enum(['matmul', 'multihead']).default('matmul');
export type DitAttention = z.output<typeof ditAttentionSchema>;

export const s2vComponentNames = ['text_encoder', 'audio_encoder', 'vae_encoder', 'vae_decoder', 'dit_first_block', 'dit_rest', 'dit_head'] as const;
export type S2vComponentName = (typeof s2vComponentNames)[number];

const sixteen = z.array(z.number()).length(16, { error: 'must list 16 values, one per latent channel' });
const positiveInt = z.number().int().positive();

export const packManifest2Schema = z
  .object({
    format: z.literal(PACK_FORMAT_2, { error: `must be "${PACK_FORMAT_2}"` }),
    name: z.string().min(1).max(120),
    version: z.string().min(1).max(40),
    pipeline: z.literal('s2v', { error: 'format 2 defines the s2v pipeline only (Animate comes later)' }),
    source: z.object({ model: z.string().min(1).max(120), exporter: z.string().min(1).max(120) }).strict(),
    tokenizer: z
      .object({
        kind: z.literal('umt5', { error: 'format 2 reads the umT5 tokenizer ("umt5")' }),
        file: packRelativeFile,
        sha256,
        length: positiveInt,
        padId: z.number().int().nonnegative(),
        eosId: z.number().int().nonnegative(),
        cleanup: z.literal('wan-whitespace', { error: 'the official cleanup is "wan-whitespace"' }),
      })
      .strict(),
    components: z.object(Object.fromEntries(s2vComponentNames.map((n) => [n, graphComponent2Schema])) as Record<S2vComponentName, typeof graphComponent2Schema>).strict(),
    dit: z
      .object({
        dim: positiveInt,
        heads: positiveInt,
        layers: positiveInt,
        ffnDim: positiveInt,
        textDim: positiveInt,
        textLength: positiveInt,
        patch: z.tuple([z.literal(1), z.literal(2), z.literal(2)], { error: 'the Wan DiT patch is 1x2x2' }),
        ropeTheta: z.number().positive(),
        ropePairs: z.tuple([positiveInt, positiveInt, positiveInt]),
        audioInjectLayers: z.array(z.number().int().nonnegative()).min(1),
        motionFrames: positiveInt,
        motionLatents: positiveInt,
        framePackBuckets: z.tuple([positiveInt, positiveInt, positiveInt]),
        refTimeIndex: z.number().int(),
        attention: ditAttentionSchema,
      })
      .strict(),
    latent: z
      .object({
        channels: z.literal(16, { error: 'Wan latents have 16 channels' }),
        stride: z.tuple([z.literal(4), z.literal(8), z.literal(8)], { error: 'Wan latents are strided 4x8x8 (time, height, width)' }),
        mean: sixteen,
        std: sixteen,
      })
      .strict(),
    audio: z.object({ sampleRate: z.literal(16000), featureRate: z.literal(50), videoRate: z.literal(30), fps: z.literal(16), dim: positiveInt }).strict(),
    video: z.object({ sizeMultiple: z.literal(64), framesMultiple: z.literal(4) }).strict(),
  })
  .strict()
  .superRefine((m, ctx) => {
    const d = m.dit;
    if (d.dim % d.heads !== 0 || (d.dim / d.heads) % 2 !== 0) ctx.addIssue({ code: 'custom', path: ['dit', 'heads'], message: 'dim / heads must be a whole, even head size' });
    else if (d.ropePairs[0] + d.ropePairs[1] + d.ropePairs[2] !== d.dim / d.heads / 2) ctx.addIssue({ code: 'custom', path: ['dit', 'ropePairs'], message: 'the RoPE pairs must add up to half the head size' });
    if (d.audioInjectLayers.some((l) => l >= d.layers)) ctx.addIssue({ code: 'custom', path: ['dit', 'audioInjectLayers'], message: `every audio inject layer must be below the layer count (${d.layers})` });
    if (d.framePackBuckets[0] + d.framePackBuckets[1] + d.framePackBuckets[2] !== d.motionLatents) ctx.addIssue({ code: 'custom', path: ['dit', 'framePackBuckets'], message: 'the FramePack buckets must add up to the motion latents' });
    const seen = new Set<string>([m.tokenizer.file]);
    for (const name of s2vComponentNames) {
      const c = m.components[name];
      for (const [i, f] of [c.file, ...c.externalData.map((e) => e.file)].entries()) {
        if (seen.has(f)) ctx.addIssue({ code: 'custom', path: ['components', name, ...(i === 0 ? ['file'] : ['externalData', i - 1, 'file'])], message: `${f} is listed twice in the pack` });
        seen.add(f);
      }
    }
  });
export type PackManifest2 = z.output<typeof packManifest2Schema>;

export type ManifestRead = { ok: true; manifest: PackManifest2 } | { ok: false; kind: 'format_1' | 'unknown_format' | 'invalid'; message: string };

/**
 * Reads a parsed manifest.json as format 2. A format 1 pack is refused with how to get a format 2
 * pack; other problems are listed with their paths.
 */
export function readPackManifest2(json: unknown): ManifestRead {
  const format = typeof json === 'object' && json !== null ? (json as { format?: unknown }).format : undefined;
  if (format === PACK_FORMAT_1) return { ok: false, kind: 'format_1', message: FORMAT_1_REFUSAL };
  if (format !== PACK_FORMAT_2) return { ok: false, kind: 'unknown_format', message: `The model pack's manifest.json says format ${JSON.stringify(format ?? null)}; this studio reads "${PACK_FORMAT_2}". Make the pack with tools/wan-export.` };
  const parsed = packManifest2Schema.safeParse(json);
  if (parsed.success) return { ok: true, manifest: parsed.data };
  const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'manifest'}: ${i.message}`);
  return { ok: false, kind: 'invalid', message: `The model pack's manifest.json is not valid: ${issues.join('; ')}. See docs/model-pack.md.` };
}
