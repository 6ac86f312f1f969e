import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/logger';
import type { StudioCore } from '../../../main/core/studioCore';
import type { FakeInfsh } from '../../fakes/infsh/fakeInfshServer';
import { bundleScript } from '../../helpers/bundleScript';
import { openCloudCore, s2vProject, startFake, TEST_KEY } from '../../helpers/cloudStudio';
import { makeTempDir } from '../../helpers/generatedMedia';
import { submitRender, until } from '../../helpers/renderJobs';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let crashScript: string;
beforeAll(async () => {
  crashScript = await bundleScript('test/fixtures/scripts/crashAfterSubmit.ts');
});

async function fakeFor(options = {}): Promise<FakeInfsh> {
  const fake = await startFake(options);
  cleanups.push(() => fake.stop());
  return fake;
}

async function coreFor(fake: FakeInfsh, home: string, resumeJobs = false): Promise<StudioCore> {
  const core = await openCloudCore(fake, { home, log: silentLogger, resumeJobs });
  cleanups.push(() => core.dispose());
  return core;
}

const submit = (core: StudioCore, projectId: string) => submitRender(core, projectId, 'cloud');


describe('cancel', () => {
  it('cancelling a running cloud job cancels the remote task, confirms it, and keeps no output', async () => {
    const fake = await fakeFor({ runMs: 20_000 });
    const core = await coreFor(fake, makeTempDir('cancel'));
    const projectId = await s2vProject(core);
    const job = await submit(core, projectId);
    await until('the task to run', () => {
      const id = core.library.jobs.get(job.id).remoteTaskId;
      return !!id && fake.tasks.get(id)?.dto.status === 7;
    });
    const env = await core.dispatch('render.cancel', { jobId: job.id }, { transport: 'ipc' });
    expect(env.ok).toBe(true);
    const done = await core.render.settled(job.id);
    expect(done.status).toBe('cancelled');
    const task = fake.tasks.get(done.remoteTaskId!)!;
    expect(task.dto.status).toBe(12);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/cancel'))).toHaveLength(1);
    // The confirmation was read after the cancel.
    const cancelAt = fake.requests.find((r) => r.path.endsWith('/cancel'))!.at;
    expect(fake.requests.some((r) => r.path.endsWith('/status') && r.at > cancelAt)).toBe(true);
    expect(core.library.outputs.listByProject(projectId)).toHaveLength(0);
    expect(readdirSync(join(core.library.layout.outputs)).flatMap((d) => readdirSync(join(core.library.layout.outputs, d)))).toEqual([]);
    // Cancelling again is a clear conflict, not a crash.
    const again = await core.dispatch('render.cancel', { jobId: job.id }, { transport: 'ipc' });
    expect(!again.ok && again.error.message).toMatch(/already was cancelled|nothing to cancel/);
  });

  it('cancelling during the upload stops before any run is requested', async () => {
    const fake = await fakeFor();
    const core = await coreFor(fake, makeTempDir('cancel-upload'));
    const projectId = await s2vProject(core);
    Object.assign(fake.faults, { slow: { path: /^\/files$/, ms: 400 } });
    const job = await submit(core, projectId);
    await until('the upload to start', () => fake.requests.some((r) => r.path === '/files'));
    await core.dispatch('render.cancel', { jobId: job.id }, { transport: 'ipc' });
    const done = await core.render.settled(job.id);
    expect(done.status).toBe('cancelled');
    // Settled: the engine's run has returned. The fake finishes the slowed upload request after the
    // client gave up; once it has, nothing of this job is in flight, and no run was requested.
    await until('the fake to finish the upload request', () => fake.apiIdle);
    expect(fake.runRequests).toBe(0);
    expect(existsSync(join(core.library.layout.jobs, job.id, 'inputs', 'audio-16k.wav'))).toBe(false);
  });
});

describe('re-attach', () => {
  it('the studio closing mid-render leaves the task running; the next start follows it to the end', async () => {
    const fake = await fakeFor({ runMs: 1500 });
    const home = makeTempDir('reattach-clean');
    const first = await coreFor(fake, home);
    const projectId = await s2vProject(first);
    const job = await submit(first, projectId);
    await until('the submit', () => !!first.library.jobs.get(job.id).remoteTaskId);
    await first.dispose();

    const second = await coreFor(fake, home, true);
    const done = await second.render.settled(job.id);
    expect(done.status).toBe('completed');
    expect(fake.runRequests).toBe(1);
    expect(fake.requests.some((r) => r.path.endsWith('/cancel'))).toBe(false);
    expect(second.library.outputs.listByProject(projectId)).toHaveLength(1);
  });

  it('a process killed right after submit: the restart re-attaches to the same task, exactly one run request', async () => {
    const fake = await fakeFor({ runMs: 800 });
    const home = makeTempDir('reattach-kill');
    const setupCore = await openCloudCore(fake, { home, log: silentLogger });
    const projectId = await s2vProject(setupCore);
    await setupCore.dispose();

    const child = spawn(process.execPath, [crashScript, home, fake.baseUrl, TEST_KEY, projectId], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
    expect(err).toBe('');
    expect(exit.signal).toBe('SIGKILL');
    const [, jobId, taskId] = /submitted (\S+) (\S+)/.exec(out) ?? [];
    expect(taskId).toMatch(/^task_/);

    const core = await coreFor(fake, home, true);
    const done = await core.render.settled(jobId!);
    expect(done.status).toBe('completed');
    expect(done.remoteTaskId).toBe(taskId);
    expect(fake.runRequests).toBe(1);
    expect(fake.tasks.size).toBe(1);
    expect(core.library.outputs.listByProject(projectId)).toHaveLength(1);
  });

  it('a job that never reached the service is queued again after a restart (nothing was paid)', async () => {
    const fake = await fakeFor();
    const home = makeTempDir('requeue');
    const first = await coreFor(fake, home);
    const projectId = await s2vProject(first);
    Object.assign(fake.faults, { slow: { path: /^\/files$/, ms: 2000 } });
    const job = await submit(first, projectId);
    await until('the upload to start', () => fake.requests.some((r) => r.path === '/files'));
    await first.dispose();
    expect(first.library.db.open).toBe(false);
    fake.resetFaults();

    const second = await coreFor(fake, home, true);
    const done = await second.render.settled(job.id);
    expect(done.status).toBe('completed');
    expect(fake.runRequests).toBe(1);
  });
});
