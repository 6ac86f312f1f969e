import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobDto } from '../../../main/core/contract/index';
import { probeMedia } from '../../../main/core/media/probe';
import type { StudioCore } from '../../../main/core/studioCore';
import type { FakeInfsh } from '../../fakes/infsh/fakeInfshServer';
import { animateProject, captureLog, openCloudCore, s2vProject, startFake, TEST_KEY } from '../../helpers/cloudStudio';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(fakeOptions = {}, coreOptions = {}): Promise<{ fake: FakeInfsh; core: StudioCore; log: ReturnType<typeof captureLog> }> {
  const fake = await startFake(fakeOptions);
  cleanups.push(() => fake.stop());
  const log = captureLog();
  const core = await openCloudCore(fake, { log: log.logger, ...coreOptions });
  cleanups.push(() => core.dispose());
  return { fake, core, log };
}

async function render(core: StudioCore, projectId: string): Promise<{ job: JobDto; events: JobDto[] }> {
  const events: JobDto[] = [];
  const sub = core.events.onAny((name, p) => {
    if (name === 'render.job') events.push(p as JobDto);
  });
  const envelope = await core.dispatch('render.submit', { projectId, engine: 'cloud' }, { transport: 'ipc' });
  if (!envelope.ok) throw new Error(envelope.error.message);
  const job = await core.render.settled((envelope.value as JobDto).id);
  sub.dispose();
  return { job, events: events.filter((e) => e.id === job.id) };
}

/** Everything the studio wrote: the DB file, its WAL, job folders and outputs, as text. */
function libraryText(core: StudioCore): string {
  const home = core.library.home;
  const parts: string[] = [];
  for (const f of readdirSync(home)) if (f.startsWith('library.db')) parts.push(readFileSync(join(home, f)).toString('latin1'));
  return parts.join('\n');
}

describe('cloud renders against the fake inference.sh', () => {
  it('S2V: uploads, submits once, follows to the end, downloads a real video with the settings and seed', async () => {
    const { fake, core, log } = await setup();
    const projectId = await s2vProject(core);
    const { job, events } = await render(core, projectId);

    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');
    expect(job.remoteTaskId).toMatch(/^task_/);
    expect(fake.runRequests).toBe(1);
    expect(typeof job.seed).toBe('number');
    expect(job.params).toMatchObject({ prompt: 'a person talking to the camera', resolution: '480p', seed: job.seed, fps: 16 });

    // The status sequence arrived as stages, progress never went backwards, logs were kept.
    const stages = events.map((e) => e.stage).filter(Boolean);
    expect(stages).toEqual(expect.arrayContaining(['Uploading inputs', 'Submitting', 'Queued in the cloud', 'Rendering', 'Saving the result', 'Downloading the result']));
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(events.at(-1)?.progress).toBe(1);
    expect(job.logTail).toEqual(expect.arrayContaining(['Loading Wan2.2 pipeline...', 'Generating chunk 1/1']));

    const outputs = core.library.outputs.listByProject(projectId);
    expect(outputs).toHaveLength(1);
    const output = outputs[0]!;
    expect(output.seed).toBe(job.seed);
    expect(output.settings).toEqual(job.params);
    expect(job.outputId).toBe(output.id);
    const info = await probeMedia(join(core.library.home, output.file));
    expect(info.video?.width).toBeGreaterThan(0);
    expect(info.audio).not.toBeNull();
    expect(info.durationSec).toBeGreaterThan(1.5);
    expect(existsSync(join(core.library.home, output.poster!))).toBe(true);

    // Protocol: v2 header on every API call; the storage host never saw a credential.
    const api = fake.requests.filter((r) => r.host === 'api');
    expect(api.every((r) => r.headers['x-api-version'] === '2' && r.headers.authorization === `Bearer ${TEST_KEY}`)).toBe(true);
    const storage = fake.requests.filter((r) => r.host === 'storage');
    expect(storage.map((r) => r.method)).toEqual(expect.arrayContaining(['PUT', 'GET']));
    expect(storage.every((r) => r.headers.authorization === undefined && !JSON.stringify(r.headers).includes(TEST_KEY))).toBe(true);

    // The key is nowhere the studio writes: job rows, outputs, logs.
    expect(libraryText(core)).not.toContain(TEST_KEY);
    expect(JSON.stringify(core.library.jobs.listByProject(projectId))).not.toContain(TEST_KEY);
    expect(log.lines.join('\n')).not.toContain(TEST_KEY);
    expect(log.lines.some((l) => l.includes('render submitted'))).toBe(true);
  });

  it('Animate (replacement): the driving video and the character go up, output_video comes back', async () => {
    const { fake, core } = await setup();
    const projectId = await animateProject(core);
    const { job } = await render(core, projectId);
    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');
    expect(fake.runRequests).toBe(1);
    const task = fake.tasks.get(job.remoteTaskId!)!;
    expect(task.dto.input).toMatchObject({ mode: 'replacement', resolution_width: 512, resolution_height: 512, clip_len: 77, refert_num: 1, sample_solver: 'dpm++' });
    // Colour matching between clips is a local setting: the cloud app is never sent it.
    expect(task.dto.input).not.toHaveProperty('colour_match');
    expect(String(task.dto.input.driving_video)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);
    expect(String(task.dto.input.reference_image)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);
    const output = core.library.outputs.listByProject(projectId)[0]!;
    const info = await probeMedia(join(core.library.home, output.file));
    expect(info.video?.fps).toBeCloseTo(16, 0);
  });

  it('outputs are listed through the contract with their size, poster and exports', async () => {
    const { core } = await setup();
    const projectId = await s2vProject(core);
    await render(core, projectId);
    const listed = await core.dispatch('render.listOutputs', { projectId }, { transport: 'ws' });
    expect(listed.ok).toBe(true);
    const outputs = (listed as { ok: true; value: Array<{ sizeBytes: number; poster: string; app: string; engine: string }> }).value;
    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toMatchObject({ app: 's2v', engine: 'cloud' });
    expect(outputs[0]!.sizeBytes).toBeGreaterThan(1000);
  });
});
