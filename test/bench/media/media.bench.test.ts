import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { resolveTool } from '../../../main/core/media/ffmpegBinaries';
import { runFfmpeg } from '../../../main/core/media/ffmpegCommand';
import { makeFilmstrip } from '../../../main/core/media/filmstrip';
import { computePeaks } from '../../../main/core/media/peaks';
import { planPostProcess } from '../../../main/core/media/postProcess';
import { postProcessSpecSchema } from '../../../main/core/contract/postProcess';
import { probeMedia } from '../../../main/core/media/probe';
import { bundleScript } from '../../helpers/bundleScript';
import { makeTempDir } from '../../helpers/generatedMedia';
import { bestOf, benchCache, cachedMedia, report, timed, timeProcess } from '../helpers/benchTools';

const ffmpeg = () => resolveTool('ffmpeg').path;

it('peaks for 60 min of 44.1 kHz stereo cost at most 1.3x a bare decode', async () => {
  const src = cachedMedia('60min-stereo.m4a', (p) => ['-f', 'lavfi', '-i', 'sine=f=220:d=3600:sample_rate=44100', '-f', 'lavfi', '-i', 'sine=f=330:d=3600:sample_rate=44100', '-filter_complex', '[0][1]amerge=inputs=2', '-c:a', 'aac', '-b:a', '128k', p]);
  const info = await probeMedia(src);
  // Interleaved, best of three each: load drift on this shared machine hits both sides alike.
  let bare = Infinity;
  let ours = Infinity;
  for (let i = 0; i < 3; i++) {
    bare = Math.min(bare, await timeProcess(ffmpeg(), ['-v', 'error', '-i', src, '-f', 'null', '-']));
    ours = Math.min(ours, (await timed(() => computePeaks(src, info))).ms);
  }
  const ratio = ours / bare;
  report('peaks, 60 min stereo AAC', { 'bare decode ms': bare.toFixed(0), 'computePeaks ms': ours.toFixed(0), ratio: ratio.toFixed(3), limit: 1.3 });
  expect(ratio).toBeLessThanOrEqual(1.3);
});

it('20 filmstrip frames of a 10-min 1080p video cost at most 0.2x a full decode', async () => {
  const src = cachedMedia('10min-1080p.mp4', (p) => ['-f', 'lavfi', '-i', 'testsrc2=s=1920x1080:r=25:d=600', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '28', '-pix_fmt', 'yuv420p', p]);
  const info = await probeMedia(src);
  const dir = makeTempDir('bench-strip');
  const full = await bestOf(1, () => timeProcess(ffmpeg(), ['-v', 'error', '-i', src, '-f', 'null', '-']));
  const strip = await bestOf(2, async () => (await timed(() => makeFilmstrip(src, info, join(dir, 'strip.jpg'), { count: 20 }))).ms);
  const ratio = strip / full;
  report('filmstrip, 10 min 1080p', { 'full decode ms': full.toFixed(0), 'filmstrip ms': strip.toFixed(0), ratio: ratio.toFixed(3), limit: 0.2 });
  expect(ratio).toBeLessThanOrEqual(0.2);
});

it('a preset through our command layer costs at most 3% more than the same ffmpeg arguments run bare', async () => {
  const src = cachedMedia('30s-720p.mp4', (p) => ['-f', 'lavfi', '-i', 'testsrc2=s=1280x720:r=25:d=30', '-f', 'lavfi', '-i', 'sine=f=440:d=30', '-c:v', 'libx264', '-preset', 'veryfast', '-c:a', 'aac', '-shortest', p]);
  const info = await probeMedia(src);
  const dir = makeTempDir('bench-preset');
  const plan = await planPostProcess({ video: src, info }, postProcessSpecSchema.parse({ format: 'h264', crf: 23 }));
  const bareArgs = (out: string) => ['-hide_banner', '-nostats', '-v', 'error', '-nostdin', '-y', ...plan.args(out)];
  const bare: number[] = [];
  const ours: number[] = [];
  // Interleaved so drift in machine load hits both sides alike.
  for (let i = 0; i < 3; i++) {
    bare.push(await timeProcess(ffmpeg(), bareArgs(join(dir, `bare${i}.mp4`))));
    ours.push((await timed(() => runFfmpeg({ label: 'bench', outputs: [join(dir, `ours${i}.mp4`)], args: ([t]) => plan.args(t as string), durationSec: plan.durationSec, onProgress: () => undefined }))).ms);
  }
  const ratio = Math.min(...ours) / Math.min(...bare);
  report('preset overhead, 30 s 720p H.264', { 'bare best ms': Math.min(...bare).toFixed(0), 'ours best ms': Math.min(...ours).toFixed(0), overhead: `${((ratio - 1) * 100).toFixed(2)}%`, limit: '3%' });
  expect(ratio).toBeLessThanOrEqual(1.03);
});

/** Peak RSS of a child that encodes `seconds` of raw 720p frames through the frame writer. */
async function encodeRss(script: string, seconds: number, out: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [script, out, String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    p.stdout.on('data', (c: Buffer) => (text += c.toString()));
    p.on('close', (code) => (code === 0 ? resolve(Number(/maxRssKb=(\d+)/.exec(text)?.[1]) / 1024) : reject(new Error(`encoder child exited ${code}: ${text}`))));
  });
}

it('peak RSS encoding 10 min of raw 720p frames stays under 300 MB, as for 1 min', async () => {
  const script = await bundleScript('test/bench/media/encodeFramesChild.ts');
  const dir = makeTempDir('bench-rss');
  const oneMin = await encodeRss(script, 60, join(dir, '1min.mp4'));
  const tenMin = await encodeRss(script, 600, join(dir, '10min.mp4'));
  report('frame writer RSS, 720p', { '1 min peak MB': oneMin.toFixed(1), '10 min peak MB': tenMin.toFixed(1), 'ratio 10/1': (tenMin / oneMin).toFixed(3), limit: '300 MB each' });
  expect(oneMin).toBeLessThan(300);
  expect(tenMin).toBeLessThan(300);
  expect(benchCache).toBeTruthy();
});
