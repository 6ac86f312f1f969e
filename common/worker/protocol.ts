import { z } from 'zod';
import { animateJobSchema } from '../animate/animateJob';
import { bytesSchema, frameDetectionSchema } from '../animate/detection';
import { providerNameSchema, providerReportSchema } from '../providers/providers';
import { s2vClipSchema, s2vJobSchema, s2vProgressSchema, s2vResultSchema } from '../s2v/s2vJob';

/**
 * Messages between the engine driver (main) and the inference worker, as schemas: each side
 * parses what it receives, so a malformed message is a clear error rather than a crash far from
 * its cause. Nothing else crosses. New messages are added here, to one of the two unions.
 */
export const rgbFrameSchema = z
  .object({ width: z.number().int().positive().max(8192), height: z.number().int().positive().max(8192), rgb: bytesSchema })
  .strict()
  .refine((f) => f.rgb.length === f.width * f.height * 3, { message: 'rgb must be width x height x 3 bytes' });

export const toWorkerSchema = z.discriminatedUnion('type', [
  /** The worker reads and checks the pack's manifest and graphs itself (format 2, from the protobuf). */
  z.object({ type: z.literal('load'), packDir: z.string().min(1), provider: providerNameSchema.nullable(), keepLoaded: z.boolean() }).strict(),
  z.object({ type: z.literal('run'), job: s2vJobSchema }).strict(),
  /** A local Animate render; it answers with the same progress, clip, result and error messages as 'run'. */
  z.object({ type: z.literal('runAnimate'), job: animateJobSchema }).strict(),
  z.object({ type: z.literal('cancel') }).strict(),
  /** Animate previews: find the people in one RGB frame (bundled models, or the preprocess pack's when given). */
  z
    .object({
      type: z.literal('detect'),
      id: z.number().int().nonnegative(),
      modelsDir: z.string().min(1),
      preprocessPackDir: z.string().min(1).nullable(),
      frame: rgbFrameSchema,
    })
    .strict(),
]);
export type ToWorker = z.output<typeof toWorkerSchema>;

export const workerErrorCodes = ['pack_invalid', 'provider_failed', 'out_of_memory', 'cancelled', 'failed'] as const;
export type WorkerErrorCode = (typeof workerErrorCodes)[number];

export const fromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('loaded'), provider: providerReportSchema }).strict(),
  s2vProgressSchema.extend({ type: z.literal('progress') }).strict(),
  z.object({ type: z.literal('log'), line: z.string() }).strict(),
  /** A clip is finished and checkpointed (or replayed from its checkpoint on resume). */
  s2vClipSchema.extend({ type: z.literal('clip') }).strict(),
  z.object({ type: z.literal('result'), result: s2vResultSchema }).strict(),
  z.object({ type: z.literal('error'), code: z.enum(workerErrorCodes), message: z.string() }).strict(),
  z.object({ type: z.literal('detection'), id: z.number().int().nonnegative(), detection: frameDetectionSchema }).strict(),
  z.object({ type: z.literal('detectFailed'), id: z.number().int().nonnegative(), message: z.string() }).strict(),
]);
export type FromWorker = z.output<typeof fromWorkerSchema>;

/** A message that does not fit its schema: names the message and the first thing wrong with it. */
export class MalformedMessageError extends Error {}

const typeOf = (raw: unknown): string | null => {
  const type = raw && typeof raw === 'object' ? (raw as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type.slice(0, 40) : null;
};

/** Parses one message with `schema`; `sender` says who sent it ("The inference worker"). */
export function parseMessage<S extends z.ZodType>(schema: S, raw: unknown, sender: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const type = typeOf(raw);
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new MalformedMessageError(`${sender} sent a malformed ${type ? `"${type}" message` : 'message'} (${where}${issue?.message ?? 'it does not fit the protocol'}).`);
}
