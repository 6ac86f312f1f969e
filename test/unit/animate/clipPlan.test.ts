import { describe, expect, it } from 'vitest';
import { LOCAL_ANIMATE_MAX_SECONDS, paddedLength, pingPongIndex, planAnimateClips, processingFrameIndices, type AnimateClipPlan } from '../../../common/animate/clipPlan';
import { animateProcessingSize, animateSizeByArea } from '../../../common/animate/animateSize';

/**
 * Expected values were worked out from the official Wan2.2 wan/animate.py (get_valid_len,
 * inputs_padding, the clip loop in generate) and preprocess/utils.py (resize_by_area fallback,
 * get_frame_indices), commit 42bf4cf, run in Python for these inputs.
 */
function plan(realLen: number, clipLen: number, refertNum: number): AnimateClipPlan {
  const r = planAnimateClips({ sourceFrames: realLen, sourceFps: 30, fps: 30, clipLen, refertNum });
  if (!r.ok) throw new Error(r.problems.join('; '));
  return r.plan;
}

describe('Animate clips: length, overlap and the padding of the last clip (official get_valid_len + loop)', () => {
  it.each([
    // real, clip_len, refert_num, padded length, clip starts, frames each clip adds before the cut
    [150, 77, 1, 153, [0, 76], [77, 76]],
    [77, 77, 1, 77, [0], [77]],
    [78, 77, 1, 153, [0, 76], [77, 76]],
    [10, 77, 1, 77, [0], [77]],
    [200, 77, 5, 221, [0, 72, 144], [77, 72, 72]],
    [6, 5, 1, 9, [0, 4], [5, 4]],
    [300, 81, 5, 309, [0, 76, 152, 228], [81, 76, 76, 76]],
    [73, 9, 5, 73, Array.from({ length: 17 }, (_, i) => 4 * i), [9, ...Array<number>(16).fill(4)]],
    [2, 5, 1, 5, [0], [5]],
  ])('%i frames, clip_len %i, refert_num %i -> padded to %i', (real, L, r, target, starts, adds) => {
    const p = plan(real, L, r);
    expect(p.targetLen).toBe(target);
    expect(paddedLength(real, L, r)).toBe(target);
    expect(p.clips.map((c) => c.start)).toEqual(starts);
    expect(p.clips.map((c) => c.end - c.start - c.guideFrames)).toEqual(adds);
    expect(p.clips.every((c) => c.end - c.start === L)).toBe(true);
    expect(p.clips.at(-1)!.end).toBe(target);
    // Later clips start on the previous clip's last refert_num frames.
    p.clips.slice(1).forEach((c, i) => expect(c.start).toBe(p.clips[i]!.end - r));
    // The cut output covers every real frame exactly once, in order.
    const covered = p.clips.flatMap((c) => Array.from({ length: c.outEnd - c.outStart }, (_, k) => c.outStart + k));
    expect(covered).toEqual(Array.from({ length: real }, (_, k) => k));
  });

  it('pads by ping-pong like the official inputs_padding', () => {
    const seq = (n: number, t: number) => Array.from({ length: t }, (_, i) => pingPongIndex(i, n));
    expect(seq(150, 153).slice(-6)).toEqual([147, 148, 149, 148, 147, 146]);
    expect(seq(78, 153).slice(-6)).toEqual([7, 6, 5, 4, 3, 2]);
    expect(seq(10, 77).slice(-6)).toEqual([1, 0, 1, 2, 3, 4]);
    expect(seq(2, 5)).toEqual([0, 1, 0, 1, 0]);
    expect(seq(3, 9)).toEqual([0, 1, 2, 1, 0, 1, 2, 1, 0]);
    expect(seq(1, 4)).toEqual([0, 0, 0, 0]); // the official loop fails here; one frame repeats
  });
});

