import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../../main/core/contract/index';
import { makeFixturePack } from '../../../main/core/engines/local/fixturePack';
import { silentLogger } from '../../../main/core/logger';
import { probeMedia } from '../../../main/core/media/probe';
import { createStudioCore, type StudioCore } from '../../../main/core/studioCore';
import { makePng, makeTempDir, makeWav } from '../../helpers/generatedMedia';
import { submitRender, until } from '../../helpers/renderJobs';
import { descendantsMentioning, isAlive } from '../../helpers/processes';

let packDir: string;
beforeAll(async () => {
  packDir = makeTempDir('fixture-pack');
  await makeFixturePack(packDir);
});

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function openCore(home = makeTempDir('local-home'), resumeJobs = false): Promise<StudioCore> {
  const core = await createStudioCore({ home, log: silentLogger, resumeJobs, env: {}, localOptions: { sampling: { steps: 8 } }, renderOptions: { progressIntervalMs: 20 } });
  cleanups.push(() => core.dispose());
  return core;
}

async function s2vProject(core: StudioCore, params: Record<string, unknown>, seconds = 2, portrait = '240x320'): Promise<string> {
  const dir = makeTempDir('local-media');
  const project = core.library.createProject('Local S2V', 's2v');
  const image = await core.library.importFile({ projectId: project.id, path: makePng(join(dir, 'face.png'), portrait), displayName: 'face.png', move: false });
  const audio = await core.library.importFile({ projectId: project.id, path: makeWav(join(dir, 'voice.wav'), seconds, 44100), displayName: 'voice.wav', move: false });
  core.library.updateProjectState(project.id, { s2v: { imageAssetId: image.asset.id, audioAssetId: audio.asset.id, params: { prompt: 'a person talking', resolution: '480p', seed: 11, ...params } } });
  return project.id;
}

const submit = (core: StudioCore, projectId: string) => submitRender(core, projectId, 'local');

/** What a pack from an older exporter says of a 720p portrait at 161 frames per chunk. */
const OLDER_PACK_REFUSAL =
  /^Resolution 720p \(1280x704 for this portrait\) with Frames per chunk 161 needs about \d+ GB for the model's attention; this computer has \d+ GB\. To render here, choose Frames per chunk at most \d+ \(under Advanced\) or Resolution 480p[^;]*; or render in the cloud\. This model pack was made by an older exporter; a pack exported again with the current one \(wan-export 0\.2\) computes attention without this limit\.$/;

// Local renders run real ONNX sessions: give waits a minute.
const LONG = 60_000;

/** The decoded picture, hashed: two renders are the same video when these match. */
const frameHash = (file: string) => createHash('sha256').update(execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:v:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 28 })).digest('hex');
const workers = () => descendantsMentioning('inferenceWorker');

