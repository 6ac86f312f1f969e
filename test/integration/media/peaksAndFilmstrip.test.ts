import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filmstripTimes, makeFilmstrip, makePoster } from '../../../main/core/media/filmstrip';
import { computePeaks, peaksWindow, readPeaksFile, writePeaksFile } from '../../../main/core/media/peaks';
import { probeMedia } from '../../../main/core/media/probe';
import { makeTempDir } from '../../helpers/generatedMedia';
import { fixtures } from '../../helpers/mediaFixtures';

/** Width and height of a JPEG, read from its SOF marker. */
function jpegSize(path: string): { width: number; height: number } {
  const b = readFileSync(path);
  let i = 2;
  while (i < b.length) {
    const marker = b[i + 1] as number;
    const len = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc2) return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    i += 2 + len;
  }
  throw new Error('no SOF marker');
}

describe('waveform peaks', () => {
  it('follow the signal: silence, then a loud tone, at several zoom levels', async () => {
    const dir = makeTempDir('peaks');
    const src = join(dir, 'silence-then-tone.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=stereo:d=1', '-f', 'lavfi', '-i', 'sine=f=1000:d=1:sample_rate=44100', '-filter_complex', '[1]volume=6,aformat=channel_layouts=stereo[t];[0][t]concat=n=2:v=0:a=1', src]);
    const info = await probeMedia(src);
    const peaks = await computePeaks(src, info);
    expect(peaks.sampleRate).toBe(44100);
    expect(peaks.durationSec).toBeCloseTo(2, 1);
    const base = peaks.levels[0];
    expect(base?.samplesPerPeak).toBe(353); // about 125 peaks per second at 44.1 kHz
    expect(base?.min.length).toBe(Math.ceil(88200 / 353));
    // First second silent, second second loud (the sine source is 1/8 scale, ×6, then mixed down from stereo).
    const quiet = Math.max(...Array.from(base?.max.subarray(5, 120) ?? []).map(Math.abs));
    const loud = Math.min(...Array.from(base?.max.subarray(130, 245) ?? []));
    expect(quiet).toBeLessThan(50);
    expect(loud / 32768).toBeGreaterThan(0.4);
    expect(loud / 32768).toBeLessThan(0.8);
    // Each level halves the one before, down to a few hundred peaks at most.
    for (let i = 1; i < peaks.levels.length; i++) {
      expect(peaks.levels[i]?.samplesPerPeak).toBe((peaks.levels[i - 1]?.samplesPerPeak ?? 0) * 2);
      expect(peaks.levels[i]?.min.length).toBe(Math.ceil((peaks.levels[i - 1]?.min.length ?? 0) / 2));
    }
    expect(peaks.levels.at(-1)?.min.length).toBeLessThanOrEqual(512);

    const cache = join(dir, 'cache', 'x.peaks');
    await writePeaksFile(cache, peaks);
    const back = await readPeaksFile(cache);
    expect(back?.levels.map((l) => Array.from(l.max))).toEqual(peaks.levels.map((l) => Array.from(l.max)));
    expect(await readPeaksFile(join(dir, 'missing.peaks'))).toBeNull();

    const win = peaksWindow(peaks, 100, 1, 2);
    expect(win.min.length).toBeLessThanOrEqual(100);
    expect(win.min.length).toBeGreaterThanOrEqual(50);
    expect(peaksWindow(peaks, 10).max).toHaveLength(10);
    expect(win.startSec).toBeCloseTo(1, 1);
    expect(Math.max(...win.max)).toBeGreaterThan(0.4);
  });

  it('reads the audio track of a video, and explains a file without sound', async () => {
    const info = await probeMedia(fixtures.videoWithAudio());
    const peaks = await computePeaks(fixtures.videoWithAudio(), info);
    expect(peaks.durationSec).toBeCloseTo(2, 1);
    const still = await probeMedia(fixtures.jpeg());
    await expect(computePeaks(fixtures.jpeg(), still, { displayName: 'photo.jpg' })).rejects.toThrow('photo.jpg has no audio track, so it has no waveform.');
  });
});

describe('filmstrip and posters', () => {
  it('spaces frames evenly through the video', () => {
    expect(filmstripTimes(10, 5)).toEqual([1, 3, 5, 7, 9]);
  });

  it('makes one strip of N frames at the video aspect, and a poster at the display size', async () => {
    const dir = makeTempDir('strip');
    const info = await probeMedia(fixtures.videoWithAudio());
    const strip = await makeFilmstrip(fixtures.videoWithAudio(), info, join(dir, 'strip.jpg'), { count: 8, height: 60 });
    expect(strip).toEqual({ times: filmstripTimes(2, 8), frameWidth: 80, frameHeight: 60 });
    expect(jpegSize(join(dir, 'strip.jpg'))).toEqual({ width: 640, height: 60 });

    const rotated = await probeMedia(fixtures.rotated());
    await makePoster(fixtures.rotated(), rotated, join(dir, 'poster.jpg'));
    expect(jpegSize(join(dir, 'poster.jpg'))).toEqual({ width: 240, height: 320 });
    await expect(makeFilmstrip(fixtures.audioOnlyMp4(), await probeMedia(fixtures.audioOnlyMp4()), join(dir, 'x.jpg'), { displayName: 'song.mp4' })).rejects.toThrow(
      'song.mp4 is not a video, so it has no filmstrip.',
    );
  });
});
