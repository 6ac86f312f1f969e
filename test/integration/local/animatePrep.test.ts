import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { animateSizeByArea } from '../../../common/animate/animateSize';
import type { FrameDetection } from '../../../common/animate/detection';
import type { PickPoint } from '../../../common/animate/personPick';
import { PreviewDetector, type RgbImage } from '../../../main/core/animate/previewDetector';
import { StudioError } from '../../../main/core/contract/errors';
import { animateParamsSchema } from '../../../main/core/contract/params/index';
import { prepKey, readPrepared, writePrepared } from '../../../main/core/engines/local/animatePrepCache';
import { LocalEngine } from '../../../main/core/engines/local/localEngine';
import { PackStore } from '../../../main/core/engines/local/packStore';
import { prepareAnimate, type AnimatePrepInput, type FrameDetector } from '../../../main/core/engines/local/animatePrep';
import { makeTempDir } from '../../helpers/generatedMedia';
import { realMedia, realPortrait } from '../../helpers/realMedia';

/**
 * The main side of a local Animate render on real media: the real bundled detector in the real
 * worker, real ffmpeg, and the files the worker reads checked for size and content.
 */
const detector = new PreviewDetector();
afterAll(() => detector.dispose());

/** The real detector, counting its calls (how much work ran before a refusal). */
function counting(): FrameDetector & { calls: number } {
  const c = { calls: 0, detect: (f: RgbImage) => (c.calls++, detector.detect(f)) };
  return c;
}

const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);
const media = makeTempDir('animate-prep-media');
/** basketball1.png (two people, full body) held for 1 s at 10 fps: ten frames. */
const twoPeople = join(media, 'basketball.mp4');
ffmpeg('-loop', '1', '-i', realMedia('basketball1.png'), '-t', '1', '-r', '10', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', twoPeople);
const FACE = 32;
const AREA = 512 * 512;

function input(over: Omit<Partial<AnimatePrepInput>, 'params'> & { params?: Record<string, unknown> }): AnimatePrepInput {
  return {
    workDir: makeTempDir('animate-prep-job'),
    video: twoPeople,
    image: realMedia('messi5.jpg'),
    person: null,
    faceSize: FACE,
    ditAttention: { heads: 2, attention: 'multihead' },
    detector: counting(),
    tools: {},
    signal: new AbortController().signal,
    onEvent: () => undefined,
    ...over,
    params: animateParamsSchema.parse({ resolution_width: 512, resolution_height: 512, fps: -1, clip_len: 5, refert_num: 1, ...over.params }),
  };
}

async function refusal(p: Promise<unknown>): Promise<StudioError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(StudioError);
  return e as StudioError;
}

/** Mean x of the lit pixels of one RGB frame. */
function litCentreX(rgb: Uint8Array, width: number): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < rgb.length; i += 3) {
    if (rgb[i]! + rgb[i + 1]! + rgb[i + 2]! === 0) continue;
    sum += (i / 3) % width;
    n++;
  }
  expect(n).toBeGreaterThan(0);
  return sum / n;
}

