import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { PackManifest2, S2vComponentName } from '../../../common/pack/packManifest2';
import type { S2vJob } from '../../../common/s2v/s2vJob';
import { PackSessions } from '../../../native/ort/packSessions';
import type { S2vPack } from '../../../native/s2v/s2vPack';
import { runS2v } from '../../../native/s2v/s2vPipeline';
import { exportedPack } from '../../helpers/exportedPack';
import { makeWav } from '../../helpers/generatedMedia';
import { runExporterOk } from '../../helpers/wanExport';
import { report } from '../helpers/benchTools';
import { ditCallBytes, type ClipShapes, type DitShapes } from './ditTraffic';

/**
 * Host traffic and orchestration overhead per DiT step on the tiny EXPORTED pack (tools/wan-export
 * --tiny: the real graph interfaces at a tiny config), measured at the ORT boundary, checked against
 * the interface's arithmetic (test/bench/local/ditTraffic.ts) and extrapolated to the 14B shapes.
 */
const W = 256;
const H = 192;
const F = 16;
const STEPS = 6;

async function tinyPack(): Promise<S2vPack> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-traffic-'));
  runExporterOk(['tiny', '--out', join(dir, 'ckpt')]);
  runExporterOk(['export', '--checkpoint', join(dir, 'ckpt'), '--out', join(dir, 'pack'), '--components', 'text_encoder,dit,audio_encoder,tokenizer']);
  await exportedPack(join(dir, 'pack'));
  const manifest = JSON.parse(await readFile(join(dir, 'pack', 'manifest.json'), 'utf8')) as PackManifest2;
  const sessions = await PackSessions.open<S2vComponentName>(join(dir, 'pack'), manifest.components, { forced: 'cpu', keepLoaded: true, checkEverySession: false });
  return { dir: join(dir, 'pack'), manifest, sessions };
}

const shapesOf = (m: PackManifest2): DitShapes => ({ dim: m.dit.dim, textDim: m.dit.textDim, textLength: m.dit.textLength, audioDim: m.audio.dim, pairs: m.dit.dim / m.dit.heads / 2, motionLatents: m.dit.motionLatents });
const DIT_14B: DitShapes = { dim: 5120, textDim: 4096, textLength: 512, audioDim: 1024, pairs: 64, motionLatents: 19 };
const mb = (b: number) => `${(b / 2 ** 20).toFixed(2)} MB`;
const gb = (b: number) => `${(b / 2 ** 30).toFixed(2)} GB`;

it('host traffic and orchestration per DiT step: tiny exported pack, extrapolated to 14B', async () => {
  const pack = await tinyPack();
  try {
    const media = await mkdtemp(join(tmpdir(), 'bench-traffic-media-'));
    const refRgb = join(media, 'ref.rgb');
    await writeFile(refRgb, Buffer.alloc(W * H * 3, 90));
    // 2 s: N30 = 59 -> int(59 / 30) + 1 = 2 clips, the second with motion tokens.
    const job: S2vJob = { workDir: join(media, 'work'), refRgb, width: W, height: H, modelAudio: makeWav(join(media, 'v.wav'), 2, 16000), prompt: 'bench', negativePrompt: '', fps: 16, framesPerChunk: F, seed: 1, steps: STEPS, shift: 3, guideScale: 4.5, solver: 'unipc', firstBlockCache: { enabled: false, threshold: 0 } };
    const t = performance.now();
    const result = await runS2v(pack, job, { onProgress: () => undefined, onLog: () => undefined, isCancelled: () => false, onClip: () => undefined });
    const wall = performance.now() - t;
    expect(result.clips).toBe(2);
    const traffic = pack.sessions.hostBytes;
    const dit = (['dit_first_block', 'dit_rest'] as const).map((g) => traffic.get(g)!);
    const measured = dit.reduce((a, x) => a + x.bytesIn + x.bytesOut, 0);
    const calls = dit[0]!.calls; // one per step per branch
    const clip = (withMotion: boolean): ClipShapes => ({ F, LT: F / 4, lh: H / 8, lw: W / 8, withMotion });
    const tiny = shapesOf(pack.manifest);
    const expected = calls / 2 * (ditCallBytes(tiny, clip(false)).full + ditCallBytes(tiny, clip(true)).full);
    expect(measured).toBe(expected);

    // Orchestration: the pipeline's time outside ORT runs, per DiT step (both branches).
    const steps = result.clips * STEPS;
    const outsideMs = (result.pipelineMs - result.ortMs) / steps;
    const perStepBytes = measured / steps;
    // 14B: 1024x704 (the README's area), 80 frames per clip, a clip with motion tokens.
    const big: ClipShapes = { F: 80, LT: 20, lh: 704 / 8, lw: 1024 / 8, withMotion: true };
    const bigCall = ditCallBytes(DIT_14B, big);
    report('DiT host traffic and orchestration (format 2, per step = both CFG branches)', {
      'tiny: DiT calls': calls,
      'tiny: bytes per step (measured = interface arithmetic)': mb(perStepBytes),
      'tiny: pipeline ms / ORT ms': `${result.pipelineMs.toFixed(0)} / ${result.ortMs.toFixed(0)} (wall ${wall.toFixed(0)})`,
      // Everything the pipeline does outside ORT (tokenizer, solver, guidance, RGB conversion, checkpoints), spread over the steps.
      'tiny: pipeline time outside ORT, per step': `${outsideMs.toFixed(2)} ms`,
      '14B 1024x704, F=80: tokens': (bigCall.hidden / 4 / DIT_14B.dim).toFixed(0),
      '14B: one hidden tensor': gb(bigCall.hidden),
      '14B: per step, full (first block + rest)': gb(2 * bigCall.full),
      '14B: per step, cache hit (first block + head)': gb(2 * bigCall.hit),
    });
  } finally {
    await pack.sessions.releaseAll();
  }
});
