import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPack2 } from '../../../common/pack/checkPack2';
import type { S2vComponentName } from '../../../common/pack/packManifest2';
import type { S2vJob } from '../../../common/s2v/s2vJob';
import { makeFixturePack } from '../../../main/core/engines/local/fixturePack';
import { PackSessions } from '../../../native/ort/packSessions';
import { clipConditions } from '../../../native/s2v/clipConditions';
import { encodePortrait, encodePrompts } from '../../../native/s2v/promptAndPortrait';
import type { S2vPack } from '../../../native/s2v/s2vPack';
import { runS2v } from '../../../native/s2v/s2vPipeline';
import { f32 } from '../../../native/wan/tensors';
import { WavReader } from '../../../native/s2v/wavReader';
import { encodeWholeAudio } from '../../../native/s2v/wholeAudio';
import { makeTempDir, makeWav } from '../../helpers/generatedMedia';

const W = 128;
const H = 192;
let pack: S2vPack;
let wav: string;
let refRgb: string;

beforeAll(async () => {
  const dir = makeTempDir('pipeline2-pack');
  await makeFixturePack(dir);
  const check = await checkPack2(dir);
  if (!check.ok) throw new Error(check.problems.join('; '));
  const sessions = await PackSessions.open<S2vComponentName>(dir, check.manifest.components, { forced: 'cpu', keepLoaded: true, checkEverySession: true });
  pack = { dir, manifest: check.manifest, sessions };
  const media = makeTempDir('pipeline2-media');
  wav = makeWav(join(media, 'voice.wav'), 3, 16000);
  refRgb = join(media, 'ref.rgb');
  writeFileSync(refRgb, Buffer.from(Array.from({ length: W * H * 3 }, (_, i) => (i * 37) % 256)));
});
afterAll(async () => {
  await pack?.sessions.releaseAll();
});

const job = (over: Partial<S2vJob> = {}): S2vJob => ({
  workDir: makeTempDir('pipeline2-work'),
  refRgb,
  width: W,
  height: H,
  modelAudio: wav,
  prompt: 'a person talking',
  negativePrompt: 'blurry',
  fps: 16,
  framesPerChunk: 16,
  seed: 7,
  steps: 4,
  shift: 3,
  guideScale: 4.5,
  solver: 'unipc',
  firstBlockCache: { enabled: false, threshold: 0 },
  ...over,
});

const hooks = (latents: Float32Array[] = []) => ({ onProgress: () => undefined, onLog: () => undefined, isCancelled: () => false, onClip: () => undefined, onLatents: (_: number, x: Float32Array) => latents.push(x.slice()) });

