import { BODY, type Keypoint, type PersonPose } from './pose';
import { linearAxis } from './linearAxis';

/**
 * The 512 x 512 face crop Wan Animate's face encoder sees (research/wan22.md §2.4 step 3): the
 * landmarks' box, its area grown 1.3x with the aspect kept, three quarters of the extra height
 * added above (foreheads), clipped to the frame, truncated to whole pixels, then stretched to
 * 512 x 512 (bilinear, aspect not preserved).
 */
export const FACE_CROP_SIZE = 512;

export interface CropRect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** The official crop rectangle from landmark points; null when no point is usable. */
export function faceCropRect(points: readonly Keypoint[], frameWidth: number, frameHeight: number): CropRect | null {
  const usable = points.filter((p) => p.score > 0 && Number.isFinite(p.x) && Number.isFinite(p.y));
  if (usable.length === 0) return null;
  const minX = Math.min(...usable.map((p) => p.x));
  const maxX = Math.max(...usable.map((p) => p.x));
  const minY = Math.min(...usable.map((p) => p.y));
  const maxY = Math.max(...usable.map((p) => p.y));
  const w = maxX - minX;
  const h = maxY - minY;
  const dx = (w * Math.sqrt(1.3) - w) / 2;
  const dy = (h * Math.sqrt(1.3) - h) / 4;
  const x0 = Math.trunc(Math.max(0, minX - dx));
  const x1 = Math.trunc(Math.min(frameWidth, maxX + dx));
  const y0 = Math.trunc(Math.max(0, minY - 3 * dy));
  const y1 = Math.trunc(Math.min(frameHeight, maxY + dy));
  return x1 > x0 && y1 > y0 ? { x0, y0, x1, y1 } : null;
}

/**
 * Body-only models (the bundled preview model) have no face landmarks: the head's points (nose,
 * eyes, ears) stand in for them, widened to a face's proportions (about 1.2 ear spans tall), so
 * the preview shows roughly the crop the official landmarks would give. Says so in the UI.
 */
export function headLandmarks(pose: PersonPose): Keypoint[] {
  if (pose.face) return pose.face.filter((p) => p.score > 0.3);
  const head = [BODY.Nose, BODY.REye, BODY.LEye, BODY.REar, BODY.LEar].map((i) => pose.body[i]!).filter((p) => p.score > 0.3);
  if (head.length < 2) return [];
  const xs = head.map((p) => p.x);
  const span = Math.max(...xs) - Math.min(...xs);
  const nose = pose.body[BODY.Nose]!;
  const cy = nose.score > 0.3 ? nose.y : head.reduce((s, p) => s + p.y, 0) / head.length;
  const half = Math.max(span, 4) * 0.6;
  return [...head, { x: Math.min(...xs), y: cy - half * 1.3, score: 1 }, { x: Math.max(...xs), y: cy + half * 0.9, score: 1 }];
}

/** cv2.resize INTER_LINEAR of an RGB region (half-pixel centres, edge clamp) to size x size. */
export function resizeRgbRegion(rgb: Uint8Array, width: number, rect: CropRect, size: number = FACE_CROP_SIZE): Uint8Array {
  const out = new Uint8Array(size * size * 3);
  const ax = linearAxis(rect.x1 - rect.x0, size);
  const ay = linearAxis(rect.y1 - rect.y0, size);
  for (let y = 0; y < size; y++) {
    const row0 = (rect.y0 + ay.i0[y]!) * width + rect.x0;
    const row1 = (rect.y0 + ay.i1[y]!) * width + rect.x0;
    const wy = ay.w[y]!;
    for (let x = 0; x < size; x++) {
      const wx = ax.w[x]!;
      const i00 = (row0 + ax.i0[x]!) * 3;
      const i01 = (row0 + ax.i1[x]!) * 3;
      const i10 = (row1 + ax.i0[x]!) * 3;
      const i11 = (row1 + ax.i1[x]!) * 3;
      const o = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) {
        const top = rgb[i00 + c]! * (1 - wx) + rgb[i01 + c]! * wx;
        const bottom = rgb[i10 + c]! * (1 - wx) + rgb[i11 + c]! * wx;
        out[o + c] = Math.round(top * (1 - wy) + bottom * wy);
      }
    }
  }
  return out;
}
