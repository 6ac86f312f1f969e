import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnimateJob } from '../../../common/animate/animateJob';
import { animateReferenceOk, compareLatents, runAnimateReference } from '../../helpers/animateReference';
import { runExporterOk } from '../../helpers/wanExport';

/**
 * The torch reference of the Animate pipeline (wan_export/animate_pipeline_reference.py) on its own, on a
 * tiny random checkpoint in the official layout: the first clip's latents have the official shapes, the same
 * job gives the same latents, guide scale 1 makes no unconditional DiT call (the negative prompt then has no
 * effect), and the mode, the face crops, the seed and the solver each change the result. The end-to-end comparison with the
 * studio's pipeline is test/integration/export/animateExportedRender.test.ts.
 */
const W = 48;
const H = 32;
const FACE = 32; // the tiny checkpoint's motion encoder size
const REAL_LEN = 7; // padded ping-pong to 9 for one clip of 9 frames
let dir: string;
let ckpt: string;

function frames(count: number, w: number, h: number, channels: number, pixel: (f: number, x: number, y: number, c: number) => number): Buffer {
  const b = Buffer.alloc(count * w * h * channels);
  let i = 0;
  for (let f = 0; f < count; f++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < channels; c++) b[i++] = pixel(f, x, y, c) & 255;
  return b;
}

function job(mode: AnimateJob['mode'], over: Partial<AnimateJob> = {}): AnimateJob {
  const replacement = mode === 'replacement';
  return {
    workDir: join(dir, 'work'), mode, width: W, height: H, fps: 16,
    refRgb: join(dir, 'ref.rgb'), poseRgb: join(dir, 'pose.rgb'), faceRgb: join(dir, 'face.rgb'), faceSize: FACE,
    backgroundRgb: replacement ? join(dir, 'bg.rgb') : null, maskGray: replacement ? join(dir, 'mask.gray') : null,
    realLen: REAL_LEN, clipLen: 9, refertNum: 1, prompt: 'a person dancing', negativePrompt: 'blurry',
    seed: 11, steps: 3, shift: 5, guideScale: 1, solver: 'dpm++', loraScale: replacement ? 1 : 0, colourMatch: false, offloadModel: false,
    ...over,
  };
}

