import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../main/core/contract/errors';
import { assertImportable } from '../../../main/core/media/limits';
import { probeMedia } from '../../../main/core/media/probe';
import { fixtures } from '../../helpers/mediaFixtures';

// Both the bundled (old) ffprobe and the system one must read the same facts.
const debianProbe = { ffprobePath: '/usr/bin/ffprobe' };

async function probeError(path: string, name: string): Promise<StudioError> {
  const e = await probeMedia(path, { displayName: name }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(StudioError);
  return e as StudioError;
}

describe.each([
  ['resolved ffprobe', {}],
  ['system ffprobe', debianProbe],
])('probe with the %s', (_label, tools) => {
  it('reads a video with audio', async () => {
    const info = await probeMedia(fixtures.videoWithAudio(), { tools });
    expect(info).toMatchObject({ kind: 'video', container: 'mp4' });
    expect(info.durationSec).toBeCloseTo(2, 1);
    expect(info.video).toMatchObject({ codec: 'h264', width: 320, height: 240, rotation: 0, pixFmt: 'yuv420p', bitDepth: 8, hasAlpha: false, isVfr: false, frameCount: 50 });
    expect(info.video?.fps).toBe(25);
    expect(info.audio).toMatchObject({ codec: 'aac', sampleRate: 44100, channels: 2 });
  });

  it('reports the display size of a rotated phone clip', async () => {
    const info = await probeMedia(fixtures.rotated(), { tools });
    expect([90, 270]).toContain(info.video?.rotation);
    expect(info.video).toMatchObject({ width: 240, height: 320, codedWidth: 320, codedHeight: 240 });
  });

  it('flags variable frame rate', async () => {
    const info = await probeMedia(fixtures.vfr(), { tools });
    expect(info.video?.isVfr).toBe(true);
    expect(info.video?.rFrameRate).toBe('30/1');
    expect(info.video?.fps).toBeLessThan(25);
  });

  it('reads odd sizes, alpha, 10-bit HEVC and 8-channel audio', async () => {
    expect((await probeMedia(fixtures.oddSize(), { tools })).video).toMatchObject({ width: 1081, height: 721, codec: 'ffv1' });
    expect(await probeMedia(fixtures.alphaPng(), { tools })).toMatchObject({ kind: 'image', container: 'png', durationSec: null, video: { hasAlpha: true, width: 64, height: 48 } });
    expect(await probeMedia(fixtures.jpeg(), { tools })).toMatchObject({ kind: 'image', video: { width: 640, height: 360, hasAlpha: false } });
    expect(await probeMedia(fixtures.webp(), { tools })).toMatchObject({ kind: 'image', video: { width: 200, height: 100 } });
    expect((await probeMedia(fixtures.hevc10(), { tools })).video).toMatchObject({ codec: 'hevc', bitDepth: 10, pixFmt: 'yuv420p10le' });
    expect((await probeMedia(fixtures.eightChannel(), { tools })).audio).toMatchObject({ channels: 8, sampleRate: 48000 });
    expect(await probeMedia(fixtures.audioOnlyMp4(), { tools })).toMatchObject({ kind: 'audio', video: null, audio: { codec: 'aac' } });
  });
});

describe('probe errors', () => {
  it('names the file and the problem for damaged, empty and fake media', async () => {
    expect((await probeError(fixtures.truncatedMp4(), 'holiday.mp4')).message).toBe(
      'holiday.mp4 is incomplete: its index (the MP4 "moov atom") is missing, so it was probably cut off while being written or copied. Copy or export it again.',
    );
    expect((await probeError(fixtures.textAsMp4(), 'notes.mp4')).message).toMatch(/^notes\.mp4 is not a media file Wan Studio can read \(Invalid data found/);
    const empty = await probeError(fixtures.zeroLengthWav(), 'empty.wav');
    expect(empty.code).toBe('unsupported_media');
    expect(empty.message).toMatch(/^empty\.wav is empty: it has no audio samples/);
    expect((await probeError('/nonexistent/gone.mp4', 'gone.mp4')).message).toMatch(/gone\.mp4 is not a media file Wan Studio can read \(.*No such file/);
  });

  it('refuses a 16000×16000 image on import with the size and the limit', async () => {
    const info = await probeMedia(fixtures.hugeImage());
    expect(info.video).toMatchObject({ width: 16000, height: 16000 });
    expect(() => assertImportable(info, 'poster.png')).toThrow('poster.png is 16000×16000 pixels; Wan Studio takes up to 8192 pixels on a side. Scale it down and import it again.');
  });
});
