/**
 * Animate processing size (research/wan22.md §2.4, the preprocessing's resize_by_area with divisor
 * 16). The official size search never runs (it raises and its fallback always wins), so the size is
 * the fallback's: h = sqrt(area / aspect), w = area / h, both floored to multiples of 16. The image
 * is then letterboxed into that size.
 */
export const ANIMATE_SIZE_DIVISOR = 16;

export interface Size {
  width: number;
  height: number;
}

export function animateSizeByArea(width: number, height: number, area: number, divisor = ANIMATE_SIZE_DIVISOR): Size {
  if (!(width > 0 && height > 0 && area > 0)) throw new RangeError(`size ${width}x${height} in ${area} px: all must be positive`);
  const newH = Math.sqrt(area / (width / height));
  const newW = area / newH;
  return { width: Math.floor(newW / divisor) * divisor, height: Math.floor(newH / divisor) * divisor };
}

/**
 * The size every generated frame has: the reference image's by area in animation mode (the poses are
 * drawn on a reference-size canvas), the driving video's in replacement mode (the background and mask
 * keep the video's framing).
 */
export function animateProcessingSize(mode: 'animation' | 'replacement', reference: Size, video: Size, area: number): Size {
  const from = mode === 'animation' ? reference : video;
  return animateSizeByArea(from.width, from.height, area);
}
