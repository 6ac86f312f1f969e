import { z } from 'zod';

/** Export presets a person can pick after a render: what the post-processing dialog offers. */
export const exportFormats = ['h264', 'h265', 'prores', 'vp9', 'gif'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const exportFormatInfo: Record<ExportFormat, { label: string; extension: string; container: 'mp4' | 'mov' | 'webm' | 'gif'; encoder: string }> = {
  h264: { label: 'H.264 MP4 (plays everywhere)', extension: '.mp4', container: 'mp4', encoder: 'libx264' },
  h265: { label: 'H.265 MP4 (smaller files)', extension: '.mp4', container: 'mp4', encoder: 'libx265' },
  prores: { label: 'ProRes 422 HQ MOV (for editors)', extension: '.mov', container: 'mov', encoder: 'prores_ks' },
  vp9: { label: 'VP9 WebM (for the web)', extension: '.webm', container: 'webm', encoder: 'libvpx-vp9' },
  gif: { label: 'Animated GIF', extension: '.gif', container: 'gif', encoder: 'gif' },
};

/** The formats a target file size applies to: the ones people send through size-limited apps. */
export const targetSizeFormats: readonly ExportFormat[] = ['h264', 'h265', 'gif'];

export const exportFrameRates = [24, 25, 30, 60] as const;
/** Output heights: smaller ones for sharing (messages, the web), larger ones to upscale. */
export const exportHeights = [480, 720, 1080, 1440, 2160] as const;
export type ExportHeight = (typeof exportHeights)[number];

export const postProcessSpecSchema = z
  .object({
    format: z.enum(exportFormats, { error: `must be one of ${exportFormats.join(', ')}` }),
    fps: z
      .object({
        target: z.union(exportFrameRates.map((r) => z.literal(r)) as [z.ZodLiteral<24>, z.ZodLiteral<25>, z.ZodLiteral<30>, z.ZodLiteral<60>], {
          error: `must be one of ${exportFrameRates.join(', ')}`,
        }),
        method: z.enum(['interpolate', 'repeat'], { error: 'must be interpolate (motion-compensated) or repeat (duplicate frames)' }),
      })
      .strict()
      .nullable()
      .default(null),
    height: z
      .union(exportHeights.map((h) => z.literal(h)) as unknown as [z.ZodLiteral<ExportHeight>, z.ZodLiteral<ExportHeight>, ...z.ZodLiteral<ExportHeight>[]], {
        error: `must be one of ${exportHeights.join(', ')} or null to keep the size`,
      })
      .nullable()
      .default(null),
    loudnorm: z.boolean().default(false),
    crf: z.number().int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 or more' }).max(51, { error: 'must be 51 or less' }).nullable().default(null),
    /** Fit the file in this many MB (1 MB = 1,000,000 bytes): the bitrate (MP4) or size and frame rate (GIF) follow. */
    targetSizeMB: z
      .number({ error: 'Target size: must be a number of MB' })
      .min(0.1, { error: 'Target size: must be at least 0.1 MB' })
      .max(4000, { error: 'Target size: must be at most 4000 MB' })
      .nullable()
      .default(null),
  })
  .strict()
  .refine((s) => s.targetSizeMB === null || targetSizeFormats.includes(s.format), {
    error: 'Target size: works for MP4 (H.264, H.265) and GIF; choose one of those formats or leave the size open',
    path: ['targetSizeMB'],
  });

export type PostProcessSpec = z.output<typeof postProcessSpecSchema>;
