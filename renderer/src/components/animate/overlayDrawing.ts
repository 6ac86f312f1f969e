import { faceCropRect, headLandmarks, type CropRect } from '../../../../common/animate/faceCrop';
import { augmentMask, type AugmentedMask, type MaskParams } from '../../../../common/animate/maskAugment';
import { decodeRuns } from '../../../../common/animate/maskRle';
import { blankCanvas, drawPose } from '../../../../common/animate/poseDraw';
import type { FramePreviewDto, PersonPreviewDto } from '../../../../main/core/contract/animateTypes';

/**
 * The overlay pictures, from the same common/ code the worker and the CLI use: Wan's pose image,
 * the augmented replacement mask (dilation + grid) and the face crop rectangle. Only the
 * compositing onto a canvas is page code.
 */
export interface OverlayLayers {
  pose: boolean;
  mask: boolean;
  face: boolean;
}

export function personMaskOf(frame: FramePreviewDto, person: PersonPreviewDto): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(frame.width * frame.height);
  const m = person.mask;
  if (m) {
    const local = decodeRuns(m.runs, m.width * m.height);
    for (let y = 0; y < m.height && m.y0 + y < frame.height; y++) {
      const row = (m.y0 + y) * frame.width + m.x0;
      for (let x = 0; x < m.width && m.x0 + x < frame.width; x++) if (local[y * m.width + x]) data[row + x] = 1;
    }
  }
  return { width: frame.width, height: frame.height, data };
}

export function faceRectOf(frame: FramePreviewDto, person: PersonPreviewDto): CropRect | null {
  return faceCropRect(headLandmarks(person), frame.width, frame.height);
}

/** Mask tinted magenta at 45% where set; the grid drawn as white lines over the box. */
function paintMask(g: CanvasRenderingContext2D, mask: AugmentedMask): void {
  const { width: w, height: h, data } = mask.mask;
  const img = g.createImageData(w, h);
  const px = new Uint32Array(img.data.buffer);
  // RGBA (255, 64, 160, 115) as one little-endian word.
  const tint = (115 << 24) | (160 << 16) | (64 << 8) | 255;
  for (let i = 0; i < w * h; i++) if (data[i]) px[i] = tint;
  g.putImageData(img, 0, 0);
  const box = mask.box;
  if (!box) return;
  g.strokeStyle = 'rgba(255,255,255,0.95)';
  g.lineWidth = Math.max(1, w / 640);
  g.beginPath();
  for (const x of mask.columns) {
    g.moveTo(x + 0.5, box.yMin);
    g.lineTo(x + 0.5, box.yMax);
  }
  for (const y of mask.rows) {
    g.moveTo(box.xMin, y + 0.5);
    g.lineTo(box.xMax, y + 0.5);
  }
  g.stroke();
}

/**
 * Wan's pose picture (black canvas) as a transparent layer: only the drawn pixels show. Made once
 * per frame and person; a mask parameter change does not redraw it.
 */
export function poseLayer(frame: FramePreviewDto, person: PersonPreviewDto): HTMLCanvasElement {
  const canvas = drawPose(blankCanvas(frame.width, frame.height), person, frame.model.id === 'bundled' ? 0.3 : 0.5);
  const layer = document.createElement('canvas');
  [layer.width, layer.height] = [frame.width, frame.height];
  const g = layer.getContext('2d');
  if (!g) return layer;
  const img = g.createImageData(frame.width, frame.height);
  for (let i = 0, n = frame.width * frame.height; i < n; i++) {
    const [r, gg, b] = [canvas.data[i * 3]!, canvas.data[i * 3 + 1]!, canvas.data[i * 3 + 2]!];
    if (r + gg + b > 0) img.data.set([r, gg, b, 255], i * 4);
  }
  g.putImageData(img, 0, 0);
  return layer;
}