describe('preparing a local Animate render', { timeout: 180_000 }, () => {
  it('animation: the character letterboxed, poses at its size and one face crop per processing frame, no mask or background', async () => {
    const prep = await prepareAnimate(input({ params: { mode: 'animation' } }));
    const size = animateSizeByArea(548, 342, AREA);
    expect({ width: prep.width, height: prep.height }).toEqual(size);
    expect(prep.realLen).toBe(10);
    expect(prep.fps).toBe(10);
    expect(statSync(prep.refRgb).size).toBe(size.width * size.height * 3);
    expect(statSync(prep.poseRgb).size).toBe(10 * size.width * size.height * 3);
    expect(statSync(prep.faceRgb).size).toBe(10 * FACE * FACE * 3);
    expect([prep.backgroundRgb, prep.maskGray, prep.hasAudio]).toEqual([null, null, false]);
    const firstPose = readFileSync(prep.poseRgb).subarray(0, size.width * size.height * 3);
    expect(firstPose.some((v) => v > 0)).toBe(true);
    // Only the finished files are left: no temp names.
    expect(existsSync(`${prep.poseRgb}.partial`)).toBe(false);
    // A resumed job reuses them while nothing they were made from changed.
    const job = { video: twoPeople, image: realMedia('messi5.jpg'), params: animateParamsSchema.parse({ resolution_width: 512, resolution_height: 512, fps: -1, clip_len: 5, refert_num: 1 }), person: null, faceSize: FACE };
    const workDir = join(prep.poseRgb, '..', '..');
    await writePrepared(workDir, await prepKey(job), prep);
    expect(await readPrepared(workDir, await prepKey(job))).toEqual(prep);
    expect(await readPrepared(workDir, await prepKey({ ...job, person: { x: 0.2, y: 0.5 } }))).toBeNull();
    expect(await readPrepared(workDir, await prepKey({ ...job, params: { ...job.params, mode: 'replacement' } }))).toBeNull();
  });

  it("retarget_flag (animation): the driving pose is redrawn with the character's bone lengths, on the character's canvas", async () => {
    const plain = await prepareAnimate(input({ params: { mode: 'animation', fps: 5 } }));
    const moved = await prepareAnimate(input({ params: { mode: 'animation', fps: 5, retarget_flag: true } }));
    const frame = plain.width * plain.height * 3;
    expect(statSync(moved.poseRgb).size).toBe(5 * frame);
    const a = readFileSync(plain.poseRgb).subarray(0, frame);
    const b = readFileSync(moved.poseRgb).subarray(0, frame);
    expect(b.some((v) => v > 0)).toBe(true);
    expect(a.equals(b)).toBe(false);
  });

  it('replacement: everything at the video size, the mask 255 over the person and the background black there; fps 5 samples every other frame', async () => {
    const prep = await prepareAnimate(input({ params: { mode: 'replacement', fps: 5 } }));
    const size = animateSizeByArea(640, 480, AREA);
    expect({ width: prep.width, height: prep.height }).toEqual(size);
    expect([prep.realLen, prep.fps]).toEqual([5, 5]);
    const px = size.width * size.height;
    expect(statSync(prep.poseRgb).size).toBe(5 * px * 3);
    expect(statSync(prep.faceRgb).size).toBe(5 * FACE * FACE * 3);
    expect(statSync(prep.backgroundRgb!).size).toBe(5 * px * 3);
    expect(statSync(prep.maskGray!).size).toBe(5 * px);
    const mask = readFileSync(prep.maskGray!).subarray(0, px);
    const bg = readFileSync(prep.backgroundRgb!).subarray(0, px * 3);
    const inside = mask.reduce((n, v) => n + (v === 255 ? 1 : 0), 0);
    expect(inside).toBeGreaterThan(px * 0.02);
    expect(mask.every((v) => v === 0 || v === 255)).toBe(true);
    let blackInside = true;
    let litOutside = 0;
    for (let i = 0; i < px; i++) {
      const sum = bg[i * 3]! + bg[i * 3 + 1]! + bg[i * 3 + 2]!;
      if (mask[i]) blackInside &&= sum === 0;
      else if (sum > 0) litOutside++;
    }
    expect(blackInside).toBe(true);
    expect(litOutside).toBeGreaterThan((px - inside) * 0.5);
    // messi5.jpg (16:10) letterboxed into the 4:3 size: black bars above and below, picture in the middle.
    const ref = readFileSync(prep.refRgb);
    expect(ref.subarray(0, size.width * 3).every((v) => v === 0)).toBe(true);
    const mid = ref.subarray((size.height / 2) * size.width * 3, (size.height / 2 + 1) * size.width * 3);
    expect(mid.some((v) => v > 0)).toBe(true);
  });

  it("the person pick decides whose pose is drawn: each of basketball1.png's two players in turn", async () => {
    const size = animateSizeByArea(640, 480, AREA);
    const frame = execFileSync('ffmpeg', ['-v', 'error', '-i', twoPeople, '-frames:v', '1', '-vf', `scale=${size.width}:${size.height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 26 });
    const seen: FrameDetection = await detector.detect({ ...size, rgb: new Uint8Array(frame) });
    expect(seen.people.length).toBeGreaterThanOrEqual(2);
    const centres = seen.people.slice(0, 2).map((p) => ({ x: (p.box.x1 + p.box.x2) / 2, y: (p.box.y1 + p.box.y2) / 2, box: p.box }));
    const drawnAt: number[] = [];
    for (const c of centres) {
      const pick: PickPoint = { x: c.x / size.width, y: c.y / size.height };
      const prep = await prepareAnimate(input({ params: { mode: 'replacement' }, person: pick }));
      const x = litCentreX(readFileSync(prep.poseRgb).subarray(0, size.width * size.height * 3), size.width);
      expect(x).toBeGreaterThan(c.box.x1);
      expect(x).toBeLessThan(c.box.x2);
      drawnAt.push(x);
    }
    expect(Math.abs(drawnAt[0]! - drawnAt[1]!)).toBeGreaterThan(20);
  });

  it('a driving video with nobody in it is refused after a few sampled frames, before the sequences are made', async () => {
    const empty = join(media, 'pattern.mp4');
    ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10:duration=3', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', empty);
    const d = counting();
    const job = input({ video: empty, detector: d, params: { mode: 'replacement' } });
    const e = await refusal(prepareAnimate(job));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toBe(
      'Driving video: no person found in the trimmed driving video (looked at 5 frames between 0.00 s and 2.90 s). Replacement puts your character in place of a person: pick a video or a part of it with a person in view.',
    );
    expect(d.calls).toBe(1 + 5); // the character, then five sampled frames: not the 30 frames
    expect(existsSync(join(job.workDir, 'animate', 'pose.rgb.partial'))).toBe(false);
  });

  it('a character with no body (a head-and-shoulders portrait) is refused before the driving video is read', async () => {
    const d = counting();
    const e = await refusal(prepareAnimate(input({ image: realPortrait(), detector: d })));
    expect(e.message).toBe('Character: Only a head and shoulders are visible in the character image: Animate follows a body, so choose a shot that shows at least the hips.');
    expect(d.calls).toBe(1);
  });

  it("the clip plan's problems are refused before any detection: too long, and too short for the guidance frames", async () => {
    const long = join(media, 'vtest-61s.avi');
    ffmpeg('-i', realMedia('vtest.avi'), '-t', '61', '-c', 'copy', long);
    const d = counting();
    const tooLong = await refusal(prepareAnimate(input({ video: long, detector: d })));
    expect(tooLong.message).toBe('Driving video: 61.0 s is longer than the 60 s limit of a local Animate render. Trim it to 60 s or less, or render it in the cloud.');
    const short = join(media, 'short.mp4');
    ffmpeg('-i', twoPeople, '-t', '0.4', '-c:v', 'libx264', short);
    const tooShort = await refusal(prepareAnimate(input({ video: short, detector: d, params: { refert_num: 5, clip_len: 9 } })));
    expect(tooShort.message).toMatch(/^Driving video: 4 frames at the processing rate is too short; it needs more than the 5 Temporal guidance frames/);
    expect(d.calls).toBe(0);
  });

  it("with a pack made by an older exporter (MatMul attention), a Width and Height whose attention cannot fit in this computer's memory is refused before anything is read or drawn", async () => {
    const d = counting();
    const workDir = makeTempDir('animate-prep-too-large');
    // A pack with very many heads stands for a model far larger than this computer's memory at 512x512.
    const tooLarge = await refusal(prepareAnimate(input({ workDir, detector: d, ditAttention: { heads: 1_000_000, attention: 'matmul' } })));
    expect(tooLarge.message).toMatch(/^Width and Height \d+x\d+ need about [\d,]+ GB for the model's attention over a clip of \d+ frames; this computer has \d+ GB\. Choose a smaller Width and Height/);
    expect(tooLarge.message).toMatch(/exported again with the current one \(wan-export 0\.2\)/);
    expect(d.calls).toBe(0);
    expect(existsSync(join(workDir, 'animate'))).toBe(false);
  });
});

describe('the local engine and Animate', () => {
  it('with no Animate pack installed: not available, and a run is refused before any preparation, saying what to do', async () => {
    const engine = new LocalEngine({ packs: new PackStore(makeTempDir('no-packs')), tools: () => ({}), provider: () => null });
    expect(await engine.availability('animate')).toEqual({ available: false, reason: 'No Animate model pack is installed: import one in Settings → Local engine.' });
    const workDir = makeTempDir('animate-no-pack');
    const e = await refusal(
      engine.run({
        jobId: 'j',
        projectId: 'p',
        app: 'animate',
        params: animateParamsSchema.parse({ seed: 1 }),
        inputs: { video: twoPeople, image: realMedia('messi5.jpg') },
        outputFile: join(workDir, 'out.mp4'),
        workDir,
        signal: new AbortController().signal,
        onEvent: () => undefined,
      }),
    );
    expect([e.code, e.message]).toEqual(['unavailable', 'No Animate model pack is installed: import one in Settings → Local engine, or render in the cloud.']);
    expect(existsSync(join(workDir, 'animate'))).toBe(false);
  });
});
