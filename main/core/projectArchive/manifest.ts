import { z } from 'zod';
import { isSafeEntryName } from '../archive/zipReader';
import { appSchema, paramsDraftSchema, projectNameSchema, projectStatePatchSchema } from '../contract/schemas';

/** manifest.json at the root of a .wanproj archive: everything but the bytes of the files. */
export const MANIFEST_NAME = 'manifest.json';
export const ARCHIVE_FORMAT = 'wan-studio-project';
export const ARCHIVE_VERSION = 1;
export const ARCHIVE_EXTENSION = '.wanproj';
/** A manifest is small (names, parameters); more than this is not one of ours. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

const entryNameSchema = z.string().refine(isSafeEntryName, { error: 'is not a safe file name inside the archive' });
const sha256Schema = z.string().regex(/^[a-f0-9]{64}$/, { error: 'is not a SHA-256 hash' });
/** Ids inside the manifest only tie the editor state to its media; they never become library ids. */
const archiveIdSchema = z.string().min(1).max(64);

const assetEntrySchema = z
  .object({ id: archiveIdSchema, name: z.string().min(1).max(255), sha256: sha256Schema, sizeBytes: z.number().int().min(1), file: entryNameSchema })
  .strict();

const outputEntrySchema = z
  .object({
    file: entryNameSchema,
    poster: entryNameSchema.nullable(),
    settings: z.record(z.string(), z.unknown()),
    seed: z.number().int().nullable(),
    createdAt: z.number().int().min(0),
  })
  .strict();

const presetEntrySchema = z.object({ app: appSchema, name: z.string().trim().min(1).max(80), params: z.record(z.string(), z.unknown()) }).strict();

export const manifestSchema = z
  .object({
    format: z.literal(ARCHIVE_FORMAT, { error: 'is not a Wan Studio project archive' }),
    version: z.number().int().min(1),
    exportedAt: z.number().int(),
    project: z.object({ name: projectNameSchema, app: appSchema }).strict(),
    state: projectStatePatchSchema,
    assets: z.array(assetEntrySchema).max(1000),
    outputs: z.array(outputEntrySchema).max(1000),
    presets: z.array(presetEntrySchema).max(1000),
  })
  .strict()
  .superRefine((m, ctx) => {
    for (const [i, p] of m.presets.entries()) {
      const r = paramsDraftSchema(p.app).safeParse(p.params);
      if (!r.success) ctx.addIssue({ code: 'custom', path: ['presets', i, 'params'], message: r.error.issues[0]?.message ?? 'is not valid' });
    }
  });

export type ProjectManifest = z.output<typeof manifestSchema>;
export type ManifestAsset = ProjectManifest['assets'][number];
export type ManifestOutput = ProjectManifest['outputs'][number];
