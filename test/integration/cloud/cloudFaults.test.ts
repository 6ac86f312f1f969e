import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobDto } from '../../../main/core/contract/index';
import { probeMedia } from '../../../main/core/media/probe';
import type { StudioCore, StudioCoreOptions } from '../../../main/core/studioCore';
import type { Faults, FakeOptions } from '../../fakes/infsh/fakeInfshServer';
import { fastCloud, openCloudCore, s2vProject, startFake } from '../../helpers/cloudStudio';
import { submitRender } from '../../helpers/renderJobs';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(faults: Partial<Faults>, fakeOptions: FakeOptions = {}, coreOptions: Partial<StudioCoreOptions> & { key?: string | null } = {}) {
  const fake = await startFake(fakeOptions);
  cleanups.push(() => fake.stop());
  Object.assign(fake.faults, faults);
  const core = await openCloudCore(fake, coreOptions);
  cleanups.push(() => core.dispose());
  const projectId = await s2vProject(core);
  return { fake, core, projectId };
}

const submit = (core: StudioCore, projectId: string) => submitRender(core, projectId, 'cloud');

/** Every fault must end, within a bound, as a finished video or a clear error. */
async function renderWithin(core: StudioCore, projectId: string, ms = 30_000): Promise<JobDto> {
  const job = await submit(core, projectId);
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`render hung for ${ms} ms`)), ms));
  return Promise.race([core.render.settled(job.id), timeout]);
}

async function expectVideo(core: StudioCore, projectId: string): Promise<void> {
  const output = core.library.outputs.listByProject(projectId)[0];
  expect(output).toBeDefined();
  const info = await probeMedia(join(core.library.home, output!.file));
  expect(info.video).not.toBeNull();
}

