import type { Keypoint, PersonPose } from './pose';

/**
 * The pose picture Wan Animate conditions on (draw_aapose_by_meta_new, stickwidth 'v2',
 * threshold 0.5; research/wan22.md §2.5): on a black RGB canvas, 19 limbs as filled ellipses in
 * the OpenPose palette at 60% brightness, joints as filled circles in full colour, hands as thin
 * HSV-coloured lines with blue joints. Pure pixels, so the worker (render) and the CLI (preview)
 * draw the same thing.
 */
export interface RgbCanvas {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** 1-based OpenPose limb pairs over the 20-point body (feet last). */
const LIMBS: readonly (readonly [number, number])[] = [
  [2, 3], [2, 6], [3, 4], [4, 5], [6, 7], [7, 8], [2, 9], [9, 10], [10, 11], [2, 12],
  [12, 13], [13, 14], [2, 1], [1, 15], [15, 17], [1, 16], [16, 18], [14, 19], [11, 20],
];

export const POSE_COLORS: readonly (readonly [number, number, number])[] = [
  [255, 0, 0], [255, 85, 0], [255, 170, 0], [255, 255, 0], [170, 255, 0], [85, 255, 0], [0, 255, 0],
  [0, 255, 85], [0, 255, 170], [0, 255, 255], [0, 170, 255], [0, 85, 255], [0, 0, 255], [85, 0, 255],
  [170, 0, 255], [255, 0, 255], [255, 0, 170], [255, 0, 85], [200, 200, 0], [100, 100, 0],
];

const HAND_EDGES: readonly (readonly [number, number])[] = [
  [0, 1], [1, 2], [2, 3], [3, 4], [0, 5], [5, 6], [6, 7], [7, 8], [0, 9], [9, 10],
  [10, 11], [11, 12], [0, 13], [13, 14], [14, 15], [15, 16], [0, 17], [17, 18], [18, 19], [19, 20],
];

export const POSE_THRESHOLD = 0.5;

export function blankCanvas(width: number, height: number): RgbCanvas {
  return { width, height, data: new Uint8Array(width * height * 3) };
}

export function bodyStickWidth(width: number, height: number): number {
  return Math.max(Math.trunc(Math.min(width, height) / 200) - 1, 1);
}

function setPixel(c: RgbCanvas, x: number, y: number, rgb: readonly number[]): void {
  if (x < 0 || y < 0 || x >= c.width || y >= c.height) return;
  const i = (y * c.width + x) * 3;
  c.data[i] = rgb[0]!;
  c.data[i + 1] = rgb[1]!;
  c.data[i + 2] = rgb[2]!;
}

/** cv2.ellipse2Poly with a 1 degree step: rounded points, consecutive duplicates dropped. */
function ellipsePolygon(cx: number, cy: number, a: number, b: number, angleDeg: number): [number, number][] {
  const t = (angleDeg * Math.PI) / 180;
  const [ca, sa] = [Math.cos(t), Math.sin(t)];
  const points: [number, number][] = [];
  for (let d = 0; d <= 360; d++) {
    const u = (d * Math.PI) / 180;
    const x = Math.round(cx + a * Math.cos(u) * ca - b * Math.sin(u) * sa);
    const y = Math.round(cy + a * Math.cos(u) * sa + b * Math.sin(u) * ca);
    const last = points[points.length - 1];
    if (!last || last[0] !== x || last[1] !== y) points.push([x, y]);
  }
  return points;
}

/** Fills a convex polygon row by row, edges included (as cv2.fillConvexPoly). */
function fillConvex(c: RgbCanvas, poly: readonly [number, number][], rgb: readonly number[]): void {
  const ys = poly.map((p) => p[1]);
  const top = Math.max(0, Math.min(...ys));
  const bottom = Math.min(c.height - 1, Math.max(...ys));
  for (let y = top; y <= bottom; y++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < poly.length; i++) {
      const [x0, y0] = poly[i]!;
      const [x1, y1] = poly[(i + 1) % poly.length]!;
      if ((y < y0 && y < y1) || (y > y0 && y > y1)) continue;
      const xs = y0 === y1 ? [x0, x1] : [x0 + ((y - y0) * (x1 - x0)) / (y1 - y0)];
      for (const x of xs) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
    for (let x = Math.max(0, Math.round(lo)); x <= Math.min(c.width - 1, Math.round(hi)); x++) setPixel(c, x, y, rgb);
  }
}

function fillCircle(c: RgbCanvas, cx: number, cy: number, r: number, rgb: readonly number[]): void {
  for (let y = -r; y <= r; y++) for (let x = -r; x <= r; x++) if (x * x + y * y <= r * r + r) setPixel(c, cx + x, cy + y, rgb);
}

/** A line `thickness` pixels wide: round caps, as cv2.line with thickness > 1. */
function thickLine(c: RgbCanvas, x0: number, y0: number, x1: number, y1: number, thickness: number, rgb: readonly number[]): void {
  const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
  const r = Math.max(0, Math.floor(thickness / 2));
  for (let s = 0; s <= steps; s++) {
    const x = Math.round(x0 + ((x1 - x0) * s) / steps);
    const y = Math.round(y0 + ((y1 - y0) * s) / steps);
    if (r === 0) setPixel(c, x, y, rgb);
    else fillCircle(c, x, y, r, rgb);
  }
}

/** HSV (h in [0,1), s = v = 1) to RGB 0..255, as matplotlib.colors.hsv_to_rgb * 255. */
function hue(h: number): [number, number, number] {
  const i = Math.floor(h * 6);
  const f = h * 6 - i;
  const q = 1 - f;
  const [r, g, b] = [[1, f, 0], [q, 1, 0], [0, 1, f], [0, q, 1], [f, 0, 1], [1, 0, q]][i % 6]!;
  return [Math.trunc(r! * 255), Math.trunc(g! * 255), Math.trunc(b! * 255)];
}

function drawBody(c: RgbCanvas, body: readonly Keypoint[], stick: number, threshold: number): void {
  LIMBS.forEach(([a, b], i) => {
    const p = body[a - 1];
    const q = body[b - 1];
    if (!p || !q || p.score < threshold || q.score < threshold) return;
    const length = Math.hypot(p.x - q.x, p.y - q.y);
    const angle = Math.trunc((Math.atan2(p.y - q.y, p.x - q.x) * 180) / Math.PI);
    const poly = ellipsePolygon(Math.trunc((p.x + q.x) / 2), Math.trunc((p.y + q.y) / 2), Math.trunc(length / 2), stick, angle);
    fillConvex(c, poly, POSE_COLORS[i]!.map((v) => Math.trunc(v * 0.6)));
  });
  body.forEach((k, i) => {
    if (k.score >= threshold && i < POSE_COLORS.length) fillCircle(c, Math.trunc(k.x), Math.trunc(k.y), stick, POSE_COLORS[i]!);
  });
}

function drawHand(c: RgbCanvas, hand: readonly Keypoint[], width: number): void {
  HAND_EDGES.forEach(([a, b], i) => {
    const p = hand[a]!;
    const q = hand[b]!;
    if (p.score < POSE_THRESHOLD || q.score < POSE_THRESHOLD) return;
    if (p.x <= 0.01 || p.y <= 0.01 || q.x <= 0.01 || q.y <= 0.01) return;
    thickLine(c, Math.trunc(p.x), Math.trunc(p.y), Math.trunc(q.x), Math.trunc(q.y), width, hue(i / HAND_EDGES.length));
  });
  for (const k of hand) if (k.score >= POSE_THRESHOLD && k.x > 0.01 && k.y > 0.01) fillCircle(c, Math.trunc(k.x), Math.trunc(k.y), width, [0, 0, 255]);
}

/**
 * Draws one person onto `canvas` (in place) and returns it. `threshold` is Wan's 0.5 for ViTPose
 * scores; the bundled MoveNet model scores the same joints lower, so its previews pass 0.3.
 */
export function drawPose(canvas: RgbCanvas, pose: PersonPose, threshold: number = POSE_THRESHOLD): RgbCanvas {
  drawBody(canvas, pose.body, bodyStickWidth(canvas.width, canvas.height), threshold);
  // draw_aapose_by_meta_new passes hand_stick_width=4 explicitly.
  if (pose.leftHand) drawHand(canvas, pose.leftHand, 4);
  if (pose.rightHand) drawHand(canvas, pose.rightHand, 4);
  return canvas;
}
