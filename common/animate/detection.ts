import { z } from 'zod';

/**
 * What a person detector sends back for one frame, as a schema: it crosses the worker boundary
 * and is stored in the library. Coordinates are pixels of the frame that was sent.
 */
/** Bytes of any backing buffer (a Buffer from ffmpeg, a copy from IPC). */
export const bytesSchema = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'must be bytes' });
export const keypointSchema = z.object({ x: z.number(), y: z.number(), score: z.number() }).strict();
export const personBoxSchema = z.object({ x1: z.number(), y1: z.number(), x2: z.number(), y2: z.number(), score: z.number() }).strict();

/** A person's mask inside its own rectangle of the frame (the rest of the frame is 0). */
export const regionMaskSchema = z
  .object({ x0: z.number().int().min(0), y0: z.number().int().min(0), width: z.number().int().min(0), height: z.number().int().min(0), data: bytesSchema })
  .strict()
  .refine((m) => m.data.length === m.width * m.height, { message: 'mask data must be width x height bytes' });

export const detectedPersonSchema = z
  .object({
    box: personBoxSchema,
    body: z.array(keypointSchema).length(20),
    leftHand: z.array(keypointSchema).length(21).nullable(),
    rightHand: z.array(keypointSchema).length(21).nullable(),
    face: z.array(keypointSchema).length(68).nullable(),
    mask: regionMaskSchema.nullable(),
  })
  .strict();
export type DetectedPerson = z.output<typeof detectedPersonSchema>;

/** Which models made a preview: shown in the UI next to every overlay. */
export const previewModelSchema = z.object({ id: z.enum(['bundled', 'official']), label: z.string() }).strict();
export type PreviewModel = z.output<typeof previewModelSchema>;

export const frameDetectionSchema = z
  .object({ width: z.number().int().positive(), height: z.number().int().positive(), model: previewModelSchema, people: z.array(detectedPersonSchema) })
  .strict();
export type FrameDetection = z.output<typeof frameDetectionSchema>;

export const BUNDLED_MODEL: PreviewModel = { id: 'bundled', label: 'MoveNet MultiPose + MediaPipe Selfie (bundled preview models)' };
export const OFFICIAL_MODEL: PreviewModel = { id: 'official', label: 'YOLOv10m + ViTPose-H wholebody (official preprocess pack; mask by MediaPipe Selfie, as SAM2 has no ONNX export)' };

/**
 * The person Wan's preprocessing uses (pose2d.py): the largest box, after dropping boxes whose
 * longer side is under 0.4x the largest longer side. Returns the index into `people`, or -1.
 */
export function primaryPersonIndex(people: readonly { box: z.output<typeof personBoxSchema> }[]): number {
  if (people.length === 0) return -1;
  const longer = people.map((p) => Math.max(p.box.x2 - p.box.x1, p.box.y2 - p.box.y1));
  const maxLonger = Math.max(...longer);
  let best = -1;
  let bestArea = -1;
  people.forEach((p, i) => {
    if (longer[i]! < 0.4 * maxLonger) return;
    const area = (p.box.x2 - p.box.x1) * (p.box.y2 - p.box.y1);
    if (area > bestArea) [best, bestArea] = [i, area];
  });
  return best;
}
