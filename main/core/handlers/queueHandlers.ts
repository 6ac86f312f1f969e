import type { HandlersFor, StudioServices } from './types';

export function queueHandlers({ queue, render }: StudioServices): HandlersFor<'queue'> {
  return {
    'queue.list': ({ offset, limit }) => queue.list(offset, limit),
    'queue.move': ({ jobId, index }) => queue.move(jobId, index),
    'queue.pause': ({ jobId }) => queue.pause(jobId),
    'queue.resume': ({ jobId }) => queue.resume(jobId),
    'queue.pauseAll': () => queue.pauseAll(),
    'queue.resumeAll': () => queue.resumeAll(),
    'queue.cancel': ({ jobId }) => render.cancel(jobId),
    'queue.retry': ({ jobId }) => render.retry(jobId),
    'queue.addBatch': ({ projectId, name, engine, variations }) => render.submitBatch(projectId, engine, name, variations),
    'queue.estimateBatch': ({ projectId, engine, variations }) => render.estimateBatch(projectId, engine, variations),
    'queue.remove': ({ jobId }) => queue.remove(jobId),
  };
}
