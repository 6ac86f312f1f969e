import type { Keypoint, PersonBox } from '../../../common/animate/pose';

/**
 * ViTPose wholebody's pre- and post-processing as the official Animate preprocessing has it
 * (research/wan22.md §2.5): an aspect-256/192 crop 1.25x the box, zero padding outside the frame,
 * 192 x 256 input in BGR order with RGB ImageNet statistics (the official channel quirk), and
 * DARK decoding of the 133 heatmaps (11 x 11 Gaussian, log, one Newton step).
 */
export const POSE_W = 192;
export const POSE_H = 256;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

export interface PoseCrop {
  cx: number;
  cy: number;
  /** The crop's size in frame pixels (200 x scale in the official code). */
  w: number;
  h: number;
}

export function poseCrop(box: PersonBox, frameW: number, frameH: number): PoseCrop {
  const bw = box.x2 - box.x1;
  const bh = box.y2 - box.y1;
  // No usable box: the whole frame.
  const b = box.score <= 0 || bw < 10 || bh < 10 ? { x1: 0, y1: 0, x2: frameW, y2: frameH } : box;
  const aspect = POSE_H / POSE_W;
  const size = Math.max((b.x2 - b.x1) * aspect, b.y2 - b.y1);
  return { cx: (b.x1 + b.x2) / 2, cy: (b.y1 + b.y2) / 2, w: (size / aspect) * 1.25, h: size * 1.25 };
}

/** The 192 x 256 input for one crop: CHW, channels B, G, R normalised with the R, G, B statistics. */
export function poseInput(rgb: Uint8Array, width: number, height: number, crop: PoseCrop): Float32Array {
  const out = new Float32Array(3 * POSE_W * POSE_H);
  const plane = POSE_W * POSE_H;
  for (let v = 0; v < POSE_H; v++) {
    const fy = crop.cy - crop.h / 2 + ((v + 0.5) * crop.h) / POSE_H - 0.5;
    for (let u = 0; u < POSE_W; u++) {
      const fx = crop.cx - crop.w / 2 + ((u + 0.5) * crop.w) / POSE_W - 0.5;
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const wx = fx - x0;
      const wy = fy - y0;
      const px = (x: number, y: number, c: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : rgb[(y * width + x) * 3 + c]!);
      for (let c = 0; c < 3; c++) {
        const v00 = px(x0, y0, c) * (1 - wx) + px(x0 + 1, y0, c) * wx;
        const v01 = px(x0, y0 + 1, c) * (1 - wx) + px(x0 + 1, y0 + 1, c) * wx;
        const value = (v00 * (1 - wy) + v01 * wy) / 255;
        // Channel c of the frame is RGB; the model gets BGR: plane 2 - c, normalised with the stats of plane 2 - c.
        const p = 2 - c;
        out[p * plane + v * POSE_W + u] = (value - MEAN[p]!) / STD[p]!;
      }
    }
  }
  return out;
}

/** cv2.GaussianBlur(ksize 11, sigma 0 -> 2.0) on the heatmap zero-padded by 5, edges reflect-101. */
function blurPadded(hm: Float32Array, w: number, h: number): Float32Array {
  const k = 11;
  const r = 5;
  const sigma = 0.3 * ((k - 1) * 0.5 - 1) + 0.8;
  const kernel = Array.from({ length: k }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = kernel.reduce((a, b) => a + b, 0);
  for (let i = 0; i < k; i++) kernel[i]! /= sum;
  const pw = w + 2 * r;
  const ph = h + 2 * r;
  const padded = new Float32Array(pw * ph);
  for (let y = 0; y < h; y++) padded.set(hm.subarray(y * w, y * w + w), (y + r) * pw + r);
  const reflect = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * n - 2 - i : i);
  const tmp = new Float32Array(pw * ph);
  for (let y = 0; y < ph; y++) for (let x = 0; x < pw; x++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += kernel[i]! * padded[y * pw + reflect(x + i - r, pw)]!;
    tmp[y * pw + x] = s;
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += kernel[i]! * tmp[reflect(y + r + i - r, ph) * pw + x + r]!;
    out[y * w + x] = s;
  }
  return out;
}

/** argmax + DARK refinement for one heatmap; returns heatmap coordinates and the peak value. */
export function decodeHeatmap(hm: Float32Array, w: number, h: number): { x: number; y: number; score: number } {
  let best = 0;
  let max = -Infinity;
  for (let i = 0; i < hm.length; i++) if (hm[i]! > max) [max, best] = [hm[i]!, i];
  if (!(max > 0)) return { x: -1, y: -1, score: max };
  let x = best % w;
  let y = Math.floor(best / w);
  const blurred = blurPadded(hm, w, h);
  let bmax = 0;
  for (const v of blurred) bmax = Math.max(bmax, v);
  const log = blurred.map((v) => Math.log(Math.max((v * max) / (bmax || 1), 1e-10)));
  const at = (xx: number, yy: number) => log[yy * w + xx]!;
  if (x > 1 && x < w - 2 && y > 1 && y < h - 2) {
    const dx = 0.5 * (at(x + 1, y) - at(x - 1, y));
    const dy = 0.5 * (at(x, y + 1) - at(x, y - 1));
    const dxx = 0.25 * (at(x + 2, y) - 2 * at(x, y) + at(x - 2, y));
    const dxy = 0.25 * (at(x + 1, y + 1) - at(x + 1, y - 1) - at(x - 1, y + 1) + at(x - 1, y - 1));
    const dyy = 0.25 * (at(x, y + 2) - 2 * at(x, y) + at(x, y - 2));
    const det = dxx * dyy - dxy * dxy;
    if (det !== 0) {
      x -= (dyy * dx - dxy * dy) / det;
      y -= (-dxy * dx + dxx * dy) / det;
    }
  }
  return { x, y, score: max };
}

/** All 133 keypoints of one person in frame pixels, from heatmaps [133, hh, hw]. */
export function decodePose(heatmaps: Float32Array, joints: number, hh: number, hw: number, crop: PoseCrop): Keypoint[] {
  const points: Keypoint[] = [];
  for (let j = 0; j < joints; j++) {
    const d = decodeHeatmap(heatmaps.subarray(j * hh * hw, (j + 1) * hh * hw), hw, hh);
    points.push({ x: (d.x * crop.w) / hw + crop.cx - crop.w / 2, y: (d.y * crop.h) / hh + crop.cy - crop.h / 2, score: d.score });
  }
  return points;
}
