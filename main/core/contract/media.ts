import { z } from 'zod';
import { event, out, request } from './define';
import { idSchema, importSourceSchema } from './schemas';
import type { Asset, ImportProgressEvent, ImportResult, PeaksWindowDto } from './types';

export const mediaRequests = {
  'media.import': request(z.object({ projectId: idSchema, source: importSourceSchema }).strict(), out<ImportResult>()),
  'media.listAssets': request(z.object({ projectId: idSchema }).strict(), out<Asset[]>()),
  'media.removeAsset': request(z.object({ assetId: idSchema }).strict(), out<{ removed: true }>()),
  'media.peaks': request(
    z
      .object({
        assetId: idSchema,
        maxPeaks: z.number().int().min(16, { error: 'must be at least 16' }).max(20_000, { error: 'must be at most 20000' }),
        startSec: z.number().min(0, { error: 'must not be negative' }).optional(),
        endSec: z.number().min(0, { error: 'must not be negative' }).optional(),
      })
      .strict(),
    out<PeaksWindowDto>(),
  ),
} as const;

export const mediaEvents = {
  'media.importProgress': event<ImportProgressEvent>(),
} as const;
