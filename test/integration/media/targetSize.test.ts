import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postProcessSpecSchema, type PostProcessSpec } from '../../../main/core/contract/postProcess';
import { StudioError } from '../../../main/core/contract/errors';
import { runPostProcess } from '../../../main/core/media/postProcess';
import { probeMedia } from '../../../main/core/media/probe';
import { runProcess } from '../../../main/core/media/runProcess';
import { MB } from '../../../main/core/media/targetSize';
import { makeTempDir } from '../../helpers/generatedMedia';
import { realMedia } from '../../helpers/realMedia';

const spec = (s: Partial<PostProcessSpec> & { format: PostProcessSpec['format'] }): PostProcessSpec => postProcessSpecSchema.parse(s);

/** Decodes every frame: a file that only probes but does not play fails here. */
async function decodesWhole(path: string): Promise<string> {
  const r = await runProcess('ffmpeg', ['-v', 'error', '-i', path, '-f', 'null', '-']);
  return `${r.code === 0 ? '' : `exit ${r.code}: `}${r.stderrTail}`;
}

/** The first 5 s of the talking character (720x528, with sound), as a render would hand it over. */
let clip: string | null = null;
async function talkingClip(): Promise<string> {
  if (clip) return clip;
  const path = join(makeTempDir('target-src'), 'megamind-5s.mp4');
  await runProcess('ffmpeg', ['-v', 'error', '-y', '-i', realMedia('Megamind.avi'), '-t', '5', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '16', '-c:a', 'aac', path]);
  clip = path;
  return path;
}

describe('export to a target file size', { timeout: 180_000 }, () => {
  it('fits an MP4 under the size asked for, with sound, and it plays through', async () => {
    const dir = makeTempDir('target-mp4');
    const source = await talkingClip();
    const info = await probeMedia(source);
    const plain = join(dir, 'plain.mp4');
    await runPostProcess({ video: source, info }, spec({ format: 'h264' }), plain);
    const out = join(dir, 'fit.mp4');
    await runPostProcess({ video: source, info }, spec({ format: 'h264', targetSizeMB: 0.3 }), out);
    expect(statSync(plain).size).toBeGreaterThan(0.3 * MB);
    expect(statSync(out).size).toBeLessThanOrEqual(0.3 * MB);
    // Not wastefully small: the budget is used.
    expect(statSync(out).size).toBeGreaterThan(0.18 * MB);
    const probed = await probeMedia(out);
    expect(probed.video).toMatchObject({ codec: 'h264', width: 720, height: 528 });
    expect(probed.audio?.codec).toBe('aac');
    expect(probed.durationSec).toBeCloseTo(info.durationSec ?? 0, 0);
    expect(await decodesWhole(out)).toBe('');
  });

  it('fits a GIF by shrinking its picture and frame rate, and it plays through', async () => {
    const dir = makeTempDir('target-gif');
    const source = await talkingClip();
    const info = await probeMedia(source);
    const out = join(dir, 'fit.gif');
    await runPostProcess({ video: source, info }, spec({ format: 'gif', height: 480, targetSizeMB: 0.8 }), out);
    expect(statSync(out).size).toBeLessThanOrEqual(0.8 * MB);
    const probed = await probeMedia(out);
    expect(probed.video?.codec).toBe('gif');
    expect(probed.video?.height).toBeLessThan(480);
    expect(probed.durationSec).toBeGreaterThan(4.5);
    expect(await decodesWhole(out)).toBe('');
  });

  it('says plainly when a size cannot hold the video, and for which formats it works', async () => {
    const source = realMedia('Megamind.avi'); // 11.3 s
    const info = await probeMedia(source);
    const err = await runPostProcess({ video: source, info }, spec({ format: 'h264', targetSizeMB: 0.1 }), join(makeTempDir('target-small'), 'x.mp4')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).message).toMatch(/^Target size: 0\.1 MB is too small for 11\.3 s of video .* Choose at least \d+(\.\d)? MB, or export a shorter render\.$/);
    const r = postProcessSpecSchema.safeParse({ format: 'prores', targetSizeMB: 8 });
    expect(r.success ? [] : r.error.issues.map((i) => i.message)).toEqual(['Target size: works for MP4 (H.264, H.265) and GIF; choose one of those formats or leave the size open']);
  });
});
