/**
 * sRGB (8-bit) <-> CIE L*a*b* (D65), for colour statistics that follow what the eye sees: a shift in
 * L moves brightness only, a and b move hue and saturation, so per-channel matching does not tint
 * a frame while correcting its exposure.
 */
const XN = 0.95047;
const YN = 1.0;
const ZN = 1.08883;
const EPS = 216 / 24389;
const KAPPA = 24389 / 27;

/** 8-bit sRGB value -> linear light, as a lookup (256 entries). */
const LINEAR = Float64Array.from({ length: 256 }, (_, v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});

const f = (t: number) => (t > EPS ? Math.cbrt(t) : (KAPPA * t + 16) / 116);
const fInv = (t: number) => (t ** 3 > EPS ? t ** 3 : (116 * t - 16) / KAPPA);
const encode = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);

/** Writes L, a, b of the pixel at rgb[i..i+2] into out[j..j+2]. */
export function rgbToLab(rgb: Uint8Array, i: number, out: Float32Array, j: number): void {
  const r = LINEAR[rgb[i]!]!;
  const g = LINEAR[rgb[i + 1]!]!;
  const b = LINEAR[rgb[i + 2]!]!;
  const fx = f((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / XN);
  const fy = f((0.2126729 * r + 0.7151522 * g + 0.072175 * b) / YN);
  const fz = f((0.0193339 * r + 0.119192 * g + 0.9503041 * b) / ZN);
  out[j] = 116 * fy - 16;
  out[j + 1] = 500 * (fx - fy);
  out[j + 2] = 200 * (fy - fz);
}

/** Writes the 8-bit sRGB pixel (rounded, clipped) of L, a, b into rgb[i..i+2]. */
export function labToRgb(L: number, a: number, bb: number, rgb: Uint8Array, i: number): void {
  const fy = (L + 16) / 116;
  const x = XN * fInv(fy + a / 500);
  const y = YN * fInv(fy);
  const z = ZN * fInv(fy - bb / 200);
  const r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
  const g = -0.969266 * x + 1.8760108 * y + 0.041556 * z;
  const b = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
  rgb[i] = to8(r);
  rgb[i + 1] = to8(g);
  rgb[i + 2] = to8(b);
}

const to8 = (c: number) => Math.round(255 * encode(Math.min(1, Math.max(0, c))));
