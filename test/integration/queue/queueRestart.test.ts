import { spawn } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QueueListDto } from '../../../main/core/contract/index';
import type { StudioCore } from '../../../main/core/studioCore';
import { bundleScript } from '../../helpers/bundleScript';
import { openCloudCore, s2vProject, startFake, TEST_KEY } from '../../helpers/cloudStudio';
import { makeTempDir } from '../../helpers/generatedMedia';
import { submitRender, until } from '../../helpers/renderJobs';
import { repoRoot } from '../../helpers/studioProcess';
import type { FakeInfsh } from '../../fakes/infsh/fakeInfshServer';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let sessionScript: string;
beforeAll(async () => {
  sessionScript = await bundleScript('test/fixtures/scripts/queueSession.ts');
});

async function call<T>(core: StudioCore, channel: string, input: unknown): Promise<T> {
  const env = await core.dispatch(channel as never, input, { transport: 'ipc' });
  if (!env.ok) throw new Error(`${channel}: ${env.error.message}`);
  return env.value as T;
}

/** Runs the session script to "ready", then kills it with SIGKILL, as a power cut would. */
function runAndKill(home: string, fake: FakeInfsh, ops: unknown[], expectRunning: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [sessionScript, home, fake.baseUrl, TEST_KEY, JSON.stringify(ops), String(expectRunning)], { cwd: repoRoot });
    let out = '';
    let err = '';
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /ready (\S+)\n/.exec(out);
      if (m?.[1]) {
        proc.once('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(m[1]!.split(',')) : reject(new Error(`session exited with ${signal}`))));
        proc.kill('SIGKILL');
      }
    });
    proc.once('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`session exited (${code}) before it was ready:\n${err}`));
    });
  });
}

const waitingOrder = (list: QueueListDto) => list.jobs.filter((j) => j.status === 'queued').map((j) => j.id);

describe('persistent queue', () => {
  it('keeps the order, holds and running jobs the user left across reorders, pauses and a kill -9, and starts no job twice', async () => {
    // Long tasks: the two the session lets start are still in flight when it is killed.
    const fake = await startFake({ runMs: 60_000 });
    cleanups.push(() => fake.stop());
    const home = makeTempDir('queue-restart');
    const setup = await openCloudCore(fake, { home });
    const projectId = await s2vProject(setup);
    await call(setup, 'queue.pauseAll', {});
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await submitRender(setup, projectId, 'cloud')).id);
    await setup.dispose();
    const [j0, j1, j2, j3, j4, j5] = ids as [string, string, string, string, string, string];

    const ops = [
      { channel: 'queue.move', jobId: j5, index: 0 }, // j5 j0 j1 j2 j3 j4
      { channel: 'queue.move', jobId: j0, index: 3 }, // j5 j1 j2 j0 j3 j4
      { channel: 'queue.pause', jobId: j2 },
      { channel: 'queue.move', jobId: j4, index: 2 }, // j5 j1 j4 j2 j0 j3
      { channel: 'queue.resumeAll' }, // two cloud jobs at once: j5 and j1 start
    ];
    const started = await runAndKill(home, fake, ops, 2);
    expect(started.sort()).toEqual([j5, j1].sort());
    expect(fake.tasks.size).toBe(2);

    const core = await openCloudCore(fake, { home, resumeJobs: true });
    cleanups.push(() => core.dispose());
    const list = await call<QueueListDto>(core, 'queue.list', {});
    expect(list.paused).toBe(false);
    expect(waitingOrder(list)).toEqual([j4, j2, j0, j3]);
    expect(list.jobs.find((j) => j.id === j2)?.paused).toBe(true);
    expect(list.jobs.filter((j) => j.status === 'running').map((j) => j.id).sort()).toEqual([j5, j1].sort());
    expect(list.jobs.find((j) => j.id === j4)?.waitIndex).toBe(0);
    // The running jobs follow their paid tasks; with two in flight no third is submitted.
    await until('both running jobs to follow their tasks', () => core.library.jobs.listByStatus(['running']).length === 2);
    expect(fake.tasks.size).toBe(2);
    expect(fake.peakInFlight).toBe(2);
  });

  it('moves, holds and clears jobs in one queue across projects, naming what cannot be done', async () => {
    const fake = await startFake({ runMs: 60_000 });
    cleanups.push(() => fake.stop());
    const core = await openCloudCore(fake, { home: makeTempDir('queue-ops') });
    cleanups.push(() => core.dispose());
    const a = await s2vProject(core);
    const b = await s2vProject(core);
    await call(core, 'queue.pauseAll', {});
    const x = (await submitRender(core, a, 'cloud')).id;
    const y = (await submitRender(core, b, 'cloud')).id;
    const z = (await submitRender(core, a, 'cloud')).id;
    let list = await call<QueueListDto>(core, 'queue.list', {});
    expect(waitingOrder(list)).toEqual([x, y, z]);
    expect(new Set(list.jobs.map((j) => j.projectId))).toEqual(new Set([a, b]));
    list = await call<QueueListDto>(core, 'queue.move', { jobId: z, index: 0 });
    expect(waitingOrder(list)).toEqual([z, x, y]);
    list = await call<QueueListDto>(core, 'queue.move', { jobId: z, index: 99 });
    expect(waitingOrder(list)).toEqual([x, y, z]);

    await call(core, 'queue.cancel', { jobId: y });
    const moveEnded = await core.dispatch('queue.move', { jobId: y, index: 0 }, { transport: 'ipc' });
    expect(moveEnded.ok).toBe(false);
    if (!moveEnded.ok) expect(moveEnded.error.message).toMatch(/Only a waiting render can be moved/);
    const removeWaiting = await core.dispatch('queue.remove', { jobId: x }, { transport: 'ipc' });
    expect(removeWaiting.ok).toBe(false);
    if (!removeWaiting.ok) expect(removeWaiting.error.message).toMatch(/cancel it first/);
    await call(core, 'queue.remove', { jobId: y });
    list = await call<QueueListDto>(core, 'queue.list', {});
    expect(list.jobs.map((j) => j.id)).not.toContain(y);
    // Still in its project's history.
    expect((await call<Array<{ id: string }>>(core, 'render.listJobs', { projectId: b })).map((j) => j.id)).toContain(y);

    const bad = await core.dispatch('queue.move', { jobId: x, index: -1 }, { transport: 'ipc' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/index.*must not be negative/);

    // A held job keeps its place while the one behind it starts.
    await call(core, 'queue.pause', { jobId: x });
    await call(core, 'queue.resumeAll', {});
    await until('z to start', () => core.library.jobs.get(z).status === 'running');
    expect(core.library.jobs.get(x).status).toBe('queued');
  });
});
