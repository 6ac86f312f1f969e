/**
 * Wan Animate's replacement mask, as the official preprocessing builds it (research/wan22.md §2.4
 * step 4): the person mask is dilated `iterations` times with a k x k square of ones (cv2.dilate),
 * then its bounding box is cut into w_len x h_len cells and every cell holding any mask pixel is
 * filled. One function for the preview and the render, so what the user sees is what Wan gets.
 */

/** A binary mask, row-major, one byte per pixel (0 or 1). */
export interface BinaryMask {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface MaskParams {
  /** cv2.dilate iterations (`--iterations`, `mask_iterations`); 0 keeps the person mask. */
  readonly iterations: number;
  /** Side of the square dilation kernel (`--k`, `mask_kernel_size`). */
  readonly kernelSize: number;
  /** Bounding-box columns (`--w_len`, `mask_w_subdivisions`). */
  readonly wSubdivisions: number;
  /** Bounding-box rows (`--h_len`, `mask_h_subdivisions`). */
  readonly hSubdivisions: number;
}

/** Inclusive pixel bounds, as np.nonzero min/max give them. */
export interface MaskBox {
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
}

export interface AugmentedMask {
  readonly mask: BinaryMask;
  /** The dilated mask's bounding box; null when the mask is empty (no person). */
  readonly box: MaskBox | null;
  /** Cell edges (start of every cell, then the end) along x and y, for drawing the grid. */
  readonly columns: readonly number[];
  readonly rows: readonly number[];
}

export function emptyMask(width: number, height: number): BinaryMask {
  return { width, height, data: new Uint8Array(width * height) };
}

/**
 * cv2.dilate(mask, ones(k, k), iterations): k x k ones repeated is one rectangle whose reach is
 * `iterations` times the kernel's reach either side of the anchor (k // 2), so it runs as one
 * separable max with sliding counts: linear in the pixels whatever k and iterations are, and only
 * over the person's box grown by that reach (the rest of the frame stays 0). Pixels outside the
 * image count as 0, as OpenCV's default border does for dilation.
 */
export function dilateSquare(mask: BinaryMask, kernelSize: number, iterations: number): BinaryMask {
  return dilateWithBox(mask, kernelSize, iterations).mask;
}

/**
 * The dilation and its bounding box: the input's box grown by the reach (clipped to the image) is
 * exactly the output's, so the frame is not scanned a second time to find it.
 */
function dilateWithBox(mask: BinaryMask, kernelSize: number, iterations: number): { mask: BinaryMask; box: MaskBox | null } {
  if (iterations <= 0 || kernelSize <= 1) return { mask: { width: mask.width, height: mask.height, data: mask.data.slice() }, box: maskBox(mask) };
  const anchor = Math.floor(kernelSize / 2);
  // Output (x, y) takes the input over [x - before, x + after] (and the same in y).
  const before = iterations * anchor;
  const after = iterations * (kernelSize - 1 - anchor);
  const { width: w, height: h } = mask;
  const out = new Uint8Array(w * h);
  const box = maskBox(mask);
  if (!box) return { mask: { width: w, height: h, data: out }, box: null };
  // Output can be set only within the input box grown by the reach.
  const x0 = Math.max(0, box.xMin - after);
  const x1 = Math.min(w - 1, box.xMax + before);
  const y0 = Math.max(0, box.yMin - after);
  const y1 = Math.min(h - 1, box.yMax + before);
  const rw = x1 - x0 + 1;
  const rows = new Uint8Array(rw * (y1 - y0 + 1));
  const src = mask.data;
  for (let y = Math.max(y0, box.yMin); y <= Math.min(y1, box.yMax); y++) {
    const base = y * w;
    const rbase = (y - y0) * rw;
    let count = 0;
    // Window for x = x0: [x0 - before, x0 + after].
    for (let x = Math.max(0, x0 - before); x <= Math.min(w - 1, x0 + after); x++) count += src[base + x]!;
    for (let x = x0; x <= x1; x++) {
      rows[rbase + x - x0] = count > 0 ? 1 : 0;
      const enter = x + after + 1;
      const leave = x - before;
      if (enter < w) count += src[base + enter]!;
      if (leave >= 0) count -= src[base + leave]!;
    }
  }
  const counts = new Int32Array(rw);
  const addRow = (y: number, sign: number) => {
    if (y < y0 || y > y1) return;
    const rbase = (y - y0) * rw;
    for (let i = 0; i < rw; i++) counts[i] = counts[i]! + sign * rows[rbase + i]!;
  };
  for (let y = y0 - before; y <= y0 + after; y++) addRow(y, 1);
  for (let y = y0; y <= y1; y++) {
    const base = y * w + x0;
    for (let i = 0; i < rw; i++) if (counts[i]! > 0) out[base + i] = 1;
    addRow(y + after + 1, 1);
    addRow(y - before, -1);
  }
  return { mask: { width: w, height: h, data: out }, box: { xMin: x0, yMin: y0, xMax: x1, yMax: y1 } };
}

/** np.nonzero's min/max, or null for an empty mask. Rows are searched with the typed array's own indexOf (native). */
export function maskBox(mask: BinaryMask): MaskBox | null {
  const { width: w, height: h, data } = mask;
  let xMin = w;
  let yMin = h;
  let xMax = -1;
  let yMax = -1;
  for (let y = 0; y < h; y++) {
    const row = data.subarray(y * w, (y + 1) * w);
    const first = row.indexOf(1);
    if (first < 0) continue;
    const last = row.lastIndexOf(1);
    if (y < yMin) yMin = y;
    yMax = y;
    if (first < xMin) xMin = first;
    if (last > xMax) xMax = last;
  }
  return xMax < 0 ? null : { xMin, yMin, xMax, yMax };
}

/**
 * Cell starts of `range(lo, hi, step)` with step = int((hi - lo) / n), each cell ending at
 * min(start + step, hi). The official code crashes when the box is narrower than n pixels (step 0);
 * here the step is at least 1 so a tiny person still gets a mask.
 */
function cellEdges(lo: number, hi: number, n: number): number[] {
  const step = Math.max(1, Math.trunc((hi - lo) / n));
  const edges: number[] = [];
  for (let s = lo; s < hi; s += step) edges.push(s);
  edges.push(hi);
  return edges;
}

/**
 * get_aug_mask: fills every touched cell of the box, in place on a copy. The ranges are half-open
 * as in the official code, so the box's last row and column keep their pixels but are never filled.
 */
export function fillTouchedCells(mask: BinaryMask, box: MaskBox, wCells: number, hCells: number, inPlace = false): { mask: BinaryMask; columns: number[]; rows: number[] } {
  const { width: w } = mask;
  const data = inPlace ? mask.data : mask.data.slice();
  const columns = cellEdges(box.xMin, box.xMax, wCells);
  const rows = cellEdges(box.yMin, box.yMax, hCells);
  for (let c = 0; c + 1 < columns.length; c++) {
    const x0 = columns[c]!;
    const x1 = columns[c + 1]!;
    for (let r = 0; r + 1 < rows.length; r++) {
      const y0 = rows[r]!;
      const y1 = rows[r + 1]!;
      if (!cellTouched(data, w, x0, x1, y0, y1)) continue;
      for (let y = y0; y < y1; y++) data.fill(1, y * w + x0, y * w + x1);
    }
  }
  return { mask: { width: mask.width, height: mask.height, data }, columns, rows };
}

function cellTouched(data: Uint8Array, w: number, x0: number, x1: number, y0: number, y1: number): boolean {
  for (let y = y0; y < y1; y++) {
    const base = y * w;
    for (let x = x0; x < x1; x++) if (data[base + x]) return true;
  }
  return false;
}

/** The whole official augmentation: dilate, then fill touched cells. An empty mask stays empty. */
export function augmentMask(person: BinaryMask, params: MaskParams): AugmentedMask {
  const { mask: dilated, box } = dilateWithBox(person, params.kernelSize, params.iterations);
  // The official code skips get_aug_mask entirely when iterations is 0.
  if (params.iterations <= 0 || !box) return { mask: dilated, box, columns: [], rows: [] };
  // The dilated mask is ours: fill it in place rather than copy a frame's worth of bytes.
  const filled = fillTouchedCells(dilated, box, params.wSubdivisions, params.hSubdivisions, true);
  return { mask: filled.mask, box, columns: filled.columns, rows: filled.rows };
}

/** The studio's Animate parameters, as mask parameters. */
export function maskParamsOf(p: { mask_iterations: number; mask_kernel_size: number; mask_w_subdivisions: number; mask_h_subdivisions: number }): MaskParams {
  return { iterations: p.mask_iterations, kernelSize: p.mask_kernel_size, wSubdivisions: p.mask_w_subdivisions, hSubdivisions: p.mask_h_subdivisions };
}
