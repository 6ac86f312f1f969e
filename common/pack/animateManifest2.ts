import { z } from 'zod';
import { graphInterfaceProblems } from './s2vInterface2';
import { ditAttentionSchema, graphComponent2Schema, PACK_FORMAT_2, packManifest2Schema, type TensorDtype2 } from './packManifest2';

/**
 * Pack format 2 for the Animate pipeline (docs/model-pack.md, "Format 2: Animate"): umT5 and the VAE
 * as in an S2V pack, the CLIP image encoder, the face path as two graphs (per-frame motion vectors,
 * then once per clip the face tokens) and the 36-channel DiT with the relighting LoRA in the graph.
 */
export const animateComponentNames = ['text_encoder', 'vae_encoder', 'vae_decoder', 'clip_encoder', 'face_motion', 'face_encoder', 'dit'] as const;
export type AnimateComponentName = (typeof animateComponentNames)[number];

type Io = [name: string, dtype: TensorDtype2, rank: number];
export const ANIMATE_INTERFACE_2: Record<AnimateComponentName, { inputs: Io[]; outputs: Io[] }> = {
  text_encoder: { inputs: [['input_ids', 'int64', 2]], outputs: [['context', 'float32', 3]] },
  vae_encoder: { inputs: [['pixels', 'float32', 5]], outputs: [['latents', 'float32', 5]] },
  vae_decoder: { inputs: [['latents', 'float32', 5]], outputs: [['pixels', 'float32', 5]] },
  clip_encoder: { inputs: [['reference', 'float32', 4]], outputs: [['clip_features', 'float32', 3]] },
  face_motion: { inputs: [['face_pixels', 'float32', 4]], outputs: [['motion', 'float32', 2]] },
  face_encoder: { inputs: [['motion', 'float32', 3]], outputs: [['face_tokens', 'float32', 4]] },
  dit: {
    inputs: [
      ['latents', 'float32', 5], ['y', 'float32', 5], ['pose_latents', 'float32', 5], ['timestep', 'float32', 1], ['context', 'float32', 3],
      ['clip_features', 'float32', 3], ['face_tokens', 'float32', 4], ['rope_cos', 'float32', 2], ['rope_sin', 'float32', 2], ['lora_scale', 'float32', 1],
    ],
    outputs: [['velocity', 'float32', 5]],
  },
};

const positiveInt = z.number().int().positive();

export const animateManifest2Schema = z
  .object({
    format: z.literal(PACK_FORMAT_2, { error: `must be "${PACK_FORMAT_2}"` }),
    name: z.string().min(1).max(120),
    version: z.string().min(1).max(40),
    pipeline: z.literal('animate'),
    source: packManifest2Schema.shape.source,
    tokenizer: packManifest2Schema.shape.tokenizer,
    components: z.object(Object.fromEntries(animateComponentNames.map((n) => [n, graphComponent2Schema])) as Record<AnimateComponentName, typeof graphComponent2Schema>).strict(),
    dit: z
      .object({
        dim: positiveInt,
        heads: positiveInt,
        layers: positiveInt,
        textDim: positiveInt,
        textLength: positiveInt,
        clipTokens: z.literal(257, { error: 'Wan2.2-Animate reads exactly 257 CLIP tokens' }),
        clipDim: positiveInt,
        faceAdapterEvery: z.literal(5, { error: 'Wan2.2-Animate has a face adapter after every 5th block' }),
        ropeTheta: z.number().positive(),
        ropePairs: z.tuple([positiveInt, positiveInt, positiveInt]),
        /** Rank of the in-graph relighting adapters; 0 when the pack was made without relighting_lora.ckpt. */
        loraRank: z.number().int().nonnegative(),
        attention: ditAttentionSchema,
      })
      .strict(),
    face: z.object({ size: positiveInt, motionDim: positiveInt, tokens: positiveInt }).strict(),
    latent: packManifest2Schema.shape.latent,
    video: z.object({ sizeMultiple: z.literal(16), framesMultiple: z.literal(4) }).strict(),
  })
  .strict();
export type AnimateManifest2 = z.output<typeof animateManifest2Schema>;

export const FACE_ENCODER_MISSING =
  'This Animate pack has no face encoder (components face_motion and face_encoder): Wan2.2-Animate drives the face from it, so the pack cannot render. ' +
  'Export the pack again from the official Wan2.2-Animate-14B folder (python3 -m wan_export export --app animate --checkpoint DIR --out PACK) and import that pack.';

export type AnimateManifestRead = { ok: true; manifest: AnimateManifest2 } | { ok: false; kind: 'no_face_encoder' | 'invalid'; message: string };

/** Reads a parsed manifest.json as an Animate format 2 pack; a pack without its face encoder is named first. */
export function readAnimateManifest2(json: unknown): AnimateManifestRead {
  const components = (json as { components?: unknown } | null)?.components;
  const has = (n: string) => typeof components === 'object' && components !== null && n in components;
  if (!has('face_encoder') || !has('face_motion')) return { ok: false, kind: 'no_face_encoder', message: FACE_ENCODER_MISSING };
  const parsed = animateManifest2Schema.safeParse(json);
  if (parsed.success) return { ok: true, manifest: parsed.data };
  const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'manifest'}: ${i.message}`);
  return { ok: false, kind: 'invalid', message: `The Animate model pack's manifest.json is not valid: ${issues.join('; ')}. See docs/model-pack.md.` };
}

/** Differences between the manifest's declared tensors and what the Animate pipeline feeds and reads. */
export function animateInterfaceProblems(m: AnimateManifest2): string[] {
  return animateComponentNames.flatMap((name) => graphInterfaceProblems(name, ANIMATE_INTERFACE_2[name], m.components[name]));
}
