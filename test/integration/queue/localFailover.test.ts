import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../../main/core/contract/index';
import { makeFixturePack } from '../../../main/core/engines/local/fixturePack';
import type { StudioCore } from '../../../main/core/studioCore';
import type { FakeInfsh } from '../../fakes/infsh/fakeInfshServer';
import { openCloudCore, s2vProject, startFake } from '../../helpers/cloudStudio';
import { makeTempDir } from '../../helpers/generatedMedia';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A real pack whose audio encoder makes ONNX Runtime fail to allocate its buffer when it runs. */
let oomPack: string;
beforeAll(async () => {
  oomPack = makeTempDir('oom-pack');
  await makeFixturePack(oomPack, { name: 'wan-s2v-oom-fixture', outOfMemory: true });
});

async function call<T>(core: StudioCore, channel: string, input: unknown): Promise<T> {
  const env = await core.dispatch(channel as never, input, { transport: 'ipc' });
  if (!env.ok) throw new Error(env.error.message);
  return env.value as T;
}

async function studio(): Promise<{ core: StudioCore; fake: FakeInfsh; projectId: string }> {
  const fake = await startFake({ stepMs: 10, runMs: 50 });
  cleanups.push(() => fake.stop());
  const core = await openCloudCore(fake, { home: makeTempDir('failover'), resumeJobs: true, localOptions: { sampling: { steps: 2 } } });
  cleanups.push(() => core.dispose());
  await call(core, 'engines.importPack', { path: oomPack });
  const projectId = await s2vProject(core, { prompt: 'a person talking', resolution: '480p', seed: 3 });
  return { core, fake, projectId };
}

describe('a local render that runs out of memory', () => {
  it('goes to the cloud when it was "Automatic" and cloud fallback is allowed: the reason is in its log and on the job', async () => {
    const { core, fake, projectId } = await studio();
    await call(core, 'settings.update', { patch: { cloudFallback: true } });
    const queued = await call<JobDto>(core, 'render.submit', { projectId, engine: 'auto' });
    expect(queued.engine).toBe('local');
    const done = await core.render.settled(queued.id);
    expect(done.status).toBe('completed');
    expect(done.engine).toBe('cloud');
    expect(done.routeReason).toBe('Automatic: re-routed to the cloud because this computer ran out of memory and cloud fallback is allowed in Settings.');
    const log = done.logTail.join('\n');
    expect(log).toMatch(/This computer could not render it: .*Failed to allocate memory/);
    expect(log).toContain(done.routeReason);
    expect(core.library.jobs.get(queued.id).localFailure).toBe('out_of_memory');
    expect(fake.tasksCreated).toBe(1);
  });

  it('fails with the kind kept when cloud fallback is off, or when the user chose this computer; nothing is sent to the cloud', async () => {
    const { core, fake, projectId } = await studio();
    const auto = await core.render.settled((await call<JobDto>(core, 'render.submit', { projectId, engine: 'auto' })).id);
    expect(auto.status).toBe('failed');
    expect(auto.engine).toBe('local');
    expect(auto.error).toBe('The local render ran out of memory. Try 480p, a shorter audio clip, or render in the cloud.');
    expect(core.library.jobs.get(auto.id)).toMatchObject({ failureKind: 'error', localFailure: 'out_of_memory' });

    await call(core, 'settings.update', { patch: { cloudFallback: true } });
    const chosen = await core.render.settled((await call<JobDto>(core, 'render.submit', { projectId, engine: 'local' })).id);
    expect(chosen.status).toBe('failed');
    expect(chosen.engine).toBe('local');
    expect(chosen.routeReason).toBe('You chose this computer.');
    expect(core.library.jobs.get(chosen.id).localFailure).toBe('out_of_memory');
    expect(fake.tasksCreated).toBe(0);
  });
});
