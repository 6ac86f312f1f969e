import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S2vComponentName } from '../../../common/pack/packManifest2';
import type { S2vJob } from '../../../common/s2v/s2vJob';
import { silentLogger } from '../../../main/core/logger';
import { probeMedia } from '../../../main/core/media/probe';
import { createStudioCore } from '../../../main/core/studioCore';
import { PackSessions } from '../../../native/ort/packSessions';
import { encodePortrait } from '../../../native/s2v/promptAndPortrait';
import { tokenizerPath, type S2vPack } from '../../../native/s2v/s2vPack';
import { runS2v } from '../../../native/s2v/s2vPipeline';
import { loadUmt5Tokenizer } from '../../../native/wan/umt5Tokenizer';
import { exportedPack } from '../../helpers/exportedPack';
import { makePng, makeWav } from '../../helpers/generatedMedia';
import { submitRender } from '../../helpers/renderJobs';
import { exporterEnv, exporterPython, runExporter, runExporterOk } from '../../helpers/wanExport';

/**
 * End to end on an EXPORTED pack: tools/wan-export turns a tiny random checkpoint (the official layout
 * and key names) into a format 2 pack, the studio imports it and renders S2V with it, and clip 0's
 * latents from the studio's pipeline equal those of a torch reference pipeline (our own modules,
 * wan_export/pipeline_reference.py, the same noise from the studio's documented generator) within 1e-3.
 */
let dir: string;
let exportDir: string;
let vae: 'exported' | 'fixture';
const sampling = { steps: 4, shift: 3, guideScale: 4.5, solver: 'dpm++' as const, negativePrompt: 'blurry, static' };

beforeAll(async () => {
  exporterPython();
  dir = await mkdtemp(join(tmpdir(), 'wan-e2e-'));
  runExporterOk(['tiny', '--out', join(dir, 'ckpt')]);
  exportDir = join(dir, 'pack');
  // The whole pack with the exported VAE once the exporter writes it; until then without (exportedPack adds the fixture VAE).
  const all = runExporter(['export', '--checkpoint', join(dir, 'ckpt'), '--out', exportDir, '--components', 'text_encoder,dit,audio_encoder,tokenizer,vae']);
  if (all.status !== 0) {
    if (!/not written yet/.test(all.stderr)) throw new Error(`the export failed:\n${all.stderr}`);
    runExporterOk(['export', '--checkpoint', join(dir, 'ckpt'), '--out', exportDir, '--components', 'text_encoder,dit,audio_encoder,tokenizer']);
  }
  vae = (await exportedPack(exportDir)).vae;
}, 600_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the studio renders S2V with the tiny exported pack', { timeout: 600_000 }, () => {
  it('imports it (protobuf check, every file hashed) and renders a video with sound through the worker', async () => {
    const core = await createStudioCore({ home: join(dir, 'home'), log: silentLogger, env: {}, localOptions: { sampling } });
    try {
      await core.packs.importFrom(exportDir);
      const project = core.library.createProject('Exported pack', 's2v');
      const image = await core.library.importFile({ projectId: project.id, path: makePng(join(dir, 'face.png'), '128x192'), displayName: 'face.png', move: false });
      const audio = await core.library.importFile({ projectId: project.id, path: makeWav(join(dir, 'voice.wav'), 1.5, 44100), displayName: 'voice.wav', move: false });
      core.library.updateProjectState(project.id, { s2v: { imageAssetId: image.asset.id, audioAssetId: audio.asset.id, params: { prompt: 'a person talking', resolution: '480p', seed: 3, num_frames_per_chunk: 16 } } });
      const job = await core.render.settled((await submitRender(core, project.id, 'local')).id);
      expect(job.error).toBeNull();
      expect(job.status).toBe('completed');
      const info = await probeMedia(join(core.library.home, core.library.outputs.get(job.outputId!).file));
      expect(info.video).toMatchObject({ width: 128, height: 192 });
      expect(info.audio).not.toBeNull();
    } finally {
      await core.dispose();
    }
  });

  it(`clip 0's latents equal the torch reference pipeline's within 1e-3`, async () => {
    const check = JSON.parse(await readFile(join(exportDir, 'manifest.json'), 'utf8'));
    const sessions = await PackSessions.open<S2vComponentName>(exportDir, check.components, { forced: 'cpu', keepLoaded: true, checkEverySession: true });
    const pack: S2vPack = { dir: exportDir, manifest: check, sessions };
    try {
      const W = 128;
      const H = 192;
      const refRgb = join(dir, 'ref.rgb');
      await writeFile(refRgb, Buffer.from(Array.from({ length: W * H * 3 }, (_, i) => (i * 53) % 256)));
      const wav = makeWav(join(dir, 'voice16k.wav'), 2, 16000);
      const job: S2vJob = { workDir: join(dir, 'work'), refRgb, width: W, height: H, modelAudio: wav, prompt: 'a person talking', fps: 16, framesPerChunk: 16, seed: 9, firstBlockCache: { enabled: false, threshold: 0 }, ...sampling };
      let clip0: Float32Array | null = null;
      await runS2v(pack, job, { onProgress: () => undefined, onLog: () => undefined, isCancelled: () => false, onClip: () => undefined, onLatents: (r, x) => (r === 0 ? (clip0 = x.slice()) : undefined) });
      const tokenize = await loadUmt5Tokenizer(tokenizerPath(pack), pack.manifest.tokenizer, 'pack');
      const ref = await encodePortrait(pack, job);
      await writeFile(join(dir, 'ref.f32'), Buffer.from(ref.buffer, ref.byteOffset, ref.byteLength));
      const refJob = {
        checkpoint: join(dir, 'ckpt'), wav, ids: [...tokenize(job.prompt)].map(Number), neg_ids: [...tokenize(job.negativePrompt)].map(Number), ref_latents: join(dir, 'ref.f32'),
        frames: 16, lh: H / 8, lw: W / 8, seed: job.seed, steps: job.steps, shift: job.shift, guide_scale: job.guideScale,
      };
      await writeFile(join(dir, 'job.json'), JSON.stringify(refJob));
      const r = spawnSync(exporterPython(), ['-m', 'wan_export.pipeline_reference', join(dir, 'job.json'), join(dir, 'torch.f32')], { env: exporterEnv(), encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`the torch reference failed:\n${r.stderr}`);
      const buf = await readFile(join(dir, 'torch.f32'));
      const want = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      const have = clip0 as Float32Array | null;
      expect(have?.length).toBe(want.length);
      let maxDiff = 0;
      let scale = 0;
      for (let i = 0; i < want.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(have![i]! - want[i]!));
        scale = Math.max(scale, Math.abs(want[i]!));
      }
      console.log(`clip 0 latents (${want.length} values, VAE: ${vae}): max abs diff ${maxDiff.toExponential(2)}, values up to ${scale.toFixed(3)}`);
      expect(scale).toBeGreaterThan(0.1);
      expect(maxDiff).toBeLessThanOrEqual(1e-3);
    } finally {
      await sessions.releaseAll();
    }
  });
});
