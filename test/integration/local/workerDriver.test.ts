import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FromWorker, ToWorker } from '../../../common/worker/protocol';
import type { JobDto } from '../../../main/core/contract/index';
import { makeFixturePack } from '../../../main/core/engines/local/fixturePack';
import { ForkAdapter } from '../../../main/core/engines/local/forkAdapter';
import { workerEntry } from '../../../main/core/engines/local/workerAdapter';
import { WorkerDriver } from '../../../main/core/engines/local/workerDriver';
import { silentLogger } from '../../../main/core/logger';
import { createStudioCore } from '../../../main/core/studioCore';
import { makePng, makeTempDir, makeWav } from '../../helpers/generatedMedia';
import { isAlive } from '../../helpers/processes';
import { submitRender } from '../../helpers/renderJobs';

const drivers: WorkerDriver[] = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.dispose();
});

const start = (entry: string) => {
  const d = new WorkerDriver(new ForkAdapter(entry));
  drivers.push(d);
  return d;
};

/** A stand-in worker process written for one test: real process, real IPC, misbehaving on purpose. */
function scriptWorker(body: string): string {
  const file = join(makeTempDir('worker-script'), 'worker.mjs');
  writeFileSync(file, body);
  return file;
}

const nextMessage = (d: WorkerDriver) =>
  new Promise<FromWorker>((resolve) => {
    const sub = d.onMessage((m) => {
      sub.dispose();
      resolve(m);
    });
  });

describe('the worker driver', () => {
  it('the real worker answers a malformed message with a clear error and goes on working', async () => {
    const worker = start(workerEntry());
    const answer = nextMessage(worker);
    worker.send({ type: 'load', packDir: '/nowhere', provider: 'tpu', keepLoaded: true } as unknown as ToWorker);
    expect(await answer).toEqual({
      type: 'error',
      code: 'failed',
      message: 'The studio sent a malformed "load" message (provider: Invalid option: expected one of "cuda"|"dml"|"coreml"|"cpu"). The inference worker did nothing with it.',
    });
    const next = nextMessage(worker);
    worker.send({ type: 'cancel' });
    worker.send({ type: 'run', job: { workDir: '/tmp/x', refRgb: '/tmp/x.rgb', width: 64, height: 64, modelAudio: '/tmp/x.wav', prompt: '', negativePrompt: '', fps: 16, framesPerChunk: 16, seed: 0, steps: 1, shift: 3, guideScale: 1, solver: 'euler', firstBlockCache: { enabled: false, threshold: 0 } } });
    expect(await next).toMatchObject({ type: 'error', message: 'The worker was asked to render before a model pack was loaded.' });
  });

  it('a worker message that does not fit the protocol reaches listeners as an error naming it', async () => {
    const worker = start(scriptWorker(`process.send({ type: 'progress', stage: 'Sampling', step: -1, steps: 4, chunk: 0, chunks: 1, etaMs: null });\nprocess.on('message', () => {});\n`));
    expect(await nextMessage(worker)).toEqual({ type: 'error', code: 'failed', message: 'The inference worker sent a malformed "progress" message (step: Too small: expected number to be >=0).' });
  });

  it('one exit-reason rule: a stop that outlasts its grace is "killed", a kill from outside is a crash, last words of a full heap are "oom"', async () => {
    // Ignores cancel: the bounded stop kills it after the grace period.
    const stubborn = start(scriptWorker(`process.on('message', () => {});\n`));
    await stubborn.stop(100);
    expect(await stubborn.whenExited()).toMatchObject({ reason: 'killed', signal: 'SIGKILL' });

    const crashing = start(scriptWorker(`process.on('message', () => {});\nprocess.send({ type: 'log', line: 'up' });\n`));
    await nextMessage(crashing);
    process.kill(crashing.pid as number, 'SIGKILL');
    expect(await crashing.whenExited()).toMatchObject({ reason: 'crash', signal: 'SIGKILL' });

    const full = start(scriptWorker(`process.stderr.write('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\\n', () => process.exit(134));\n`));
    expect(await full.whenExited()).toMatchObject({ reason: 'oom', code: 134 });

    const clean = start(scriptWorker(`process.exit(0);\n`));
    expect(await clean.whenExited()).toMatchObject({ reason: 'normal', code: 0 });
  });

  it('a render whose worker speaks out of protocol fails with that message, and the worker is stopped', async () => {
    const dir = makeTempDir('worker-broken');
    const broken = scriptWorker(`process.on('message', (m) => { if (m.type === 'load') process.send({ type: 'loaded', provider: { active: 'tpu', skipped: [], warning: null } }); });\n`);
    const pids: number[] = [];
    const core = await createStudioCore({
      home: makeTempDir('worker-broken-home'),
      log: silentLogger,
      env: {},
      localOptions: {
        workerFactory: () => {
          const adapter = new ForkAdapter(broken);
          if (adapter.pid) pids.push(adapter.pid);
          return adapter;
        },
      },
    });
    try {
      const pack = makeTempDir('worker-broken-pack');
      await makeFixturePack(pack);
      await core.packs.importFrom(pack);
      const project = core.library.createProject('Broken worker', 's2v');
      const image = await core.library.importFile({ projectId: project.id, path: makePng(join(dir, 'face.png'), '240x320'), displayName: 'face.png', move: false });
      const audio = await core.library.importFile({ projectId: project.id, path: makeWav(join(dir, 'voice.wav'), 1, 44100), displayName: 'voice.wav', move: false });
      core.library.updateProjectState(project.id, { s2v: { imageAssetId: image.asset.id, audioAssetId: audio.asset.id, params: { prompt: 'a person talking', resolution: '480p', seed: 1 } } });
      const job: JobDto = await core.render.settled((await submitRender(core, project.id, 'local')).id);
      expect(job.status).toBe('failed');
      expect(job.error).toBe('The inference worker sent a malformed "loaded" message (provider.active: Invalid option: expected one of "cuda"|"dml"|"coreml"|"cpu").');
      expect(pids).toHaveLength(1);
      expect(isAlive(pids[0] as number)).toBe(false);
    } finally {
      await core.dispose();
    }
  });
});
