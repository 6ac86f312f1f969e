import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto, QueueListDto } from '../../../main/core/contract/index';
import { makeFixturePack } from '../../../main/core/engines/local/fixturePack';
import type { StudioCore } from '../../../main/core/studioCore';
import { openCloudCore, s2vProject as cloudProject, startFake } from '../../helpers/cloudStudio';
import { makePng, makeTempDir, makeWav } from '../../helpers/generatedMedia';
import { until } from '../../helpers/renderJobs';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let packDir: string;
beforeAll(async () => {
  packDir = makeTempDir('pause-pack');
  await makeFixturePack(packDir);
});

// Local renders run real ONNX sessions in a worker process: give waits a minute.
const LONG = 60_000;

async function dispatch<T>(core: StudioCore, channel: string, input: unknown): Promise<{ ok: true; value: T } | { ok: false; message: string; code: string }> {
  const env = await core.dispatch(channel as never, input, { transport: 'ipc' });
  return env.ok ? { ok: true, value: env.value as T } : { ok: false, message: env.error.message, code: env.error.code };
}

async function call<T>(core: StudioCore, channel: string, input: unknown): Promise<T> {
  const r = await dispatch<T>(core, channel, input);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

async function studio(runMs = 50): Promise<StudioCore> {
  const fake = await startFake({ stepMs: 10, runMs });
  cleanups.push(() => fake.stop());
  const core = await openCloudCore(fake, { home: makeTempDir('pause'), resumeJobs: true, localOptions: { sampling: { steps: 2 } }, renderOptions: { progressIntervalMs: 20 } });
  cleanups.push(() => core.dispose());
  return core;
}

/** Four seconds of audio in clips of 16 frames: several clips, so a pause lands between two. */
async function localProject(core: StudioCore): Promise<string> {
  const dir = makeTempDir('pause-media');
  const project = core.library.createProject('Pause S2V', 's2v');
  const image = await core.library.importFile({ projectId: project.id, path: makePng(join(dir, 'face.png'), '240x320'), displayName: 'face.png', move: false });
  const audio = await core.library.importFile({ projectId: project.id, path: makeWav(join(dir, 'voice.wav'), 4, 44100), displayName: 'voice.wav', move: false });
  core.library.updateProjectState(project.id, { s2v: { imageAssetId: image.asset.id, audioAssetId: audio.asset.id, params: { prompt: 'a person talking', resolution: '480p', seed: 7, num_frames_per_chunk: 16 } } });
  return project.id;
}

const row = async (core: StudioCore, jobId: string) => (await call<QueueListDto>(core, 'queue.list', {})).jobs.find((j) => j.id === jobId);

describe('pausing a running render', () => {
  it('a local render stops at the end of its clip, waits held in its place, and resumes from that clip', async () => {
    const core = await studio();
    await call(core, 'engines.importPack', { path: packDir });
    const projectId = await localProject(core);
    const job = await call<JobDto>(core, 'render.submit', { projectId, engine: 'local' });
    await until('a clip to be rendering', () => /^Clip \d+ of \d+$/.test(core.library.jobs.get(job.id).stage ?? ''), LONG);
    expect((await row(core, job.id))?.pauseBlocker).toBeNull();

    const pausing = await call<JobDto>(core, 'queue.pause', { jobId: job.id });
    expect(pausing.status).toBe('running');
    expect(pausing.stage).toMatch(/: pausing when this clip is done$/);
    await until('the job to be held', () => core.library.jobs.get(job.id).status === 'queued', LONG);
    const held = core.library.jobs.get(job.id);
    expect(held.paused).toBe(true);
    expect(held.logTail.join('\n')).toMatch(/Paused after [1-9] finished clip\(s\); resuming continues from there\./);
    expect(existsSync(join(core.library.layout.jobs, job.id, 'checkpoints', 'clip-0000.rgb'))).toBe(true);
    expect((await row(core, job.id))?.waitIndex).toBe(0);

    await call(core, 'queue.resume', { jobId: job.id });
    const done = await core.render.settled(job.id);
    expect(done.status).toBe('completed');
    expect(done.logTail.join('\n')).toMatch(/Resumed after [1-9] finished clip\(s\) from the checkpoint\./);
  });

  it('a cloud render cannot be paused: refused with why, and the Queue says so before the button is pressed', async () => {
    const core = await studio(60_000);
    const projectId = await cloudProject(core);
    const job = await call<JobDto>(core, 'render.submit', { projectId, engine: 'cloud' });
    await until('the cloud task to be running', () => core.library.jobs.get(job.id).remoteTaskId !== null, LONG);
    const why = 'A cloud render cannot be paused: inference.sh goes on running its task (and charging for it). Cancel it, or let it finish.';
    expect((await row(core, job.id))?.pauseBlocker).toBe(why);
    const refused = await dispatch(core, 'queue.pause', { jobId: job.id });
    expect(refused).toEqual({ ok: false, code: 'conflict', message: why });
    expect(core.library.jobs.get(job.id)).toMatchObject({ status: 'running', paused: false });
    await call(core, 'queue.cancel', { jobId: job.id });
  });
});
