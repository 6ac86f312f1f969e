import { describe, expect, it } from 'vitest';
import { augmentMask, dilateSquare, type BinaryMask } from '../../../common/animate/maskAugment';

/** A deterministic generator, so a failure names a mask that can be rebuilt. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A few random pixels and short strokes on a canvas, like a thin person mask. */
function randomMask(width: number, height: number, seed: number): BinaryMask {
  const rand = lcg(seed);
  const data = new Uint8Array(width * height);
  const strokes = 1 + Math.floor(rand() * 4);
  for (let s = 0; s < strokes; s++) {
    let x = Math.floor(rand() * width);
    let y = Math.floor(rand() * height);
    const len = Math.floor(rand() * 12);
    for (let i = 0; i <= len; i++) {
      data[y * width + x] = 1;
      x = Math.min(width - 1, Math.max(0, x + Math.floor(rand() * 3) - 1));
      y = Math.min(height - 1, Math.max(0, y + Math.floor(rand() * 3) - 1));
    }
  }
  return { width, height, data };
}

/** cv2.dilate written out the slow way: every iteration, every pixel, every kernel cell. */
function referenceDilate(mask: BinaryMask, k: number, iterations: number): Uint8Array {
  const { width: w, height: h } = mask;
  const a = Math.floor(k / 2);
  let src = mask.data.slice();
  for (let it = 0; it < iterations; it++) {
    const dst = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ky = 0; ky < k; ky++)
          for (let kx = 0; kx < k; kx++) {
            const sx = x + kx - a;
            const sy = y + ky - a;
            if (sx >= 0 && sy >= 0 && sx < w && sy < h && src[sy * w + sx]) dst[y * w + x] = 1;
          }
    src = dst;
  }
  return src;
}

/** get_mask_boxes + get_aug_mask, line by line as the official Python has them. */
function referenceAugMask(data: Uint8Array, w: number, h: number, wLen: number, hLen: number): Uint8Array {
  const out = data.slice();
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (out[y * w + x]) {
        xs.push(x);
        ys.push(y);
      }
  if (xs.length === 0) return out;
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const wSlice = Math.max(1, Math.trunc((x1 - x0) / wLen));
  const hSlice = Math.max(1, Math.trunc((y1 - y0) / hLen));
  for (let eachW = x0; eachW < x1; eachW += wSlice) {
    const wStart = Math.min(eachW, x1);
    const wEnd = Math.min(eachW + wSlice, x1);
    for (let eachH = y0; eachH < y1; eachH += hSlice) {
      const hStart = Math.min(eachH, y1);
      const hEnd = Math.min(eachH + hSlice, y1);
      let sum = 0;
      for (let y = hStart; y < hEnd; y++) for (let x = wStart; x < wEnd; x++) sum += out[y * w + x]!;
      if (sum > 0) for (let y = hStart; y < hEnd; y++) for (let x = wStart; x < wEnd; x++) out[y * w + x] = 1;
    }
  }
  return out;
}

describe('augmentMask equals the official dilate + grid fill', () => {
  it('matches the reference on random masks for every iterations x kernel x columns x rows in the studio ranges', () => {
    const [w, h] = [48, 36];
    let combos = 0;
    for (let iterations = 0; iterations <= 10; iterations++) {
      for (let k = 3; k <= 15; k++) {
        const person = randomMask(w, h, iterations * 100 + k);
        const dilated = iterations > 0 ? referenceDilate(person, k, iterations) : person.data;
        expect(Buffer.from(dilateSquare(person, k, iterations).data).equals(Buffer.from(dilated)), `dilate k=${k} it=${iterations}`).toBe(true);
        for (let wl = 1; wl <= 5; wl++) {
          for (let hl = 1; hl <= 5; hl++) {
            const expected = iterations > 0 ? referenceAugMask(dilated, w, h, wl, hl) : dilated;
            const got = augmentMask(person, { iterations, kernelSize: k, wSubdivisions: wl, hSubdivisions: hl }).mask.data;
            expect(Buffer.from(got).equals(Buffer.from(expected)), `k=${k} it=${iterations} w=${wl} h=${hl}`).toBe(true);
            combos++;
          }
        }
      }
    }
    expect(combos).toBe(11 * 13 * 25);
  });

  it('1 x 1 gives the bounding rectangle minus its last row and column, as the half-open ranges do', () => {
    const person: BinaryMask = { width: 20, height: 20, data: new Uint8Array(400) };
    person.data[5 * 20 + 5] = 1;
    person.data[12 * 20 + 9] = 1;
    const { mask, box, columns, rows } = augmentMask(person, { iterations: 1, kernelSize: 3, wSubdivisions: 1, hSubdivisions: 1 });
    expect(box).toEqual({ xMin: 4, yMin: 4, xMax: 10, yMax: 13 });
    expect(columns).toEqual([4, 10]);
    expect(rows).toEqual([4, 13]);
    for (let y = 4; y < 13; y++) for (let x = 4; x < 10; x++) expect(mask.data[y * 20 + x]).toBe(1);
  });

  it('an empty mask stays empty and has no box; a one-pixel-wide person does not crash', () => {
    const empty = augmentMask({ width: 8, height: 8, data: new Uint8Array(64) }, { iterations: 3, kernelSize: 7, wSubdivisions: 2, hSubdivisions: 2 });
    expect(empty.box).toBeNull();
    expect(empty.mask.data.every((v) => v === 0)).toBe(true);
    const line = new Uint8Array(64);
    for (let y = 0; y < 8; y++) line[y * 8 + 3] = 1;
    const thin = augmentMask({ width: 8, height: 8, data: line }, { iterations: 0, kernelSize: 3, wSubdivisions: 5, hSubdivisions: 5 });
    expect(thin.box).toEqual({ xMin: 3, yMin: 0, xMax: 3, yMax: 7 });
  });
});
