import { afterEach, describe, expect, it } from 'vitest';
import type { BatchDto, JobDto } from '../../../main/core/contract/index';
import { openCloudCore, s2vProject, startFake } from '../../helpers/cloudStudio';
import { makeTempDir } from '../../helpers/generatedMedia';
import { until } from '../../helpers/renderJobs';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('cloud concurrency', () => {
  it('a 200-job batch with concurrency 2 never has more than 2 tasks in flight and finishes every job', { timeout: 600_000 }, async () => {
    const fake = await startFake({ stepMs: 2, runMs: 10 });
    cleanups.push(() => fake.stop());
    const core = await openCloudCore(fake, { home: makeTempDir('queue-200'), resumeJobs: true });
    cleanups.push(() => core.dispose());
    expect(core.library.readSettings().cloudConcurrency).toBe(2);
    const projectId = await s2vProject(core);

    // What the studio itself runs, seen through its own events.
    const running = new Set<string>();
    let peakRunning = 0;
    const off = core.events.onAny((name, payload) => {
      if (name !== 'render.job') return;
      const job = payload as JobDto;
      if (job.status === 'running') running.add(job.id);
      else running.delete(job.id);
      peakRunning = Math.max(peakRunning, running.size);
    });
    cleanups.push(() => off.dispose());

    const variations = Array.from({ length: 200 }, (_, i) => ({ params: { seed: i + 1 } }));
    const env = await core.dispatch('queue.addBatch', { projectId, name: 'Two hundred', engine: 'cloud', variations }, { transport: 'ipc' });
    expect(env.ok).toBe(true);
    const batch = (env as { ok: true; value: BatchDto }).value;
    expect(batch.jobs).toHaveLength(200);

    await until('every job of the batch to end', () => core.library.jobs.listByStatus(['queued', 'running']).length === 0, 580_000);
    const ended = batch.jobs.map((j) => core.library.jobs.get(j.id));
    expect(ended.filter((j) => j.status !== 'completed').map((j) => `${j.id}: ${j.status} ${j.error ?? ''}`)).toEqual([]);
    expect(fake.tasks.size).toBe(200);
    expect(fake.peakInFlight).toBe(2);
    expect(peakRunning).toBeLessThanOrEqual(2);
    expect(core.library.outputs.listByProject(projectId)).toHaveLength(200);
  });
});
