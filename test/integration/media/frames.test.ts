import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFrames } from '../../../main/core/media/frameReader';
import { createFrameWriter } from '../../../main/core/media/frameWriter';
import { probeMedia } from '../../../main/core/media/probe';
import { runProcess } from '../../../main/core/media/runProcess';
import { makeTempDir } from '../../helpers/generatedMedia';
import { fixtures } from '../../helpers/mediaFixtures';
import { processesMentioning } from '../../helpers/processes';

/** A moving gradient: frame i is shifted by i pixels, so frames differ and order is checkable. */
function gradientFrame(w: number, h: number, i: number): Buffer {
  const f = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      f[o] = (x + i * 4) & 255;
      f[o + 1] = (y * 2) & 255;
      f[o + 2] = 128;
    }
  }
  return f;
}

const meanAbsDiff = (a: Buffer, b: Buffer) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs((a[i] as number) - (b[i] as number));
  return s / a.length;
};

describe('frame I/O', () => {
  it('reads every frame as one RGB24 buffer, and stops ffmpeg when the reader stops early', async () => {
    const dir = makeTempDir('frames-read');
    const src = join(dir, 'clip.mp4');
    copyFileSync(fixtures.videoWithAudio(), src);
    const info = await probeMedia(src);
    let count = 0;
    for await (const f of readFrames(src, info)) {
      expect(f.length).toBe(320 * 240 * 3);
      count++;
    }
    expect(count).toBe(50);
    let seen = 0;
    for await (const f of readFrames(src, info, { width: 160, height: 120 })) {
      expect(f.length).toBe(160 * 120 * 3);
      if (++seen === 3) break;
    }
    // No wait needed: breaking out runs the reader's finally, which kills ffmpeg and awaits its exit.
    expect(processesMentioning(dir)).toEqual([]);
  });

  it('encodes written frames with the audio muxed, never longer than the audio, with the settings in the metadata', async () => {
    const dir = makeTempDir('frames-write');
    const out = join(dir, 'render.mp4');
    const audio = fixtures.tone(1.5, 44100);
    const writer = await createFrameWriter({ output: out, width: 320, height: 240, fps: 25, audio, metadata: { app: 's2v', seed: 42, prompt: 'hello "world"' } });
    const frames = Array.from({ length: 60 }, (_, i) => gradientFrame(320, 240, i)); // 2.4 s of picture
    for (const f of frames) await writer.write(f);
    expect(await writer.finish()).toEqual({ frames: 60 });
    const info = await probeMedia(out);
    expect(info.video).toMatchObject({ codec: 'h264', width: 320, height: 240, pixFmt: 'yuv420p', fps: 25 });
    expect(info.audio).toMatchObject({ codec: 'aac' });
    expect(info.durationSec).toBeLessThanOrEqual(1.6);
    expect(info.durationSec).toBeGreaterThanOrEqual(1.4);
    const tags = await runProcess('ffprobe', ['-v', 'error', '-show_entries', 'format_tags', '-of', 'json', out]);
    const comment = (JSON.parse(tags.stdout.toString()) as { format: { tags: Record<string, string> } }).format.tags.comment;
    expect(JSON.parse(comment ?? '{}')).toEqual({ app: 's2v', seed: 42, prompt: 'hello "world"' });

    // What comes back out is what went in, up to H.264's loss.
    let i = 0;
    for await (const f of readFrames(out, info)) {
      expect(meanAbsDiff(f, frames[i] as Buffer)).toBeLessThan(6);
      i++;
    }
    expect(i).toBe(Math.round((info.durationSec ?? 0) * 25));
  });

  it('rejects a frame of the wrong size, and abort leaves no file and no process', async () => {
    const dir = makeTempDir('frames-abort');
    const writer = await createFrameWriter({ output: join(dir, 'x.mp4'), width: 64, height: 48, fps: 10 });
    await expect(writer.write(Buffer.alloc(10))).rejects.toThrow('A frame of 10 bytes does not match 64x48 RGB (9216 bytes).');
    await writer.write(gradientFrame(64, 48, 0));
    await writer.abort();
    expect(readdirSync(dir)).toEqual([]);
    expect(processesMentioning(dir)).toEqual([]);
    await expect(createFrameWriter({ output: join(dir, 'y.mp4'), width: 63, height: 48, fps: 10 })).rejects.toThrow('Frame size 63x48: both sides must be even for H.264.');
  });
});
