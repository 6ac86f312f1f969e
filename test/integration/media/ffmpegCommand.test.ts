import { existsSync, readdirSync, rmSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../main/core/contract/errors';
import { startFfmpeg, runFfmpeg } from '../../../main/core/media/ffmpegCommand';
import { fileUrl } from '../../../main/core/media/fileUrl';
import { materializeAudio, materializeVideo } from '../../../main/core/media/trim';
import { probeMedia } from '../../../main/core/media/probe';
import type { FfmpegProgress } from '../../../main/core/media/progress';
import { makeTempDir } from '../../helpers/generatedMedia';
import { fixtures } from '../../helpers/mediaFixtures';
import { isAlive, processesMentioning } from '../../helpers/processes';

const encodeArgs = (seconds: number) => (tmp: string[]) => [
  '-f', 'lavfi', '-i', `testsrc2=s=640x360:r=30:d=${seconds}`, '-c:v', 'libx264', '-preset', 'medium', fileUrl(tmp[0] as string),
];

describe('the ffmpeg command layer', () => {
  it('reports typed progress that only goes up and ends at 100%, then renames the output into place', async () => {
    const dir = makeTempDir('cmd-progress');
    const out = join(dir, 'result.mp4');
    const seen: FfmpegProgress[] = [];
    await runFfmpeg({ label: 'Encoding a test clip', outputs: [out], args: encodeArgs(3), durationSec: 3, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(1);
    const percents = seen.map((p) => p.percent ?? -1);
    for (let i = 1; i < percents.length; i++) expect(percents[i]).toBeGreaterThanOrEqual(percents[i - 1] as number);
    expect(seen.at(-1)).toMatchObject({ done: true, percent: 100 });
    expect(seen.at(-1)?.frame).toBe(90);
    expect(seen.some((p) => p.outTimeSec > 0)).toBe(true);
    expect(readdirSync(dir)).toEqual(['result.mp4']);
    expect((await probeMedia(out)).video?.frameCount).toBe(90);
  });

  it('cancel kills ffmpeg and removes the partial output', async () => {
    const dir = makeTempDir('cmd-cancel');
    const controller = new AbortController();
    const run = startFfmpeg({
      label: 'Encoding a long clip',
      outputs: [join(dir, 'long.mp4')],
      args: encodeArgs(120),
      durationSec: 120,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.outTimeSec > 0) controller.abort();
      },
    });
    const pid = run.child.pid as number;
    const err = await run.done.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('cancelled');
    expect((err as StudioError).message).toBe('Encoding a long clip was cancelled.');
    expect(isAlive(pid)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a failure keeps the reason from the stderr tail, removes the partial output and names the job', async () => {
    const dir = makeTempDir('cmd-fail');
    const err = await runFfmpeg({
      label: 'Encoding with a missing encoder',
      outputs: [join(dir, 'x.mp4')],
      args: (tmp) => ['-f', 'lavfi', '-i', 'testsrc2=d=1', '-c:v', 'no_such_encoder', fileUrl(tmp[0] as string)],
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('unavailable');
    expect((err as StudioError).message).toMatch(/^Encoding with a missing encoder failed: this ffmpeg lacks a feature it needs \(Unknown encoder 'no_such_encoder'\)/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('aborting a trim through the public API leaves no process and no temp file behind', async () => {
    const dir = makeTempDir('cmd-trim-cancel');
    const src = join(dir, 'source.mp4');
    await runFfmpeg({ label: 'Making a source', outputs: [src], args: encodeArgs(20), durationSec: 20 });
    const info = await probeMedia(src);
    const controller = new AbortController();
    const trimmed = materializeVideo(src, info, { inSec: 1, outSec: 19 }, { fps: 30, width: 1280, height: 720, mode: 'fill' }, join(dir, 'out', 'trim.mp4'), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.outTimeSec > 0.2) controller.abort();
      },
    });
    await expect(trimmed).rejects.toMatchObject({ code: 'cancelled' });
    expect(processesMentioning(dir)).toEqual([]);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });

  it('a source deleted before the job gets a typed error; one deleted while ffmpeg reads it still finishes', async () => {
    const dir = makeTempDir('cmd-deleted');
    const gone = join(dir, 'gone.wav');
    copyFileSync(fixtures.tone(3), gone);
    const info = await probeMedia(gone);
    rmSync(gone);
    const err = await materializeAudio(gone, info, undefined, { modelWav: join(dir, 'm.wav'), muxWav: join(dir, 'x.wav') }, { displayName: 'speech.wav' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'not_found' });
    expect((err as StudioError).message).toMatch(/^Preparing the audio of speech\.wav failed: a file it needs is missing/);
    expect(readdirSync(dir)).toEqual([]);

    // On Linux an open file lives on after unlink: the job completes with the full result.
    const src = join(dir, 'long.mp4');
    await runFfmpeg({ label: 'Making a source', outputs: [src], args: encodeArgs(8), durationSec: 8 });
    const longInfo = await probeMedia(src);
    let deleted = false;
    const result = await materializeVideo(src, longInfo, undefined, { fps: 30, width: 320, height: 180, mode: 'fill' }, join(dir, 'small.mp4'), {
      onProgress: () => {
        if (!deleted) {
          deleted = true;
          rmSync(src);
        }
      },
    });
    expect(deleted).toBe(true);
    expect(result.frames).toBe(240);
    expect(existsSync(src)).toBe(false);
  });
});