// Each test renders real clips through a worker process; on a loaded 2-core machine that takes longer than the suite's default 30 s.
describe('local S2V renders with a fixture model pack', { timeout: 120_000 }, () => {
  it('imports the pack, renders in a worker process, and stores a video at the S2V size with the audio muxed', async () => {
    const core = await openCore();
    const imported = await core.dispatch('engines.importPack', { path: packDir }, { transport: 'cli' });
    expect(imported.ok).toBe(true);
    const status = await core.dispatch('engines.status', {}, { transport: 'ipc' });
    expect(status.ok && (status.value as { packs: unknown[] }).packs).toHaveLength(1);
    const projectId = await s2vProject(core, { num_frames_per_chunk: 24 });
    const etas: number[] = [];
    const previews = new Set<string>();
    const sub = core.events.onAny((name, p) => {
      if (name !== 'render.job') return;
      const e = (p as JobDto).etaMs;
      if (typeof e === 'number') etas.push(e);
      if ((p as JobDto).preview) previews.add((p as JobDto).preview as string);
    });
    const job = await core.render.settled((await submit(core, projectId)).id);
    sub.dispose();
    // The worker counts its steps: the very first local job already has an ETA.
    expect(etas.length).toBeGreaterThan(0);
    // Each finished clip became a still to review while the rest renders.
    expect(previews.size).toBeGreaterThan(0);
    for (const p of previews) expect(readFileSync(join(core.library.home, p)).subarray(0, 2).toString('hex')).toBe('ffd8');
    // The preview is for review while it runs: a finished job's is forgotten, not kept for the studio's life.
    expect(core.render.listJobs(projectId).find((j) => j.id === job.id)?.preview).toBeNull();
    expect(job.error).toBeNull();
    expect(job.status).toBe('completed');
    expect(job.engine).toBe('local');
    expect(job.logTail.join('\n')).toMatch(/Rendering on CPU \(skipped: cuda: /);
    const output = core.library.outputs.get(job.outputId!);
    const info = await probeMedia(join(core.library.home, output.file));
    // 240x320 fits the 480p budget: not upscaled, only rounded up to multiples of 64.
    expect(info.video).toMatchObject({ width: 256, height: 320 });
    expect(info.video?.fps).toBeCloseTo(16, 5);
    expect(info.durationSec).toBeCloseTo(2, 1);
    expect(info.audio).not.toBeNull();
    expect(output.settings).toMatchObject({ seed: 11, sampling: { steps: 8, solver: 'unipc' }, cache_hit_rate: expect.any(Number) });
    expect(workers()).toEqual([]);
    expect(existsSync(join(core.library.layout.jobs, job.id, 'checkpoints'))).toBe(false);
  });

  it('a render interrupted by closing the studio resumes from its last finished clip and makes the same video', async () => {
    const reference = await openCore();
    await reference.packs.importFrom(packDir);
    const refJob = await reference.render.settled((await submit(reference, await s2vProject(reference, { num_frames_per_chunk: 16 }, 3))).id);
    expect(refJob.status).toBe('completed');
    const refHash = frameHash(join(reference.library.home, reference.library.outputs.get(refJob.outputId!).file));

    const home = makeTempDir('local-resume');
    const first = await openCore(home);
    await first.packs.importFrom(packDir);
    const projectId = await s2vProject(first, { num_frames_per_chunk: 16 }, 3);
    const job = await submit(first, projectId);
    const checkpoint = join(home, 'jobs', job.id, 'checkpoints', 'clip-0001.rgb');
    await until('the second clip checkpoint', () => existsSync(checkpoint), LONG);
    await first.dispose();
    await until('the worker to end with the studio', () => workers().length === 0, 10_000);

    const second = await openCore(home, true);
    const done = await second.render.settled(job.id);
    expect(done.status).toBe('completed');
    expect(done.logTail.join('\n')).toMatch(/Resumed after [2-9] finished clip/);
    expect(frameHash(join(home, second.library.outputs.get(done.outputId!).file))).toBe(refHash);
  });

  it('local jobs run one at a time (one GPU): the second waits in the queue', async () => {
    const core = await openCore();
    await core.packs.importFrom(packDir);
    const projectId = await s2vProject(core, { num_frames_per_chunk: 24 });
    const a = await submit(core, projectId);
    const b = await submit(core, projectId);
    let maxWorkers = 0;
    let bStartedBeforeAEnded = false;
    const sub = core.events.onAny((name, p) => {
      const job = p as JobDto;
      if (name === 'render.job' && job.id === b.id && job.status === 'running' && core.library.jobs.get(a.id).status === 'running') bStartedBeforeAEnded = true;
    });
    const timer = setInterval(() => (maxWorkers = Math.max(maxWorkers, workers().length)), 20);
    const [da, db] = await Promise.all([core.render.settled(a.id), core.render.settled(b.id)]);
    clearInterval(timer);
    sub.dispose();
    expect([da.status, db.status]).toEqual(['completed', 'completed']);
    expect(bStartedBeforeAEnded).toBe(false);
    expect(maxWorkers).toBe(1);
  });

  it('cancel stops the worker within its grace period and keeps no output', async () => {
    const core = await openCore();
    await core.packs.importFrom(packDir);
    const projectId = await s2vProject(core, { num_frames_per_chunk: 16 }, 6);
    const job = await submit(core, projectId);
    await until('sampling', () => (core.library.jobs.get(job.id).stage ?? '').startsWith('Clip'), LONG);
    const pids = workers();
    expect(pids.length).toBe(1);
    await core.dispatch('render.cancel', { jobId: job.id }, { transport: 'ipc' });
    const done = await core.render.settled(job.id);
    expect(done.status).toBe('cancelled');
    expect(pids.every((p) => !isAlive(p))).toBe(true);
    expect(core.library.outputs.listByProject(projectId)).toEqual([]);
  });

  it('a worker crash fails only its job; the next job renders', async () => {
    const core = await openCore();
    await core.packs.importFrom(packDir);
    const projectId = await s2vProject(core, { num_frames_per_chunk: 16 }, 4);
    const job = await submit(core, projectId);
    await until('sampling', () => (core.library.jobs.get(job.id).stage ?? '').startsWith('Clip'), LONG);
    for (const pid of workers()) process.kill(pid, 'SIGKILL');
    const failed = await core.render.settled(job.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/inference worker stopped unexpectedly \(SIGKILL\)/);
    const next = await core.render.settled((await submit(core, projectId)).id);
    expect(next.status).toBe('completed');
  });

  it('a worker killed mid-clip leaves a resumable job: retry continues from its finished clips', async () => {
    const core = await openCore();
    await core.packs.importFrom(packDir);
    const projectId = await s2vProject(core, { num_frames_per_chunk: 16 }, 4);
    const job = await submit(core, projectId);
    await until('the first clip checkpoint', () => existsSync(join(core.library.layout.jobs, job.id, 'checkpoints', 'clip-0000.rgb')), LONG);
    for (const pid of workers()) process.kill(pid, 'SIGKILL');
    expect((await core.render.settled(job.id)).status).toBe('failed');
    const retried = await core.dispatch('render.retry', { jobId: job.id }, { transport: 'ipc' });
    expect(retried.ok).toBe(true);
    const done = await core.render.settled(job.id);
    expect(done.status).toBe('completed');
    expect(done.seed).toBe(11);
    expect(done.logTail.join('\n')).toMatch(/Resumed after [1-9] finished clip/);
    const again = await core.dispatch('render.retry', { jobId: job.id }, { transport: 'ipc' });
    expect(!again.ok && again.error.message).toBe('Only a failed render can be retried; this one is completed.');
  });
});

describe('bad model packs are refused with the reason', () => {
  it('a wrong hash names the damaged file; a missing file names the component; nothing is installed', async () => {
    const core = await openCore();
    const broken = makeTempDir('pack-broken');
    await makeFixturePack(broken);
    const weights = readFileSync(join(broken, 'dit_head.weights'));
    weights[0] = (weights[0] as number) ^ 1;
    writeFileSync(join(broken, 'dit_head.weights'), weights);
    await expect(core.packs.importFrom(broken)).rejects.toThrow(/dit_head weights \(1 of 1\) \(dit_head\.weights\) is damaged: its SHA-256 is [0-9a-f]{64}, the manifest says/);
    execFileSync('rm', [join(broken, 'dit_rest.weights')]);
    await expect(core.packs.importFrom(broken)).rejects.toThrow('The model pack is missing dit_rest.weights (its dit_rest weights (1 of 1))');
    expect(await core.packs.list()).toEqual([]);
  });

  it('audio over the local length limit is refused before it is queued, naming the input and what to do', async () => {
    const core = await openCore();
    await core.packs.importFrom(packDir);
    const projectId = await s2vProject(core, {}, 601);
    const env = await core.dispatch('render.submit', { projectId, engine: 'local' }, { transport: 'ipc' });
    expect(env.ok).toBe(false);
    if (env.ok) return;
    expect(env.error.message).toBe('The render cannot start: Voice or song: the trimmed part is 10:01.00 long; a render on this computer takes at most 10 minutes. Trim it shorter, or render in the cloud.');
    const jobs = await core.dispatch('render.listJobs', { projectId }, { transport: 'ipc' });
    expect(jobs.ok && jobs.value).toEqual([]);
    expect(workers()).toEqual([]);
  });

  it('a graph stamped with an opset this ONNX Runtime does not know is refused before sampling, naming the graph', async () => {
    const core = await openCore();
    const dir = makeTempDir('pack-opset');
    const manifest = await makeFixturePack(dir);
    const { default: onnxProto } = await import('onnx-proto');
    const file = join(dir, 'vae_decoder.onnx');
    const model = onnxProto.onnx.ModelProto.decode(readFileSync(file));
    model.opsetImport = [{ domain: '', version: 999 }];
    const bytes = onnxProto.onnx.ModelProto.encode(model).finish();
    writeFileSync(file, bytes);
    manifest.components.vae_decoder.sha256 = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await core.packs.importFrom(dir);
    const projectId = await s2vProject(core, {});
    const job = await core.render.settled((await submit(core, projectId)).id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/The model pack's vae_decoder \(vae_decoder\.onnx\) cannot be loaded by ONNX Runtime: .*opset/i);
    expect(job.logTail.join('\n')).not.toMatch(/Clip 1/);
  });

  it('a pack from an older exporter (MatMul attention): a clip whose attention cannot fit is in the live problem list and refused at Render, naming Resolution, Frames per chunk and what fits', async () => {
    const core = await openCore();
    const dir = makeTempDir('pack-matmul');
    const manifest = await makeFixturePack(dir);
    // wan-export 0.1 wrote no dit.attention: such a pack reads as MatMul + Softmax attention.
    const { attention: _, ...olderDit } = manifest.dit;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, dit: olderDit }));
    await core.packs.importFrom(dir);
    // 720p at 161 frames per chunk: about 42 x 3600 tokens, 2 heads: hundreds of GB of scores.
    const projectId = await s2vProject(core, { resolution: '720p', num_frames_per_chunk: 161 }, 2, '1280x720');
    const local = await core.render.check(projectId, 'local', undefined);
    expect(local.runsOn).toBe('local');
    expect(local.problems).toEqual([expect.stringMatching(OLDER_PACK_REFUSAL)]);
    // The cloud has no such limit (here it only lacks a key).
    expect((await core.render.check(projectId, 'cloud', undefined)).problems.join(' ')).not.toMatch(/attention/);
    const refused = await core.dispatch('render.submit', { projectId, engine: 'local' }, { transport: 'ipc' });
    expect(!refused.ok && refused.error.message.replace(/^The render cannot start: /, '')).toMatch(OLDER_PACK_REFUSAL);
    expect(core.render.listJobs(projectId)).toEqual([]);
    // Fewer frames per chunk fit: the list is clear.
    core.library.updateProjectState(projectId, { s2v: { params: { prompt: 'a person talking', resolution: '720p', seed: 11, num_frames_per_chunk: 16 } } });
    expect((await core.render.check(projectId, 'local', undefined)).problems).toEqual([]);
  });

  it('a job queued before its pack was replaced by an older one is refused by the engine before any work', async () => {
    const core = await openCore();
    const first = await core.packs.importFrom(packDir);
    const projectId = await s2vProject(core, { resolution: '720p', num_frames_per_chunk: 161 }, 2, '1280x720');
    await core.dispatch('queue.pauseAll', {}, { transport: 'ipc' });
    const queued = await submit(core, projectId);
    await core.dispatch('engines.removePack', { id: first.id }, { transport: 'ipc' });
    const dir = makeTempDir('pack-matmul-later');
    const manifest = await makeFixturePack(dir);
    const { attention: _, ...olderDit } = manifest.dit;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, dit: olderDit }));
    await core.packs.importFrom(dir);
    await core.dispatch('queue.resumeAll', {}, { transport: 'ipc' });
    const job = await core.render.settled(queued.id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(OLDER_PACK_REFUSAL);
    expect(job.logTail.join('\n')).not.toMatch(/Clip 1|Encoding the audio/);
    expect(workers()).toEqual([]);
  });

  it('a manifest that does not fit the pipeline, or graphs that differ from their manifest', async () => {
    const core = await openCore();
    const dir = makeTempDir('pack-mismatch');
    const manifest = await makeFixturePack(dir);
    const write = (m: unknown) => writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    write({ ...manifest, tokenizer: { ...manifest.tokenizer, kind: 'sentencepiece' } });
    await expect(core.packs.importFrom(dir)).rejects.toThrow('tokenizer.kind: format 2 reads the umT5 tokenizer ("umt5")');
    const renamed = structuredClone(manifest);
    renamed.components.text_encoder.inputs[0]!.name = 'tokens';
    write(renamed);
    await expect(core.packs.importFrom(dir)).rejects.toThrow('text_encoder: the manifest lists no input "input_ids" (int64, rank 2)');
    // Fits the pipeline on paper, but the graph's output is 32 wide, not 33: refused from the protobuf, at import.
    const wrongDim = structuredClone(manifest);
    wrongDim.components.text_encoder.outputs[0]!.shape = [1, 512, 33];
    write(wrongDim);
    await expect(core.packs.importFrom(dir)).rejects.toThrow('text_encoder: output "context" dimension 2 is 32 in the graph; the manifest says 33');
    expect(await core.packs.list()).toEqual([]);
  });
});
