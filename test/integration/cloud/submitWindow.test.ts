import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../../../main/core/library/library';
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

let childScript: string;
beforeAll(async () => {
  childScript = await bundleScript('test/fixtures/scripts/studioChild.ts');
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

function spawnChild(fake: FakeInfsh, home: string, args: string[]): { child: ChildProcess; exited: Promise<NodeJS.Signals | null>; output: () => string } {
  const child = spawn(process.execPath, [childScript, home, fake.baseUrl, TEST_KEY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
  return { child, exited, output: () => out };
}

/** A library with a ready S2V project, closed again so a child process can own it. */
async function preparedHome(fake: FakeInfsh, name: string): Promise<{ home: string; projectId: string }> {
  const home = makeTempDir(name);
  const core = await openCloudCore(fake, { home, log: silentLogger });
  const projectId = await s2vProject(core);
  await core.dispose();
  return { home, projectId };
}

/** Kills the child with SIGKILL the moment the fake holds a run request in the given phase. */
async function killInSubmitWindow(fake: FakeInfsh, home: string, projectId: string, phase: 'before' | 'after-create') {
  const held = fake.hold({ method: 'POST', path: /^\/apps\/run$/, phase });
  const run = spawnChild(fake, home, ['submit', projectId]);
  const request = await held;
  run.child.kill('SIGKILL');
  expect(await run.exited).toBe('SIGKILL');
  request.drop();
  const jobId = /job (\S+)/.exec(run.output())?.[1];
  expect(jobId, run.output()).toBeTruthy();
  return { jobId: jobId as string, taskId: request.taskId };
}

describe('a crash in the submit window', () => {
  it('the service got the run: the restart finds the task by its uploaded files and follows it, one paid task', async () => {
    const fake = await fakeFor({ runMs: 300 });
    const { home, projectId } = await preparedHome(fake, 'submit-window-after');
    const { jobId, taskId } = await killInSubmitWindow(fake, home, projectId, 'after-create');
    expect(taskId).toMatch(/^task_/);
    expect(fake.tasksCreated).toBe(1);

    // The row says "submitting" with the job's uploaded files, and no task id.
    const lib = await Library.open(home);
    const row = lib.jobs.get(jobId);
    lib.close();
    expect(row.remoteTaskId).toBeNull();
    expect(Object.values(row.submission?.files ?? {})).toEqual(Object.values(fake.tasks.get(taskId as string)!.dto.input).filter((v) => typeof v === 'string' && v.includes('/files/')));

    const core = await coreFor(fake, home, true);
    const done = await core.render.settled(jobId);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.remoteTaskId).toBe(taskId);
    expect(fake.tasksCreated).toBe(1);
    expect(fake.runRequests).toBe(1);
    expect(fake.requests.some((r) => r.path === '/tasks/list')).toBe(true);
    expect(core.library.jobs.get(jobId).submission).toBeNull();
    expect(core.library.outputs.listByProject(projectId)).toHaveLength(1);
  });

  it('the run never reached the service: the restart sees no task in the list and requests it once more', async () => {
    const fake = await fakeFor({ runMs: 300 });
    const { home, projectId } = await preparedHome(fake, 'submit-window-before');
    const { jobId } = await killInSubmitWindow(fake, home, projectId, 'before');
    expect(fake.tasksCreated).toBe(0);

    const core = await coreFor(fake, home, true);
    const done = await core.render.settled(jobId);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(fake.tasksCreated).toBe(1);
    expect(done.remoteTaskId).toBe([...fake.tasks.keys()][0]);
    // The files uploaded before the crash were used again, not uploaded twice.
    expect(fake.requests.filter((r) => r.path === '/files')).toHaveLength(2);
  });
});

describe('retry decides from the failure kind', () => {
  it('a task cancelled on the website fails the job; a retry submits a new task instead of following the cancelled one', async () => {
    const fake = await fakeFor({ runMs: 20_000 });
    const core = await coreFor(fake, makeTempDir('remote-cancel'));
    const projectId = await s2vProject(core);
    const job = await submitRender(core, projectId, 'cloud');
    await until('the task to run', () => {
      const id = core.library.jobs.get(job.id).remoteTaskId;
      return !!id && fake.tasks.get(id)?.dto.status === 7;
    });
    const first = core.library.jobs.get(job.id).remoteTaskId as string;
    // Cancelled from another client (the website), not from the studio.
    const res = await fetch(`${fake.baseUrl}/tasks/${first}/cancel`, { method: 'POST', headers: { Authorization: `Bearer ${TEST_KEY}` } });
    expect(res.status).toBe(204);
    const failed = await core.render.settled(job.id);
    expect(failed.status).toBe('failed');
    expect(core.library.jobs.get(job.id).failureKind).toBe('remote_task_cancelled');

    const env = await core.dispatch('render.retry', { jobId: job.id }, { transport: 'ipc' });
    expect(env.ok).toBe(true);
    await until('the new task to run', () => {
      const id = core.library.jobs.find(job.id)?.remoteTaskId;
      return !!id && id !== first;
    });
    expect(fake.tasksCreated).toBe(2);
    expect(core.library.jobs.get(job.id).failureKind).toBeNull();
  });
});