describe('processing frames (official get_frame_indices; fps -1 = the source rate)', () => {
  it.each([
    [150, 30, 30, 150, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [147, 148, 149]],
    [100, 25, 30, 120, [0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 8, 9], [98, 98, 99]],
    [100, 30, 25, 83, [0, 1, 2, 4, 5, 6, 7, 8, 10, 11, 12, 13], [96, 97, 98]],
    [97, 29.97, -1, 97, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [94, 95, 96]],
    [61, 24, 16, 40, [0, 2, 3, 4, 6, 8, 9, 10, 12, 14, 15, 16], [56, 57, 58]],
    [10, 60, 25, 4, [0, 2, 5, 7], [2, 5, 7]],
  ])('%i frames at %f fps, processed at %i fps -> %i frames', (n, srcFps, fps, count, head, tail) => {
    const idx = processingFrameIndices(n, srcFps, fps);
    expect(idx.length).toBe(count);
    expect(idx.slice(0, head.length)).toEqual(head);
    expect(idx.slice(-3)).toEqual(tail);
  });
  it('fps -1 renders at the source rate', () => {
    const r = planAnimateClips({ sourceFrames: 97, sourceFps: 29.97, fps: -1, clipLen: 77, refertNum: 1 });
    expect(r.ok && r.plan.fps).toBe(29.97);
  });
});

describe('processing size (official resize_by_area, divisor 16)', () => {
  it.each([
    [1920, 1080, 1280 * 720, 1280, 720],
    [1080, 1920, 1280 * 720, 720, 1280],
    [1024, 1024, 1280 * 720, 960, 960],
    [1024, 768, 1280 * 720, 1104, 816],
    [640, 480, 832 * 480, 720, 544],
    [720, 1280, 832 * 480, 464, 832],
    [1000, 777, 1280 * 720, 1088, 832],
    [333, 500, 1024 * 704, 688, 1040],
  ])('%ix%i in %i px -> %ix%i', (w, h, area, ew, eh) => {
    expect(animateSizeByArea(w, h, area)).toEqual({ width: ew, height: eh });
  });
  it('animation follows the reference image, replacement the driving video', () => {
    const ref = { width: 1024, height: 1024 };
    const video = { width: 1920, height: 1080 };
    expect(animateProcessingSize('animation', ref, video, 1280 * 720)).toEqual({ width: 960, height: 960 });
    expect(animateProcessingSize('replacement', ref, video, 1280 * 720)).toEqual({ width: 1280, height: 720 });
  });
});

describe('a plan is refused before any work, naming the field the user sees', () => {
  const base = { sourceFrames: 150, sourceFps: 30, fps: 30, clipLen: 77, refertNum: 1 };
  const problems = (over: Partial<typeof base>) => {
    const r = planAnimateClips({ ...base, ...over });
    return r.ok ? [] : r.problems;
  };
  it('clip_len not 4n+1', () => {
    expect(problems({ clipLen: 78 })).toEqual(['Frames per clip: 78 is not 4n+1 (like 77 or 81). Pick one of those.']);
  });
  it('refert_num not 1 or 5', () => {
    expect(problems({ refertNum: 3 })).toEqual(['Temporal guidance: 3 frames is not offered; pick 1 or 5 frames.']);
  });
  it('a clip no longer than its guidance frames', () => {
    expect(problems({ clipLen: 5, refertNum: 5 })[0]).toMatch(/^Frames per clip: 5 must be more than the 5 Temporal guidance frames/);
  });
  it('a video longer than the local limit says the limit', () => {
    const p = problems({ sourceFrames: 30 * (LOCAL_ANIMATE_MAX_SECONDS + 1) });
    expect(p).toEqual([`Driving video: 61.0 s is longer than the 60 s limit of a local Animate render. Trim it to 60 s or less, or render it in the cloud.`]);
    expect(problems({ sourceFrames: 30 * LOCAL_ANIMATE_MAX_SECONDS })).toEqual([]);
  });
  it('a video no longer than the guidance frames', () => {
    expect(problems({ sourceFrames: 1 })[0]).toMatch(/^Driving video: 1 frame at the processing rate is too short/);
  });
  it('several problems are all listed', () => {
    expect(problems({ clipLen: 10, refertNum: 2 })).toHaveLength(2);
  });
});