const IDS = [37, 12, 9, 5, 1];
const NEG_IDS = [22, 8, 1];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wan-animate-ref-'));
  ckpt = join(dir, 'ckpt');
  runExporterOk(['tiny', '--app', 'animate', '--out', ckpt]);
  await writeFile(join(dir, 'ref.rgb'), frames(1, W, H, 3, (_, x, y, c) => (x * 5 + y * 3 + c * 70) % 256));
  await writeFile(join(dir, 'pose.rgb'), frames(REAL_LEN, W, H, 3, (f, x, y, c) => (Math.abs(x - 10 - f * 3) < 2 || Math.abs(y - 16) < 2 ? 200 + c * 20 : 0)));
  await writeFile(join(dir, 'face.rgb'), frames(REAL_LEN, FACE, FACE, 3, (f, x, y, c) => (x * 7 + y * 11 + f * 13 + c * 50) % 256));
  await writeFile(join(dir, 'face2.rgb'), frames(REAL_LEN, FACE, FACE, 3, (f, x, y, c) => (Math.hypot(x - 16, y - 14 - f) < 9 ? 220 - c * 30 : 40)));
  await writeFile(join(dir, 'bg.rgb'), frames(REAL_LEN, W, H, 3, (f, x, y, c) => (x * 3 + f * 9 + c * 40 + y) % 256));
  await writeFile(join(dir, 'mask.gray'), frames(REAL_LEN, W, H, 1, (f, x, y) => (x >= 12 + f && x < 30 + f && y >= 4 ? 255 : 0)));
}, 300_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the Animate torch reference pipeline (first clip)', { timeout: 300_000 }, () => {
  it('gives the official shapes, one DiT call per step without guidance, and the same latents for the same job', async () => {
    const input = { job: job('animation'), checkpoint: ckpt, ids: IDS, negIds: NEG_IDS };
    const a = await animateReferenceOk(dir, 'animation', input);
    // clip_len 9: lat_t = 3 latent frames + the reference latent; 32 x 48 pixels -> 4 x 6 latents.
    expect(a.report.shape).toEqual([1, 16, 4, H / 8, W / 8]);
    expect(a.report.y).toEqual([1, 20, 4, H / 8, W / 8]);
    expect(a.report.poseLatents).toEqual([1, 16, 3, H / 8, W / 8]);
    expect(a.report.faceTokens).toEqual([1, 4, 5, 32]);
    expect(a.report.ditCalls).toEqual({ cond: 3, uncond: 0 });
    expect(a.latents.length).toBe(16 * 4 * (H / 8) * (W / 8));
    const { scale } = compareLatents(a.latents, a.latents);
    expect(scale).toBeGreaterThan(0.1);
    expect(a.latents.every(Number.isFinite)).toBe(true);
    // dpm++ 3 steps, shift 5: sigmas 1, 0.90909, 0.71429 -> timesteps truncated from float64.
    expect(a.report.timesteps).toEqual([1000, 909, 714]);

    const again = await animateReferenceOk(dir, 'animation-again', input);
    expect(compareLatents(again.latents, a.latents).maxDiff).toBe(0);
    const otherNegative = await animateReferenceOk(dir, 'animation-neg', { ...input, negIds: [99, 98, 1] });
    expect(compareLatents(otherNegative.latents, a.latents).maxDiff).toBe(0);
  });

  it('guides with the negative prompt when guide scale is above 1, and the mode, face crops, seed and solver change the latents', async () => {
    const base = await animateReferenceOk(dir, 'base', { job: job('animation'), checkpoint: ckpt, ids: IDS, negIds: NEG_IDS });
    const guided = await animateReferenceOk(dir, 'guided', { job: job('animation', { guideScale: 2 }), checkpoint: ckpt, ids: IDS, negIds: NEG_IDS });
    expect(guided.report.ditCalls).toEqual({ cond: 3, uncond: 3 });
    expect(compareLatents(guided.latents, base.latents).maxDiff).toBeGreaterThan(1e-3);

    const replacement = await animateReferenceOk(dir, 'replacement', { job: job('replacement', { solver: 'unipc' }), checkpoint: ckpt, ids: IDS, negIds: NEG_IDS });
    expect(replacement.report.shape).toEqual([1, 16, 4, H / 8, W / 8]);
    // UniPC starts at float32(0.999), shifted: 999, not 1000.
    expect(replacement.report.timesteps[0]).toBe(999);
    const unipcAnimation = await animateReferenceOk(dir, 'unipc', { job: job('animation', { solver: 'unipc' }), checkpoint: ckpt, ids: IDS, negIds: NEG_IDS });
    expect(compareLatents(unipcAnimation.latents, base.latents).maxDiff).toBeGreaterThan(1e-3);
    expect(compareLatents(replacement.latents, unipcAnimation.latents).maxDiff).toBeGreaterThan(1e-3);

    // The face crops reach the DiT (the tiny motion encoder is not blind to its input).
    const otherFace = await animateReferenceOk(dir, 'face', { job: job('animation', { faceRgb: join(dir, 'face2.rgb') }), checkpoint: ckpt, ids: IDS, negIds: NEG_IDS });
    expect(compareLatents(otherFace.latents, base.latents).maxDiff).toBeGreaterThan(1e-3);

    const otherSeed = await animateReferenceOk(dir, 'seed', { job: job('animation', { seed: 12 }), checkpoint: ckpt, ids: IDS, negIds: NEG_IDS });
    expect(compareLatents(otherSeed.latents, base.latents).maxDiff).toBeGreaterThan(1e-3);
  });

  it('refuses a face size the checkpoint does not take, a frame file of the wrong length and a later clip without its guidance frames, naming them', async () => {
    const wrongFace = await runAnimateReference(dir, 'bad-face', { job: job('animation', { faceSize: 64 }), checkpoint: ckpt, ids: IDS, negIds: NEG_IDS });
    expect(wrongFace.status).toBe(2);
    expect(wrongFace.stderr).toMatch(/faceSize 64: the checkpoint's motion encoder takes 32 x 32/);
    const short = await runAnimateReference(dir, 'bad-len', { job: job('animation', { realLen: REAL_LEN + 1 }), checkpoint: ckpt, ids: IDS, negIds: NEG_IDS });
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/poseRgb .* has \d+ bytes; 8 frames of 48x32x3/);
    const unguided = await runAnimateReference(dir, 'no-guide', { job: job('animation'), checkpoint: ckpt, ids: IDS, negIds: NEG_IDS, clip: 1 });
    expect(unguided.status).toBe(2);
    expect(unguided.stderr).toMatch(/clip 1 needs guideRgb: the 1 guidance frames the studio used/);
  });
});