describe('cloud faults end completed or as a clear error', () => {
  const recovers: Array<[string, Partial<Faults>]> = [
    ['the stream drops mid-way (twice)', { dropStream: { afterLines: 3, times: 2 } }],
    ['the stream keeps dropping: polling takes over', { dropStream: { afterLines: 2, times: 50 } }],
    ['there is no stream route: polling only', { noStream: true }],
    ['the stream never tells the end: polling finds it', { silentStream: true }],
    ['a burst of 500s on task reads', { burst500: { path: /^\/tasks\/[^/]+(\/status)?$/, times: 3 } }],
    ['a burst of 500s on file records (a repeated record costs nothing, unlike a run)', { burst500: { path: /^\/files$/, times: 2 } }],
    ['429 on run with Retry-After', { rateLimit: { path: /^\/apps\/run$/, times: 2, resetSec: 1, header: 'retry-after' } }],
    ['429 on run with X-RateLimit-Reset', { rateLimit: { path: /^\/apps\/run$/, times: 1, resetSec: 1, header: 'x-ratelimit-reset' } }],
    ['slow answers', { slow: { path: /^\/(apps\/run|files|tasks\/.*)$/, ms: 300 } }],
    ['the download is cut twice: Range resumes', { truncateDownload: { atBytes: 5000, times: 2 } }],
    ['statuses come as names', { statusAsString: true }],
    ['the older {success, data} envelope', { v1Envelope: true }],
    ['SSE instead of NDJSON', { sseOnly: true }],
  ];
  for (const [name, faults] of recovers) {
    it(`recovers: ${name}`, async () => {
      const expectedRunPosts = 1 + (faults.rateLimit?.times ?? 0);
      const { fake, core, projectId } = await setup(structuredClone(faults));
      const job = await renderWithin(core, projectId);
      expect(job.error).toBeNull();
      expect(job.status).toBe('completed');
      // One task, whatever the faults: a 429'd run was not run, and nothing was sent twice.
      expect(fake.tasks.size).toBe(1);
      await expectVideo(core, projectId);
      expect(fake.requests.filter((r) => r.path === '/apps/run').length).toBe(expectedRunPosts);
      if (faults.truncateDownload) expect(fake.requests.some((r) => r.host === 'storage' && String(r.headers.range ?? '').startsWith('bytes='))).toBe(true);
    });
  }

  it('a 500 on run is not retried (a second run could be paid twice): a clear error', async () => {
    const { fake, core, projectId } = await setup({ burst500: { path: /^\/apps\/run$/, times: 1 } });
    const job = await renderWithin(core, projectId);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/server error \(500\)/);
    expect(fake.requests.filter((r) => r.path === '/apps/run')).toHaveLength(1);
  });

  it('a task that fails remotely ends with its message; a retry submits a new task with the same seed', async () => {
    const { fake, core, projectId } = await setup({ failTask: 'CUDA out of memory while decoding chunk 2' });
    const job = await renderWithin(core, projectId);
    expect(job.status).toBe('failed');
    expect(job.error).toContain('CUDA out of memory while decoding chunk 2');
    expect(core.library.outputs.listByProject(projectId)).toHaveLength(0);
    fake.resetFaults();
    await core.dispatch('render.retry', { jobId: job.id }, { transport: 'ipc' });
    const done = await core.render.settled(job.id);
    expect(done.status).toBe('completed');
    expect(done.seed).toBe(job.seed);
    expect(fake.tasks.size).toBe(2);
  });

  it('a download that keeps failing: the retry downloads the same task instead of paying again', async () => {
    const { fake, core, projectId } = await setup({ truncateDownload: { atBytes: 1000, times: 100 } });
    const job = await renderWithin(core, projectId);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/Downloading the result kept failing/);
    fake.resetFaults();
    await core.dispatch('render.retry', { jobId: job.id }, { transport: 'ipc' });
    const done = await core.render.settled(job.id);
    expect(done.status).toBe('completed');
    expect(done.remoteTaskId).toBe(job.remoteTaskId);
    expect(fake.runRequests).toBe(1);
  });

  it('a rejected key says so and where to fix it', async () => {
    const { fake, core, projectId } = await setup({}, {}, { key: 'inf_wrong_key_000000' });
    const job = await renderWithin(core, projectId);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/API key was rejected \(401\).*Settings → Cloud/);
    expect(fake.runRequests).toBe(0);
  });

  it('412: the missing requirement and what to do', async () => {
    const { core, projectId } = await setup({ requirements: [{ type: 'secret', key: 'HF_TOKEN', message: 'HF_TOKEN secret is required', action: { type: 'add_secret' } }] });
    const job = await renderWithin(core, projectId);
    expect(job.status).toBe('failed');
    expect(job.error).toContain('HF_TOKEN secret is required (add the secret in your inference.sh account settings)');
  });

  it('a rate limit longer than the allowed wait fails with advice instead of hanging', async () => {
    const { core, projectId } = await setup({ rateLimit: { path: /^\/apps\/run$/, times: 1, resetSec: 600, header: 'retry-after' } });
    const job = await renderWithin(core, projectId, 10_000);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/rate limiting this key/);
  });

  it('the service unreachable: a clear error naming the connection and the base URL setting', async () => {
    const { fake, core, projectId } = await setup({});
    await fake.stop();
    const job = await renderWithin(core, projectId, 20_000);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/could not be reached.*base URL in Settings → Cloud/);
  });

  it('a task that never finishes stops at the configured time limit with a clear error', async () => {
    const { core, projectId } = await setup({}, { runMs: 60_000 }, { cloudTimings: { ...fastCloud, maxWaitMs: 1500 } });
    const started = Date.now();
    const job = await renderWithin(core, projectId, 15_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/did not finish within/);
  });

  it('no key: the render is refused before anything is uploaded', async () => {
    const { fake, core, projectId } = await setup({}, {}, { key: null });
    const env = await core.dispatch('render.submit', { projectId, engine: 'cloud' }, { transport: 'ipc' });
    expect(env.ok).toBe(false);
    expect(!env.ok && env.error.message).toMatch(/No inference.sh API key.*Settings → Cloud/);
    expect(fake.requests).toHaveLength(0);
  });
});
