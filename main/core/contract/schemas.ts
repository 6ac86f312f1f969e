import { z } from 'zod';
import { apiAddressSchema } from './apiAddress';
import { paramsFields } from './params/index';
import { engineChoices, localProviders, studioApps, themes, type StudioApp } from './types';

/** Reusable input schemas with messages a person can act on. */

/** "is required" when missing, the given text when present but of the wrong type. */
const typeError = (wrongType: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : wrongType),
});

export const idSchema = z
  .string(typeError('must be an id string'))
  .regex(/^[A-Za-z0-9_-]{6,64}$/, { error: 'is not a valid id' });

export const projectNameSchema = z
  .string(typeError('must be text'))
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(120, { error: 'must be at most 120 characters' })
      // eslint-disable-next-line no-control-regex
      .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { error: 'must not contain control characters' }),
  );

export const appSchema = z.enum(studioApps, { error: `must be one of ${studioApps.join(', ')}` });
export const themeSchema = z.enum(themes, { error: `must be one of ${themes.join(', ')}` });

const toolPathSchema = z
  .string()
  .max(4096, { error: 'is too long' })
  .refine((s) => s.length === 0 || s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s), {
    error: 'must be an absolute path to the program, or empty to find it automatically',
  })
  .nullable();

/** The inference.sh API address (https, or http on loopback); empty or null means the public service. */
export const cloudBaseUrlSchema = apiAddressSchema;

export const userSettingsPatchSchema = z
  .object({
    theme: themeSchema,
    ffmpegPath: toolPathSchema,
    ffprobePath: toolPathSchema,
    defaultApp: appSchema,
    cloudBaseUrl: cloudBaseUrlSchema,
    localProvider: z.enum(localProviders, { error: `must be one of ${localProviders.join(', ')}, or null for automatic` }).nullable(),
    cloudConcurrency: z
      .number({ error: 'must be a whole number from 1 to 16' })
      .int({ error: 'must be a whole number from 1 to 16' })
      .min(1, { error: 'must be at least 1' })
      .max(16, { error: 'must be at most 16' }),
    cloudFallback: z.boolean({ error: 'must be true or false' }),
    soundOnEnd: z.boolean({ error: 'must be true or false' }),
  })
  .partial()
  .strict();

export const importSourceSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('path'), path: z.string().min(1, { error: 'must not be empty' }).max(4096) }),
    z.object({
      kind: z.literal('upload'),
      uploadId: z.string().regex(/^[a-f0-9]{32}$/, { error: 'is not a valid upload id' }),
      name: z.string().min(1, { error: 'must not be empty' }).max(255, { error: 'must be at most 255 characters' }),
    }),
  ],
  { error: "must be { kind: 'path', path } or { kind: 'upload', uploadId, name }" },
);

const assetRefSchema = idSchema.nullable();

/** Longest text a draft keeps: well above what a render takes (2,000), far below a 1 MiB paste. */
export const MAX_DRAFT_TEXT = 10_000;
const MAX_DRAFT_FIELDS = 64;

/**
 * A saved editor draft: only checked loosely (the render checks it fully), but bounded so a
 * pasted megabyte or a nested structure never reaches the library. Messages use the label the
 * user sees next to the field.
 */
export const paramsDraftSchema = (app: StudioApp) =>
  z.record(z.string().max(64), z.unknown()).superRefine((record, ctx) => {
    const keys = Object.keys(record);
    if (keys.length > MAX_DRAFT_FIELDS) ctx.addIssue({ code: 'custom', message: `has ${keys.length} fields; a draft has at most ${MAX_DRAFT_FIELDS}` });
    const fields: Record<string, { label: string } | undefined> = paramsFields[app];
    for (const key of keys) {
      const value = record[key];
      const label = fields[key]?.label ?? key;
      if (typeof value === 'string' && value.length > MAX_DRAFT_TEXT) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${label} is ${value.length.toLocaleString('en-US')} characters long; it can hold at most ${MAX_DRAFT_TEXT.toLocaleString('en-US')} (a render takes up to 2,000). Shorten it.`,
        });
      } else if (typeof value === 'object' && value !== null) {
        ctx.addIssue({ code: 'custom', path: [key], message: `${label} must be text, a number, true/false or empty` });
      }
    }
  });

export const trimRangeSchema = z
  .object({
    inSec: z.number({ error: 'must be a number of seconds' }).min(0, { error: 'must not be negative' }).max(86_400),
    outSec: z.number({ error: 'must be a number of seconds or null' }).min(0, { error: 'must not be negative' }).max(86_400).nullable(),
  })
  .strict()
  .refine((t) => t.outSec === null || t.outSec > t.inSec, { error: 'the out point must come after the in point', path: ['outSec'] });

const fraction = (what: string) => z.number({ error: `${what}: must be a number` }).min(0, { error: `${what}: must be between 0 and 1` }).max(1, { error: `${what}: must be between 0 and 1` });

/** A picked person: where in the frame (fractions) and when; null goes back to the largest person. */
export const personPickSchema = z
  .object({ x: fraction('x'), y: fraction('y'), atSec: z.number({ error: 'atSec: must be a number' }).min(0, { error: 'atSec: must not be negative' }).max(86_400) })
  .strict()
  .nullable();

export const projectStatePatchSchema = z
  .object({
    s2v: z
      .object({ imageAssetId: assetRefSchema, audioAssetId: assetRefSchema, audioTrim: trimRangeSchema, params: paramsDraftSchema('s2v') })
      .partial()
      .strict(),
    animate: z
      .object({ videoAssetId: assetRefSchema, referenceAssetId: assetRefSchema, videoTrim: trimRangeSchema, params: paramsDraftSchema('animate'), person: personPickSchema })
      .partial()
      .strict(),
    engine: z.enum(engineChoices, { error: `must be one of ${engineChoices.join(', ')}` }),
  })
  .partial()
  .strict();