/** The used person, and (when the user picked another) the largest one, which the cloud app replaces. */
function boxLabel(i: number, used: number, largest: number): string {
  if (i === used) return i === largest ? `Person ${i + 1} · used` : `Person ${i + 1} · your pick`;
  if (i === largest) return `Person ${i + 1} · largest (cloud uses)`;
  return `Person ${i + 1} · click to use`;
}

function paintBoxes(g: CanvasRenderingContext2D, frame: FramePreviewDto, used: number): void {
  const scale = Math.max(1, frame.width / 640);
  frame.people.forEach((p, i) => {
    const b = p.box;
    const isUsed = i === used;
    g.setLineDash(isUsed ? [] : [6 * scale, 4 * scale]);
    g.strokeStyle = isUsed ? '#ffd400' : 'rgba(200,200,200,0.9)';
    g.lineWidth = (isUsed ? 3 : 1.5) * scale;
    g.strokeRect(b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1);
    g.setLineDash([]);
    g.font = `${Math.round(13 * scale)}px sans-serif`;
    const label = boxLabel(i, used, frame.primary);
    const tw = g.measureText(label).width + 8 * scale;
    // A person at the right edge would push the label out of the frame: slide it back in.
    const x = Math.max(0, Math.min(b.x1, frame.width - tw));
    g.fillStyle = isUsed ? '#ffd400' : 'rgba(40,40,40,0.8)';
    g.fillRect(x, Math.max(0, b.y1 - 18 * scale), tw, 18 * scale);
    g.fillStyle = isUsed ? '#000' : '#fff';
    g.fillText(label, x + 4 * scale, Math.max(13 * scale, b.y1 - 5 * scale));
  });
}

function paintNoPerson(g: CanvasRenderingContext2D, frame: FramePreviewDto, message: string): void {
  const scale = Math.max(1, frame.width / 640);
  g.fillStyle = 'rgba(0,0,0,0.6)';
  g.fillRect(0, frame.height / 2 - 24 * scale, frame.width, 48 * scale);
  g.fillStyle = '#fff';
  g.font = `${Math.round(16 * scale)}px sans-serif`;
  g.textAlign = 'center';
  g.fillText(message, frame.width / 2, frame.height / 2 + 6 * scale, frame.width - 20);
  g.textAlign = 'start';
}

/** What is prepared once per frame and person, so a parameter change only redoes the mask. */
export interface PersonLayers {
  person: PersonPreviewDto;
  mask: { width: number; height: number; data: Uint8Array };
  pose: HTMLCanvasElement;
  face: CropRect | null;
}

export function personLayers(frame: FramePreviewDto, used: number): PersonLayers | null {
  const person = frame.people[used];
  if (!person) return null;
  return { person, mask: personMaskOf(frame, person), pose: poseLayer(frame, person), face: faceRectOf(frame, person) };
}

/** Draws every enabled layer for the used person; returns the augmented mask it drew (or null). */
export function drawOverlay(canvas: HTMLCanvasElement, frame: FramePreviewDto, used: number, prepared: PersonLayers | null, layers: OverlayLayers, params: MaskParams): AugmentedMask | null {
  if (canvas.width !== frame.width || canvas.height !== frame.height) [canvas.width, canvas.height] = [frame.width, frame.height];
  const g = canvas.getContext('2d');
  if (!g) return null;
  g.clearRect(0, 0, canvas.width, canvas.height);
  if (!prepared) {
    paintNoPerson(g, frame, 'No person found here: Animate needs one person in view');
    return null;
  }
  let mask: AugmentedMask | null = null;
  if (layers.mask) {
    mask = augmentMask(prepared.mask, params);
    paintMask(g, mask);
  }
  if (layers.pose) g.drawImage(prepared.pose, 0, 0);
  const r = prepared.face;
  if (layers.face && r) {
    g.strokeStyle = '#00e5ff';
    g.lineWidth = Math.max(1.5, frame.width / 400);
    g.strokeRect(r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
  }
  paintBoxes(g, frame, used);
  return mask;
}
