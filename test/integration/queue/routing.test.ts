import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../../main/core/contract/index';
import { makeFixturePack } from '../../../main/core/engines/local/fixturePack';
import { routeAutomatic } from '../../../main/core/queue/routing';
import type { StudioCore } from '../../../main/core/studioCore';
import { openCloudCore, s2vProject, startFake } from '../../helpers/cloudStudio';
import { makeTempDir } from '../../helpers/generatedMedia';
import { until } from '../../helpers/renderJobs';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let packDir: string;
beforeAll(async () => {
  packDir = makeTempDir('routing-pack');
  await makeFixturePack(packDir);
});

async function call<T>(core: StudioCore, channel: string, input: unknown): Promise<T> {
  const env = await core.dispatch(channel as never, input, { transport: 'ipc' });
  if (!env.ok) throw new Error(env.error.message);
  return env.value as T;
}

async function studio(): Promise<StudioCore> {
  const fake = await startFake({ stepMs: 10, runMs: 50 });
  cleanups.push(() => fake.stop());
  const core = await openCloudCore(fake, { home: makeTempDir('routing'), resumeJobs: true, localOptions: { sampling: { steps: 4 } } });
  cleanups.push(() => core.dispose());
  return core;
}

const free = { available: true, reason: null };
const none = { available: false, reason: 'No S2V model pack is installed.' };

describe('"Automatic" routing', () => {
  it('decides from what is free when the job starts: local first, the cloud only when allowed', () => {
    const base = { appLabel: 'S2V', cloudFallback: false, localBusy: false, cloudFull: false };
    expect(routeAutomatic({ ...base, local: free, cloud: free })).toMatchObject({ kind: 'start', engine: 'local' });
    expect(routeAutomatic({ ...base, local: free, cloud: free, localBusy: true })).toEqual({ kind: 'wait' });
    expect(routeAutomatic({ ...base, local: free, cloud: free, localBusy: true, cloudFallback: true })).toMatchObject({ kind: 'start', engine: 'cloud', reason: expect.stringContaining('the GPU was busy') });
    expect(routeAutomatic({ ...base, local: free, cloud: free, localBusy: true, cloudFallback: true, cloudFull: true })).toEqual({ kind: 'wait' });
    expect(routeAutomatic({ ...base, local: none, cloud: free })).toMatchObject({ kind: 'fail', reason: expect.stringContaining('cloud fallback is off: allow it in Settings → Render queue') });
    expect(routeAutomatic({ ...base, local: none, cloud: { available: false, reason: 'No inference.sh API key.' }, cloudFallback: true })).toMatchObject({ kind: 'fail', reason: expect.stringContaining('No inference.sh API key.') });
  });

  it('without a pack: refused until cloud fallback is allowed, then sent to the cloud with the reason on the job', async () => {
    const core = await studio();
    const projectId = await s2vProject(core);
    const refused = await core.dispatch('render.submit', { projectId, engine: 'auto' }, { transport: 'ipc' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/No engine can render this automatically\. This computer: .*Cloud: cloud fallback is off: allow it in Settings → Render queue/);
    await call(core, 'settings.update', { patch: { cloudFallback: true } });
    const job = await call<JobDto>(core, 'render.submit', { projectId, engine: 'auto' });
    expect(job.engineChoice).toBe('auto');
    const done = await core.render.settled(job.id);
    expect(done.status).toBe('completed');
    expect(done.engine).toBe('cloud');
    expect(done.routeReason).toMatch(/sent to the cloud because no local engine .* cloud fallback is allowed/);
  });

  it('with a pack: the first job takes the free GPU, the next goes to the cloud (allowed) instead of waiting', async () => {
    const core = await studio();
    await call(core, 'engines.importPack', { path: packDir });
    const projectId = await s2vProject(core, { prompt: 'a person talking', resolution: '480p', seed: 5 });
    await call(core, 'settings.update', { patch: { cloudFallback: true } });
    await call(core, 'queue.pauseAll', {});
    const first = await call<JobDto>(core, 'render.submit', { projectId, engine: 'auto' });
    const second = await call<JobDto>(core, 'render.submit', { projectId, engine: 'auto' });
    await call(core, 'queue.resumeAll', {});
    await until('both jobs to be routed', () => core.library.jobs.get(second.id).routeReason !== null, 30_000);
    const [a, b] = [await core.render.settled(first.id), await core.render.settled(second.id)];
    expect([a.status, b.status]).toEqual(['completed', 'completed']);
    expect(a.engine).toBe('local');
    expect(a.routeReason).toMatch(/ran on this computer \(an S2V model pack is installed and the GPU was free\)/);
    expect(b.engine).toBe('cloud');
    expect(b.routeReason).toMatch(/the GPU was busy with another render/);
  });
});
