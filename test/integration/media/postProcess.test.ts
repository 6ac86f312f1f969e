import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postProcessSpecSchema, type PostProcessSpec } from '../../../main/core/contract/postProcess';
import { concatVideos } from '../../../main/core/media/concat';
import { measureLoudness } from '../../../main/core/media/loudnorm';
import { runPostProcess } from '../../../main/core/media/postProcess';
import { probeMedia } from '../../../main/core/media/probe';
import { runProcess } from '../../../main/core/media/runProcess';
import { materializeVideo } from '../../../main/core/media/trim';
import { makeTempDir } from '../../helpers/generatedMedia';
import { fixtures } from '../../helpers/mediaFixtures';

const spec = (s: Partial<PostProcessSpec> & { format: PostProcessSpec['format'] }): PostProcessSpec => postProcessSpecSchema.parse(s);

async function formatTags(path: string): Promise<Record<string, string>> {
  const r = await runProcess('ffprobe', ['-v', 'error', '-show_entries', 'format_tags:stream=codec_tag_string,profile', '-of', 'json', path]);
  const j = JSON.parse(r.stdout.toString()) as { format: { tags?: Record<string, string> }; streams: Array<{ codec_tag_string: string; profile?: string }> };
  return { ...j.format.tags, codec_tag: j.streams[0]?.codec_tag_string ?? '', profile: j.streams[0]?.profile ?? '' };
}

describe('export presets', () => {
  it.each([
    ['h264', '.mp4', { video: { codec: 'h264', pixFmt: 'yuv420p' }, audio: { codec: 'aac' } }],
    ['h265', '.mp4', { video: { codec: 'hevc' }, audio: { codec: 'aac' } }],
    ['prores', '.mov', { video: { codec: 'prores', pixFmt: 'yuv422p10le' }, audio: { codec: 'pcm_s16le' } }],
    ['vp9', '.webm', { video: { codec: 'vp9' }, audio: { codec: 'opus' } }],
    ['gif', '.gif', { video: { codec: 'gif' }, audio: null }],
  ] as const)('%s produces what it says', async (format, ext, expected) => {
    const dir = makeTempDir(`preset-${format}`);
    const src = fixtures.videoWithAudio();
    const out = join(dir, `out${ext}`);
    const progress: number[] = [];
    await runPostProcess({ video: src, info: await probeMedia(src) }, spec({ format }), out, { metadata: { seed: 7 }, onProgress: (p) => progress.push(p.percent ?? 0) });
    const info = await probeMedia(out);
    expect(info).toMatchObject(expected);
    expect(info.durationSec).toBeCloseTo(2, 0);
    expect(progress.at(-1)).toBe(100);
    const tags = await formatTags(out);
    if (format === 'h265') expect(tags.codec_tag).toBe('hvc1');
    if (format === 'prores') expect(tags.profile).toMatch(/HQ/);
    if (format !== 'gif') expect(JSON.parse(tags.comment ?? tags.COMMENT ?? '{}')).toEqual({ seed: 7 });
  });

  it('converts frame rates by repeating or interpolating frames, and scales with lanczos', async () => {
    const dir = makeTempDir('preset-fps');
    const src = fixtures.videoWithAudio();
    const info = await probeMedia(src);
    await runPostProcess({ video: src, info }, spec({ format: 'h264', fps: { target: 60, method: 'repeat' }, height: 1080 }), join(dir, 'a.mp4'));
    expect((await probeMedia(join(dir, 'a.mp4'))).video).toMatchObject({ fps: 60, width: 1440, height: 1080 });
    // Smaller sizes for sharing keep the aspect ratio (even width).
    await runPostProcess({ video: src, info }, spec({ format: 'h264', height: 480 }), join(dir, 's.mp4'));
    expect((await probeMedia(join(dir, 's.mp4'))).video).toMatchObject({ width: 640, height: 480 });
    await runPostProcess({ video: src, info }, spec({ format: 'h264', fps: { target: 30, method: 'interpolate' } }), join(dir, 'b.mp4'));
    const b = await probeMedia(join(dir, 'b.mp4'));
    expect(b.video?.fps).toBe(30);
    expect(Math.abs((b.video?.frameCount ?? 0) - 60)).toBeLessThanOrEqual(2);
  });

  it('muxes a separate audio track so the picture never outruns the sound', async () => {
    const dir = makeTempDir('preset-mux');
    const video = fixtures.videoWithAudio(); // 2 s
    const audio = fixtures.tone(1.5, 44100);
    await runPostProcess({ video, info: await probeMedia(video), audio: { path: audio, info: await probeMedia(audio) } }, spec({ format: 'h264' }), join(dir, 'muxed.mp4'));
    const out = await probeMedia(join(dir, 'muxed.mp4'));
    expect(out.durationSec).toBeLessThanOrEqual(1.55);
    expect(out.audio?.codec).toBe('aac');
  });

  it('normalises loudness to -16 LUFS in two passes', async () => {
    const dir = makeTempDir('preset-loud');
    const video = fixtures.videoWithAudio(); // a quiet 1/8-scale sine
    const before = await measureLoudness(video);
    await runPostProcess({ video, info: await probeMedia(video) }, spec({ format: 'h264', loudnorm: true }), join(dir, 'loud.mp4'));
    const after = await measureLoudness(join(dir, 'loud.mp4'));
    expect(Math.abs(Number(after.input_i) - -16)).toBeLessThan(1.5);
    expect(Math.abs(Number(before.input_i) - -16)).toBeGreaterThan(2);
  });

  it('refuses options outside the presets with a message naming the field', () => {
    const r = postProcessSpecSchema.safeParse({ format: 'avi', fps: { target: 48, method: 'repeat' } });
    expect(r.success).toBe(false);
    const messages = r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toContain('format: must be one of h264, h265, prores, vp9, gif');
    expect(messages).toContain('fps.target: must be one of 24, 25, 30, 60');
  });
});

describe('joining chunks', () => {
  it('copies packets when the chunks match, and re-encodes when they do not', async () => {
    const dir = makeTempDir('concat');
    const src = fixtures.longGop();
    const info = await probeMedia(src);
    const target = { fps: 30, width: 320, height: 240, mode: 'fill' as const };
    const a = await materializeVideo(src, info, { inSec: 0, outSec: 1 }, target, join(dir, "chunk 'a'.mp4"));
    const b = await materializeVideo(src, info, { inSec: 1, outSec: 2 }, target, join(dir, 'chunk b.mp4'));
    const joined = await concatVideos([a.path, b.path], join(dir, 'joined.mp4'));
    expect(joined.reencoded).toBe(false);
    const j = await probeMedia(join(dir, 'joined.mp4'));
    expect(j.video?.frameCount).toBe(60);
    const c = await materializeVideo(src, info, { inSec: 2, outSec: 3 }, { ...target, width: 160, height: 120 }, join(dir, 'small.mp4'));
    const mixed = await concatVideos([a.path, c.path], join(dir, 'mixed.mp4'));
    expect(mixed.reencoded).toBe(true);
    expect((await probeMedia(join(dir, 'mixed.mp4'))).video).toMatchObject({ width: 320, height: 240 });
  });
});
