import type { HandlersFor, StudioServices } from './types';

export function renderHandlers({ render, outputs }: StudioServices): HandlersFor<'render'> {
  return {
    'render.submit': ({ projectId, engine }) => render.submit(projectId, engine),
    'render.check': ({ projectId, engine, draft }) => render.check(projectId, engine, draft),
    'render.cancel': ({ jobId }) => render.cancel(jobId),
    'render.retry': ({ jobId }) => render.retry(jobId),
    'render.listJobs': ({ projectId }) => render.listJobs(projectId),
    'render.listOutputs': ({ projectId }) => outputs.list(projectId),
    'render.removeOutput': async ({ outputId }) => {
      await outputs.remove(outputId);
      return { removed: true as const };
    },
    'render.export': ({ outputId, exportId, spec }) => outputs.export(outputId, exportId, spec),
    'render.cancelExport': ({ exportId }) => ({ cancelled: outputs.cancelExport(exportId) }),
  };
}
