import { z } from 'zod';
import { event, out, request } from './define';
import type { BatchDto, BatchEstimateDto, QueueChangedEvent, QueueListDto } from './queueTypes';
import type { JobDto } from './renderTypes';
import { engineChoices } from './types';
import { idSchema } from './schemas';

const job = z.object({ jobId: idSchema }).strict();

const paramsOverrideSchema = z.record(z.string().max(64), z.unknown()).refine((r) => Object.keys(r).length <= 64, { error: 'has too many fields' });
const fileRef = idSchema.nullable().optional();

export const batchVariationSchema = z
  .object({
    label: z.string().trim().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }).optional(),
    params: paramsOverrideSchema.optional(),
    files: z.object({ imageAssetId: fileRef, audioAssetId: fileRef, videoAssetId: fileRef, referenceAssetId: fileRef }).strict().optional(),
  })
  .strict();

export const MAX_BATCH = 1000;

export const queueRequests = {
  /** One page of the queue across all projects (running, waiting in order, then ended). */
  'queue.list': request(
    z
      .object({
        offset: z.number().int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' }).optional(),
        limit: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(500, { error: 'must be at most 500' }).optional(),
      })
      .strict(),
    out<QueueListDto>(),
  ),
  /** Puts a waiting job at `index` among the waiting jobs (0 = next to start). */
  'queue.move': request(
    z.object({ jobId: idSchema, index: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' }) }).strict(),
    out<QueueListDto>(),
  ),
  /**
   * Holds a waiting job in its place. A running local render stops at the end of the clip it is
   * rendering and is held there (Resume continues from that clip); a running cloud render cannot
   * be paused (its task goes on, paid) and is refused with why (QueueJobDto.pauseBlocker).
   */
  'queue.pause': request(job, out<JobDto>()),
  'queue.resume': request(job, out<JobDto>()),
  /** Holds the whole queue: running jobs finish, nothing new starts. */
  'queue.pauseAll': request(z.object({}).strict(), out<{ paused: boolean }>()),
  'queue.resumeAll': request(z.object({}).strict(), out<{ paused: boolean }>()),
  'queue.cancel': request(job, out<JobDto>()),
  'queue.retry': request(job, out<JobDto>()),
  /**
   * Queues a named batch of variations of the project's draft, all or nothing: every row is
   * checked first, and a bad row is named (from 1) with its field.
   */
  'queue.addBatch': request(
    z
      .object({
        projectId: idSchema,
        name: z.string().trim().min(1, { error: 'must not be empty' }).max(120, { error: 'must be at most 120 characters' }),
        engine: z.enum(engineChoices, { error: 'must be auto, local or cloud' }).optional(),
        variations: z.array(batchVariationSchema).min(1, { error: 'must hold at least one render' }).max(MAX_BATCH, { error: `must hold at most ${MAX_BATCH} renders` }),
      })
      .strict(),
    out<BatchDto>(),
  ),
  /**
   * What the batch would start, without queuing it: how many paid cloud renders and their expected
   * time from past jobs. Rows are checked as queue.addBatch checks them.
   */
  'queue.estimateBatch': request(
    z
      .object({
        projectId: idSchema,
        engine: z.enum(engineChoices, { error: 'must be auto, local or cloud' }).optional(),
        variations: z.array(batchVariationSchema).min(1, { error: 'must hold at least one render' }).max(MAX_BATCH, { error: `must hold at most ${MAX_BATCH} renders` }),
      })
      .strict(),
    out<BatchEstimateDto>(),
  ),
  /** Clears a finished, failed or cancelled job from the queue (its output and project history stay). */
  'queue.remove': request(job, out<{ removed: true }>()),
} as const;

export const queueEvents = {
  'queue.changed': event<QueueChangedEvent>(),
} as const;
