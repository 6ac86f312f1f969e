import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnimateJob } from '../../../common/animate/animateJob';
import { animateSizeByArea } from '../../../common/animate/animateSize';
import type { AnimateComponentName } from '../../../common/pack/animateManifest2';
import { checkAnimatePack2 } from '../../../common/pack/checkAnimatePack2';
import { silentLogger } from '../../../main/core/logger';
import { probeMedia } from '../../../main/core/media/probe';
import { createStudioCore } from '../../../main/core/studioCore';
import { animateTokenizerPath, type AnimatePack } from '../../../native/animate/animatePack';
import { runAnimate } from '../../../native/animate/animatePipeline';
import { PackSessions } from '../../../native/ort/packSessions';
import { loadUmt5Tokenizer } from '../../../native/wan/umt5Tokenizer';
import { writeAnimateFrames } from '../../helpers/animateJobFrames';
import { animateReferenceOk, compareLatents } from '../../helpers/animateReference';
import { realMedia } from '../../helpers/realMedia';
import { submitRender } from '../../helpers/renderJobs';
import { exporterPython, runExporterOk } from '../../helpers/wanExport';

/**
 * End to end on an EXPORTED Animate pack: tools/wan-export turns a tiny random checkpoint (the official
 * Wan2.2-Animate-14B layout and key names) into a format 2 pack; the studio imports it and renders an
 * Animate project with it (preprocessing, worker, encoder); and the studio's Animate pipeline (runAnimate,
 * in process, on onnxruntime) renders two-clip jobs whose frame files come from real media, and the first
 * clip's clean latents, and the second's (guided by the frames the first wrote), equal those of the torch
 * reference pipeline (our torch modules run through the official orchestration of wan/animate.py,
 * wan_export/animate_pipeline_reference.py, the same noise stream from the studio's documented generator)
 * within 1e-3, in animation and in replacement mode. The prompts' ids are the studio's tokenizer's, given to
 * the reference.
 */
const W = 64;
const H = 48;
let dir: string;
let ckpt: string;
let packDir: string;

