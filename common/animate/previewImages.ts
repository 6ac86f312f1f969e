import type { DetectedPerson, FrameDetection } from './detection';
import { faceCropRect, headLandmarks, resizeRgbRegion, FACE_CROP_SIZE, type CropRect } from './faceCrop';
import { augmentMask, type AugmentedMask, type BinaryMask, type MaskParams } from './maskAugment';
import { blankCanvas, drawPose, type RgbCanvas } from './poseDraw';

/**
 * The three Animate preview pictures from one frame's detection, as plain RGB: the pose image
 * Wan conditions on, the replacement mask over the frame (tinted, grid drawn), and the 512 x 512
 * face crop. The CLI writes them; the render path uses the same pieces without the tint.
 */

/** One person's mask placed on a frame-size canvas. */
export function personMask(detection: FrameDetection, person: DetectedPerson): BinaryMask {
  const out = new Uint8Array(detection.width * detection.height);
  const m = person.mask;
  if (m) {
    for (let y = 0; y < m.height; y++) {
      const fy = m.y0 + y;
      if (fy >= detection.height) break;
      for (let x = 0; x < m.width; x++) {
        const fx = m.x0 + x;
        if (fx < detection.width && m.data[y * m.width + x]) out[fy * detection.width + fx] = 1;
      }
    }
  }
  return { width: detection.width, height: detection.height, data: out };
}

/** Joint score below which a joint is not drawn, per model (see drawPose). */
export const poseThreshold = (detection: FrameDetection): number => (detection.model.id === 'bundled' ? 0.3 : 0.5);

export function poseImage(detection: FrameDetection, person: DetectedPerson): RgbCanvas {
  return drawPose(blankCanvas(detection.width, detection.height), person, poseThreshold(detection));
}

/** The face crop rectangle Wan would use (landmarks, or head points for body-only models). */
export function faceRect(detection: FrameDetection, person: DetectedPerson): CropRect | null {
  return faceCropRect(headLandmarks(person), detection.width, detection.height);
}

export function faceImage(frame: Uint8Array, detection: FrameDetection, person: DetectedPerson): { rect: CropRect; rgb: Uint8Array; size: number } | null {
  const rect = faceRect(detection, person);
  return rect ? { rect, rgb: resizeRgbRegion(frame, detection.width, rect), size: FACE_CROP_SIZE } : null;
}

const TINT: readonly [number, number, number] = [255, 64, 160];

/** The frame with the augmented mask tinted at 45% and the subdivision grid drawn over it. */
export function maskOverlay(frame: Uint8Array, detection: FrameDetection, person: DetectedPerson, params: MaskParams): { rgb: Uint8Array; mask: AugmentedMask } {
  const mask = augmentMask(personMask(detection, person), params);
  const rgb = frame.slice();
  const { width: w, height: h } = detection;
  for (let i = 0; i < w * h; i++) {
    if (!mask.mask.data[i]) continue;
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = Math.round(rgb[i * 3 + c]! * 0.55 + TINT[c]! * 0.45);
  }
  const box = mask.box;
  if (box) {
    const line = (x: number, y: number) => {
      if (x < 0 || y < 0 || x >= w || y >= h) return;
      rgb.set([255, 255, 255], (y * w + x) * 3);
    };
    for (const x of mask.columns) for (let y = box.yMin; y <= box.yMax; y++) line(x, y);
    for (const y of mask.rows) for (let x = box.xMin; x <= box.xMax; x++) line(x, y);
  }
  return { rgb, mask };
}
