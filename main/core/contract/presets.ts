import { z } from 'zod';
import { out, request } from './define';
import { appSchema, paramsDraftSchema } from './schemas';
import type { StudioApp } from './types';

/** A named set of parameters for one app. Built-in presets come with the studio and cannot change. */
export interface PresetDto {
  id: string;
  app: StudioApp;
  name: string;
  params: Record<string, unknown>;
  builtin: boolean;
}

/** Built-in presets: a fast draft to check framing and timing, and a slower quality render. */
export const builtinPresets: readonly PresetDto[] = [
  { id: 'builtin-s2v-draft', app: 's2v', name: 'Fast draft', builtin: true, params: { resolution: '480p', enable_first_block_cache: true, first_block_cache_threshold: 0.1 } },
  { id: 'builtin-s2v-quality', app: 's2v', name: 'Quality', builtin: true, params: { resolution: '720p', enable_first_block_cache: false } },
  { id: 'builtin-animate-draft', app: 'animate', name: 'Fast draft', builtin: true, params: { sampling_steps: 10, resolution_width: 832, resolution_height: 512 } },
  { id: 'builtin-animate-quality', app: 'animate', name: 'Quality', builtin: true, params: { sampling_steps: 30, resolution_width: 1280, resolution_height: 720 } },
];

const presetIdSchema = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, { error: 'is not a preset id' });
const presetNameSchema = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, { error: 'Preset name: type a name; it cannot be empty' })
  .max(80, { error: 'Preset name: at most 80 characters' });

const savePresetSchema = z
  .object({ app: appSchema, name: presetNameSchema, params: z.record(z.string(), z.unknown()) })
  .strict()
  .superRefine((v, ctx) => {
    const r = paramsDraftSchema(v.app).safeParse(v.params);
    if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', path: ['params', ...i.path], message: i.message });
  });

export const presetsRequests = {
  /** The app's presets: built-in first, then the user's, by name. */
  'presets.list': request(z.object({ app: appSchema }).strict(), out<PresetDto[]>()),
  /** Saves parameters under a new name (the seed is left out: a preset is a look, not one take). */
  'presets.save': request(savePresetSchema, out<PresetDto>()),
  'presets.rename': request(z.object({ id: presetIdSchema, name: presetNameSchema }).strict(), out<PresetDto>()),
  'presets.delete': request(z.object({ id: presetIdSchema }).strict(), out<{ deleted: true }>()),
} as const;

export const presetsEvents = {} as const;