beforeAll(async () => {
  exporterPython();
  dir = await mkdtemp(join(tmpdir(), 'wan-animate-e2e-'));
  ckpt = join(dir, 'ckpt');
  packDir = join(dir, 'pack');
  runExporterOk(['tiny', '--app', 'animate', '--out', ckpt]);
  runExporterOk(['export', '--app', 'animate', '--checkpoint', ckpt, '--out', packDir, '--weights', 'float32']);
}, 600_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function openPack(): Promise<AnimatePack> {
  const check = await checkAnimatePack2(packDir);
  if (!check.ok) throw new Error(`the exported Animate pack does not pass the studio's check: ${check.problems.join('; ')}`);
  const sessions = await PackSessions.open<AnimateComponentName>(packDir, check.manifest.components, { forced: 'cpu', keepLoaded: true, checkEverySession: true });
  return { dir: packDir, manifest: check.manifest, sessions };
}

/** Renders a two-clip job in the studio's pipeline; each clip's latents equal the torch reference's within 1e-3. */
async function clipsMatch(mode: AnimateJob['mode'], settings: Pick<AnimateJob, 'solver' | 'steps' | 'shift' | 'guideScale' | 'seed' | 'refertNum'> & { frames: number }): Promise<void> {
  const pack = await openPack();
  try {
    const frameDir = join(dir, mode);
    await mkdir(frameDir, { recursive: true });
    const { frames: realLen, ...sampling } = settings;
    const frames = writeAnimateFrames(frameDir, { width: W, height: H, faceSize: pack.manifest.face.size, frames: realLen, mode });
    const job: AnimateJob = {
      ...frames,
      workDir: join(frameDir, 'work'),
      mode,
      clipLen: 9,
      prompt: 'a man dancing in a studio',
      negativePrompt: 'blurry, static, deformed',
      loraScale: mode === 'replacement' ? 1 : 0,
      colourMatch: true,
      offloadModel: false,
      ...sampling,
    };
    const latents: Float32Array[] = [];
    const clipFiles: string[] = [];
    const hooks = { onProgress: () => undefined, onLog: () => undefined, isCancelled: () => false };
    const result = await runAnimate(pack, job, { ...hooks, onClip: (c) => (clipFiles[c.index] = c.rgbFile), onLatents: (k, x) => (latents[k] = x.slice()) });
    expect(result.clips).toBe(2);
    // Clip 1 is guided by the last refert_num frames clip 0 wrote (the official pipeline: clip 0's last decoded frames).
    const frameBytes = W * H * 3;
    const clip0 = await readFile(clipFiles[0]!);
    const guideRgb = join(frameDir, 'guide.rgb');
    await writeFile(guideRgb, clip0.subarray(clip0.length - job.refertNum * frameBytes));
    const tokenize = await loadUmt5Tokenizer(animateTokenizerPath(pack), pack.manifest.tokenizer, 'the exported pack');
    const ids = (text: string) => [...tokenize(text)].map(Number);
    for (const k of [0, 1]) {
      const ref = await animateReferenceOk(frameDir, `reference-${k}`, { job, checkpoint: ckpt, ids: ids(job.prompt), negIds: ids(job.negativePrompt), ...(k > 0 ? { clip: k, guideRgb } : {}) });
      expect(ref.report.ditCalls).toEqual({ cond: job.steps, uncond: job.guideScale > 1 ? job.steps : 0 });
      expect(latents[k]?.length, `the studio reported no latents for clip ${k}`).toBe(ref.latents.length);
      const { maxDiff, scale } = compareLatents(latents[k]!, ref.latents);
      console.log(`${mode} (${job.solver}, guide ${job.guideScale}, refert ${job.refertNum}): clip ${k} latents ${ref.report.shape.join('x')}, max abs diff ${maxDiff.toExponential(2)}, values up to ${scale.toFixed(3)}`);
      expect(scale).toBeGreaterThan(0.1);
      expect(maxDiff, `clip ${k}`).toBeLessThanOrEqual(1e-3);
    }
  } finally {
    await pack.sessions.releaseAll();
  }
}

describe('the studio renders Animate with the tiny exported pack', { timeout: 600_000 }, () => {
  it("imports it and renders a replacement video from an Animate project: preprocessing, the worker's clips with temporal guidance, the driving video's sound", async () => {
    const core = await createStudioCore({ home: join(dir, 'home'), log: silentLogger, env: {} });
    try {
      await core.packs.importFrom(packDir);
      // basketball1.png (two people, full body, 640 x 480) held for 0.6 s at 10 fps, with a tone to carry over.
      const driving = join(dir, 'driving.mp4');
      execFileSync(process.env.FFMPEG_BIN ?? 'ffmpeg', ['-v', 'error', '-y', '-loop', '1', '-i', realMedia('basketball1.png'), '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-t', '0.6', '-r', '10', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-c:a', 'aac', '-shortest', driving]);
      const project = core.library.createProject('Exported Animate pack', 'animate');
      const video = await core.library.importFile({ projectId: project.id, path: driving, displayName: 'basketball.mp4', move: false });
      const image = await core.library.importFile({ projectId: project.id, path: realMedia('messi5.jpg'), displayName: 'messi5.jpg', move: false });
      const params = { mode: 'replacement', resolution_width: 512, resolution_height: 512, fps: -1, clip_len: 5, refert_num: 1, sampling_steps: 10, seed: 3 };
      core.library.updateProjectState(project.id, { animate: { videoAssetId: video.asset.id, referenceAssetId: image.asset.id, params } });
      const job = await core.render.settled((await submitRender(core, project.id, 'local')).id);
      expect(job.error).toBeNull();
      expect(job.status).toBe('completed');
      const info = await probeMedia(join(core.library.home, core.library.outputs.get(job.outputId!).file));
      // Replacement renders at the driving video's shape sized by area; 6 frames = 2 clips of 5 advancing by 4 (the second padded).
      expect(info.video).toMatchObject(animateSizeByArea(640, 480, 512 * 512));
      expect(info.video?.frameCount).toBe(6);
      expect(info.audio).not.toBeNull();
    } finally {
      await core.dispose();
    }
  });

  it(`animation mode (UniPC, the official CLI's defaults: no guidance, 1 guidance frame): the latents of clip 0 and of the guided clip 1 equal the reference's within 1e-3`, async () => {
    await clipsMatch('animation', { solver: 'unipc', steps: 4, shift: 5, guideScale: 1, seed: 42, refertNum: 1, frames: 13 });
  });

  it(`replacement mode (DPM++, guidance with the negative prompt and face pixels -1, relighting LoRA on, 5 guidance frames): the latents of clip 0 and of the guided clip 1 equal the reference's within 1e-3`, async () => {
    await clipsMatch('replacement', { solver: 'dpm++', steps: 4, shift: 5, guideScale: 2.5, seed: 7, refertNum: 5, frames: 10 });
  });
});
