import { z } from 'zod';
import { event, out, request } from './define';
import { idSchema } from './schemas';
import type { AnimatePrecomputeProgress, AnimatePrecomputeStatus, FramePreviewDto } from './animateTypes';

const atSchema = z.number({ error: 'atSec: must be a number' }).min(0, { error: 'atSec: must not be negative' }).max(24 * 3600, { error: 'atSec: must be at most a day' });

export const animateRequests = {
  /** The people in the driving video at one moment (pose, box, mask), for the live overlays. */
  'animate.previewFrame': request(z.object({ assetId: idSchema, atSec: atSchema }).strict(), out<FramePreviewDto>()),
  /** Starts (or joins) the background analysis of the whole video; results are stored in the library. */
  'animate.startPrecompute': request(z.object({ assetId: idSchema }).strict(), out<AnimatePrecomputeStatus>()),
  'animate.cancelPrecompute': request(z.object({ assetId: idSchema }).strict(), out<AnimatePrecomputeStatus>()),
  'animate.precomputeStatus': request(z.object({ assetId: idSchema }).strict(), out<AnimatePrecomputeStatus>()),
} as const;

export const animateEvents = {
  'animate.precomputeProgress': event<AnimatePrecomputeProgress>(),
} as const;
