import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readFrames } from '../../../main/core/media/frameReader';
import { probeMedia } from '../../../main/core/media/probe';
import { materializeAudio, materializeVideo, MODEL_AUDIO_RATE } from '../../../main/core/media/trim';
import { makeTempDir } from '../../helpers/generatedMedia';
import { fixtures } from '../../helpers/mediaFixtures';

/** testsrc2 draws a frame counter; instead we compare frames against a decode at the same time. */
async function frameAt(path: string, sec: number, w: number, h: number): Promise<Buffer> {
  const info = await probeMedia(path);
  for await (const f of readFrames(path, info, { startSec: sec, durationSec: 0.5, width: w, height: h })) return f;
  throw new Error('no frame');
}

const meanAbsDiff = (a: Buffer, b: Buffer) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs((a[i] as number) - (b[i] as number));
  return s / a.length;
};

describe('trimming for a render', () => {
  it('cuts audio to 16 kHz mono for the model and keeps the source rate for the mux, sample-accurately', async () => {
    const dir = makeTempDir('trim-audio');
    const src = fixtures.tone(5, 44100);
    const info = await probeMedia(src);
    const r = await materializeAudio(src, info, { inSec: 1.25, outSec: 3.75 }, { modelWav: join(dir, 'model.wav'), muxWav: join(dir, 'mux.wav') });
    expect(r.durationSec).toBeCloseTo(2.5, 2);
    const model = await probeMedia(r.modelWav);
    const mux = await probeMedia(r.muxWav);
    expect(model.audio).toMatchObject({ sampleRate: MODEL_AUDIO_RATE, channels: 1, codec: 'pcm_s16le' });
    expect(mux.audio).toMatchObject({ sampleRate: 44100, channels: 1 });
    // The mux copy covers the same span, not the rest of the file.
    expect(mux.durationSec).toBeCloseTo(2.5, 2);
    // A canonical 44-byte header, then 16-bit mono samples: exact to within a few samples.
    const wav = readFileSync(r.modelWav);
    expect(wav.subarray(36, 40).toString('latin1')).toBe('data');
    const samples = (wav.length - 44) / 2;
    expect(Math.abs(samples - 2.5 * MODEL_AUDIO_RATE)).toBeLessThanOrEqual(4);
  });

  it('downmixes 8-channel audio to stereo for the mux and mono for the model', async () => {
    const dir = makeTempDir('trim-8ch');
    const info = await probeMedia(fixtures.eightChannel());
    const r = await materializeAudio(fixtures.eightChannel(), info, undefined, { modelWav: join(dir, 'm.wav'), muxWav: join(dir, 'x.wav') });
    expect((await probeMedia(r.muxWav)).audio?.channels).toBe(2);
    expect((await probeMedia(r.modelWav)).audio?.channels).toBe(1);
  });

  it('re-encodes a video span frame-accurately at the target fps and size', async () => {
    const dir = makeTempDir('trim-video');
    const src = fixtures.longGop(); // 4 s at 30 fps, keyframes every 2 s
    const info = await probeMedia(src);
    const r = await materializeVideo(src, info, { inSec: 1.1, outSec: 2.6 }, { fps: -1, width: 320, height: 240, mode: 'fill' }, join(dir, 'cut.mp4'));
    expect(r).toMatchObject({ fps: 30, frames: 45, width: 320, height: 240 });
    expect(r.durationSec).toBeCloseTo(1.5, 1);
    // The first frame of the cut is the source frame at 1.1 s (33), not the keyframe at 0 s or 2 s.
    const first = await frameAt(r.path, 0, 320, 240);
    expect(meanAbsDiff(first, await frameAt(src, 1.1, 320, 240))).toBeLessThan(4);
    expect(meanAbsDiff(first, await frameAt(src, 2.0, 320, 240))).toBeGreaterThan(4);

    const at16 = await materializeVideo(src, info, { inSec: 0, outSec: 2 }, { fps: 16, width: 480, height: 832, mode: 'letterbox' }, join(dir, 'fps16.mp4'));
    expect(at16).toMatchObject({ fps: 16, frames: 32, width: 480, height: 832 });
  });

  it('handles rotated, VFR, odd-sized and 10-bit HEVC sources', async () => {
    const dir = makeTempDir('trim-odd');
    const rot = await materializeVideo(fixtures.rotated(), await probeMedia(fixtures.rotated()), undefined, { fps: 30, width: 240, height: 320, mode: 'fit' }, join(dir, 'rot.mp4'));
    expect(rot).toMatchObject({ width: 240, height: 320, frames: 30 });
    const vfr = await materializeVideo(fixtures.vfr(), await probeMedia(fixtures.vfr()), undefined, { fps: 25, width: 320, height: 240, mode: 'fill' }, join(dir, 'vfr.mp4'));
    expect(vfr.fps).toBe(25);
    expect(Math.abs(vfr.frames - Math.round(vfr.durationSec * 25))).toBeLessThanOrEqual(1);
    const odd = await materializeVideo(fixtures.oddSize(), await probeMedia(fixtures.oddSize()), undefined, { fps: -1, width: 1080, height: 720, mode: 'fit' }, join(dir, 'odd.mp4'));
    expect(odd.width % 2).toBe(0);
    expect(odd.height % 2).toBe(0);
    const hevc = await materializeVideo(fixtures.hevc10(), await probeMedia(fixtures.hevc10()), undefined, { fps: 25, width: 320, height: 240, mode: 'fill' }, join(dir, 'hevc.mp4'));
    expect((await probeMedia(hevc.path)).video).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', bitDepth: 8 });
  });

  it('explains bad trims and inputs without the right stream', async () => {
    const dir = makeTempDir('trim-bad');
    const info = await probeMedia(fixtures.videoWithAudio());
    await expect(materializeVideo(fixtures.videoWithAudio(), info, { inSec: 5, outSec: null }, { fps: 25, width: 320, height: 240, mode: 'fill' }, join(dir, 'x.mp4'), { displayName: 'clip.mp4' })).rejects.toThrow(
      'The in point (5.00 s) is past the end of clip.mp4 (2.00 s). Move it earlier.',
    );
    const audioOnly = await probeMedia(fixtures.audioOnlyMp4());
    await expect(materializeVideo(fixtures.audioOnlyMp4(), audioOnly, undefined, { fps: 25, width: 320, height: 240, mode: 'fill' }, join(dir, 'y.mp4'), { displayName: 'song.mp4' })).rejects.toThrow(
      'song.mp4 has no video stream. Pick a video file.',
    );
    const still = await probeMedia(fixtures.jpeg());
    await expect(materializeAudio(fixtures.jpeg(), still, undefined, { modelWav: join(dir, 'a.wav'), muxWav: join(dir, 'b.wav') }, { displayName: 'photo.jpg' })).rejects.toThrow(
      'photo.jpg has no audio track. Pick a file with sound.',
    );
  });
});
