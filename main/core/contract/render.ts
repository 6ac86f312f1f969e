import { z } from 'zod';
import { event, out, request } from './define';
import { postProcessSpecSchema } from './postProcess';
import { idSchema, projectStatePatchSchema } from './schemas';
import type { JobDto, OutputDto, ExportProgressEvent, ExportResult, RenderCheckDto } from './renderTypes';
import { engineChoices } from './types';

const exportIdSchema = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, { error: 'must be an id the page made up (letters, digits, - and _)' });

export const renderRequests = {
  /**
   * Queues a render of the project's current editor draft: inputs, trims and parameters are
   * validated (every rule, naming the field) and frozen on the job, with a concrete seed.
   */
  'render.submit': request(
    z.object({ projectId: idSchema, engine: z.enum(engineChoices, { error: 'must be auto, local or cloud' }).optional() }).strict(),
    out<JobDto>(),
  ),
  /**
   * Checks what Render would submit, without queuing anything: the stored draft with `draft`
   * laid over it (the editor sends what is on screen, saved or not), on the given engine choice.
   */
  'render.check': request(
    z.object({ projectId: idSchema, engine: z.enum(engineChoices, { error: 'must be auto, local or cloud' }).optional(), draft: projectStatePatchSchema.optional() }).strict(),
    out<RenderCheckDto>(),
  ),
  'render.cancel': request(z.object({ jobId: idSchema }).strict(), out<JobDto>()),
  /**
   * Queues a failed job again with the same frozen inputs, parameters and seed. A local render
   * resumes from its last finished clip; a cloud render whose task was accepted follows that task.
   */
  'render.retry': request(z.object({ jobId: idSchema }).strict(), out<JobDto>()),
  'render.listJobs': request(z.object({ projectId: idSchema }).strict(), out<JobDto[]>()),
  'render.listOutputs': request(z.object({ projectId: idSchema }).strict(), out<OutputDto[]>()),
  'render.removeOutput': request(z.object({ outputId: idSchema }).strict(), out<{ removed: true }>()),
  /** Runs an export preset on an output; progress arrives as render.exportProgress with the same exportId. */
  'render.export': request(z.object({ outputId: idSchema, exportId: exportIdSchema, spec: postProcessSpecSchema }).strict(), out<ExportResult>()),
  'render.cancelExport': request(z.object({ exportId: exportIdSchema }).strict(), out<{ cancelled: boolean }>()),
} as const;

export const renderEvents = {
  /** A job changed: status, stage, progress, ETA or log. */
  'render.job': event<JobDto>(),
  'render.exportProgress': event<ExportProgressEvent>(),
} as const;
