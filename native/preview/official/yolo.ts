import { linearAxis } from '../../../common/animate/linearAxis';
import type { PersonBox } from '../../../common/animate/pose';

/**
 * The official YOLOv10m person detector's pre- and post-processing (research/wan22.md §2.5):
 * plain resize to 640 x 640 (no letterbox), RGB / 255, CHW; boxes back to the frame by W/640,
 * H/640; confidence >= 0.05; NMS at IoU 0.5; class 0 (person) only.
 */
export const YOLO_SIZE = 640;
const CONF = 0.05;
const IOU = 0.5;

/** Bilinear resize of RGB bytes (half-pixel centres, as cv2.resize INTER_LINEAR) to size x size, as CHW floats / 255. */
export function yoloInput(rgb: Uint8Array, width: number, height: number): Float32Array {
  const S = YOLO_SIZE;
  const out = new Float32Array(3 * S * S);
  const ax = linearAxis(width, S);
  const ay = linearAxis(height, S);
  for (let y = 0; y < S; y++) {
    const row0 = ay.i0[y]! * width;
    const row1 = ay.i1[y]! * width;
    const wy = ay.w[y]!;
    for (let x = 0; x < S; x++) {
      const wx = ax.w[x]!;
      const i00 = (row0 + ax.i0[x]!) * 3;
      const i01 = (row0 + ax.i1[x]!) * 3;
      const i10 = (row1 + ax.i0[x]!) * 3;
      const i11 = (row1 + ax.i1[x]!) * 3;
      for (let c = 0; c < 3; c++) {
        const a = rgb[i00 + c]! * (1 - wx) + rgb[i01 + c]! * wx;
        const b = rgb[i10 + c]! * (1 - wx) + rgb[i11 + c]! * wx;
        out[c * S * S + y * S + x] = (a * (1 - wy) + b * wy) / 255;
      }
    }
  }
  return out;
}

const iou = (a: PersonBox, b: PersonBox) => {
  const ix = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const iy = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = ix * iy;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
};

/** Greedy NMS by score (cv2.dnn.NMSBoxes). */
export function nms(boxes: PersonBox[], threshold = IOU): PersonBox[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: PersonBox[] = [];
  for (const b of sorted) if (kept.every((k) => iou(k, b) <= threshold)) kept.push(b);
  return kept;
}

/**
 * Person boxes in frame pixels from either output layout the official code accepts:
 * [1, N, 6] (x1, y1, x2, y2, score, class; YOLOv10 end-to-end) or [1, 84, N] (cx, cy, w, h, 80 scores).
 */
export function yoloPeople(output: Float32Array, dims: readonly number[], width: number, height: number): PersonBox[] {
  const kx = width / YOLO_SIZE;
  const ky = height / YOLO_SIZE;
  const found: PersonBox[] = [];
  if (dims.length === 3 && dims[2] === 6) {
    for (let i = 0; i < dims[1]!; i++) {
      const [x1, y1, x2, y2, score, cls] = output.subarray(i * 6, i * 6 + 6);
      if (score! >= CONF && Math.round(cls!) === 0) found.push({ x1: x1! * kx, y1: y1! * ky, x2: x2! * kx, y2: y2! * ky, score: score! });
    }
  } else if (dims.length === 3 && dims[1] === 84) {
    const n = dims[2]!;
    for (let i = 0; i < n; i++) {
      const score = output[4 * n + i]!;
      let best = score;
      for (let c = 1; c < 80; c++) best = Math.max(best, output[(4 + c) * n + i]!);
      if (score < CONF || score < best) continue; // person must be the top class
      const [cx, cy, w, h] = [output[i]!, output[n + i]!, output[2 * n + i]!, output[3 * n + i]!];
      found.push({ x1: (cx - w / 2) * kx, y1: (cy - h / 2) * ky, x2: (cx + w / 2) * kx, y2: (cy + h / 2) * ky, score });
    }
  } else {
    throw new Error(`The detector's output has shape [${dims.join(', ')}]; expected [1, N, 6] or [1, 84, N].`);
  }
  return nms(found).map((b) => ({ x1: Math.max(0, b.x1), y1: Math.max(0, b.y1), x2: Math.min(width, b.x2), y2: Math.min(height, b.y2), score: b.score }));
}
