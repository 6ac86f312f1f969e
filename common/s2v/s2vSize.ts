/**
 * S2V output size (research/wan22.md §1.2, Wan's get_size_less_than_area): the reference image's
 * aspect inside an area budget, both sides multiples of 64, and small images not upscaled (only
 * rounded up to 64).
 */
export const S2V_AREAS = { '480p': 832 * 480, '720p': 1280 * 720 } as const;

export function s2vTargetSize(height: number, width: number, area: number, divisor = 64): { height: number; width: number } {
  if (!(height > 0 && width > 0)) throw new RangeError(`image size ${width}x${height}: both sides must be positive`);
  const up = (v: number) => Math.ceil(v / divisor) * divisor;
  let maxScale: number;
  let minScale: number;
  if (height * width <= area) {
    maxScale = 1;
    minScale = 0.1;
  } else {
    maxScale = Math.sqrt(area / (height * width));
    // Worst-case padding bound, exactly as Wan writes it (2ac, not 4ac).
    const a = height * width;
    const b = (divisor - 1) * (height + width);
    const c = (divisor - 1) ** 2 - area;
    minScale = (-b + Math.sqrt(b * b - 2 * a * c)) / (2 * a);
  }
  for (let i = 0; i < 100; i++) {
    const s = maxScale - ((maxScale - minScale) * i) / 100;
    const ph = up(Math.trunc(height * s));
    const pw = up(Math.trunc(width * s));
    if (ph * pw <= area) return { height: ph, width: pw };
  }
  const ar = height / width;
  return { height: Math.floor(Math.sqrt(area * ar) / divisor) * divisor, width: Math.floor(Math.sqrt(area / ar) / divisor) * divisor };
}