describe('the S2V pipeline on a format 2 pack', { timeout: 120_000 }, () => {
  it('the fixture pack passes the protobuf check, with its weights in external files', async () => {
    const check = await checkPack2(pack.dir);
    expect(check.ok).toBe(true);
    for (const name of ['text_encoder', 'audio_encoder', 'dit_first_block', 'dit_rest', 'dit_head'] as const) expect(pack.manifest.components[name].externalData).toHaveLength(1);
  });

  it('renders the official clip count (int(N30 / (F x 1.875)) + 1), clip 0 three frames short, the same latents every run', async () => {
    const a: Float32Array[] = [];
    const result = await runS2v(pack, job(), hooks(a));
    // 3 s: T50 = floor((48000 - 400) / 320) + 1 = 149 -> N30 = 89 -> int(89 / 30) + 1 = 3 clips.
    expect(result.clips).toBe(3);
    expect(result.frames).toBe(13 + 16 + 16);
    expect(a).toHaveLength(3);
    expect(a[0]!.length).toBe(16 * 4 * (H / 8) * (W / 8));
    const b: Float32Array[] = [];
    await runS2v(pack, job(), hooks(b));
    expect(b[0]).toEqual(a[0]);
    expect(b[2]).toEqual(a[2]);
    // Another seed, other latents.
    const c: Float32Array[] = [];
    await runS2v(pack, job({ seed: 8 }), hooks(c));
    expect(c[0]).not.toEqual(a[0]);
  });

  it('clip 0 drops the motion tokens; later clips carry them (seq = n + r [+ m])', async () => {
    const reader = await WavReader.open(wav);
    const audio = await encodeWholeAudio(pack, reader).finally(() => reader.close());
    const prompts = await encodePrompts(pack, job());
    const ref = await encodePortrait(pack, job());
    const g = { F: 16, LT: 4, h: H / 8, w: W / 8 };
    const motion = new Float32Array(16 * 19 * g.h * g.w);
    const latents = f32(new Float32Array(16 * g.LT * g.h * g.w).fill(0.3), [1, 16, g.LT, g.h, g.w]);
    const timestep = f32(Float32Array.of(999), [1]);
    const n = g.LT * (g.h / 2) * (g.w / 2);
    const r = (g.h / 2) * (g.w / 2);
    const m = r + (g.h / 4) * (g.w / 4) + 4 * (g.h / 8) * (g.w / 8);
    for (const [clip, seq] of [[0, n + r], [1, n + r + m]] as const) {
      const c = clipConditions(pack, clip, g, prompts, audio, { ref, motion });
      expect(c.ropeCos.dims).toEqual([seq, 8]);
      const out = await pack.sessions.run('dit_first_block', { latents, pose_latents: c.pose, ref_latents: c.ref, motion_latents: c.motion, timestep, context: prompts.context, audio: c.audio.cond, rope_cos: c.ropeCos, rope_sin: c.ropeSin });
      expect(out.hidden?.dims).toEqual([1, seq, pack.manifest.dit.dim]);
      // Pose latents are zeros without a pose video; the unconditional branch's audio is zeros.
      expect((c.pose.data as Float32Array).every((v) => v === 0)).toBe(true);
      expect((c.audio.uncond.data as Float32Array).every((v) => v === 0)).toBe(true);
      expect((c.audio.cond.data as Float32Array).some((v) => v !== 0)).toBe(true);
      // The hidden-space cache is exact: dit_head(h0 + R) is what dit_rest returns.
      const conditioning = { timestep, context: prompts.context, audio: c.audio.cond, rope_cos: c.ropeCos, rope_sin: c.ropeSin };
      const rest = await pack.sessions.run('dit_rest', { hidden: out.hidden!, latents, ...conditioning });
      const h0 = out.hidden!.data as Float32Array;
      const R = rest.rest_residual!.data as Float32Array;
      const headed = await pack.sessions.run('dit_head', { hidden: f32(h0.map((v, i) => v + R[i]!), [...out.hidden!.dims]), latents, timestep });
      const v1 = rest.velocity!.data as Float32Array;
      const v2 = headed.velocity!.data as Float32Array;
      expect(Math.max(...v1.map((v, i) => Math.abs(v - v2[i]!)))).toBeLessThan(1e-5);
    }
  });

  it('with the first block cache on, some steps reuse the rest and the hit rate is reported', async () => {
    const result = await runS2v(pack, job({ steps: 12, firstBlockCache: { enabled: true, threshold: 0.5 } }), hooks());
    expect(result.cacheHitRate).toBeGreaterThan(0);
    expect(result.cacheHitRate).toBeLessThan(1);
    const off = await runS2v(pack, job({ steps: 12 }), hooks());
    expect(off.cacheHitRate).toBeNull();
  });

  it('the worker refuses, before encoding anything, a clip whose attention a pack from an older exporter cannot fit', async () => {
    const older = { ...pack, manifest: { ...pack.manifest, dit: { ...pack.manifest.dit, attention: 'matmul' as const } } };
    const stages: string[] = [];
    const work = job({ width: 1280, height: 704, framesPerChunk: 160 });
    const run = runS2v(older, work, { ...hooks(), onProgress: (p: { stage: string }) => stages.push(p.stage) });
    await expect(run).rejects.toThrow(/^1280x704 with Frames per chunk 160 needs about \d+ GB for the model's attention; this computer has \d+ GB\. To render here, choose Frames per chunk at most \d+ \(under Advanced\); or render in the cloud\./);
    expect(stages).toEqual([]);
    expect(readdirSync(work.workDir)).toEqual([]);
  });
});
