import { z } from 'zod';
import { event, out, request } from './define';
import { idSchema, importSourceSchema } from './schemas';
import type { Asset, ImportProgressEvent, ImportResult } from './types';

export const mediaRequests = {
  'media.import': request(z.object({ projectId: idSchema, source: importSourceSchema }).strict(), out<ImportResult>()),
  'media.listAssets': request(z.object({ projectId: idSchema }).strict(), out<Asset[]>()),
  'media.removeAsset': request(z.object({ assetId: idSchema }).strict(), out<{ removed: true }>()),
} as const;

export const mediaEvents = {
  'media.importProgress': event<ImportProgressEvent>(),
} as const;
