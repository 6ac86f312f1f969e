import { describe, expect, it } from 'vitest';
import { applyColourTransfer, colourTransfer, labStats, matchClipColours, MAX_STD_RATIO } from '../../../native/animate/colourMatch';
import { labToRgb, rgbToLab } from '../../../native/animate/lab';

/** A deterministic RGB24 test frame: gradients with a texture, so every channel has spread. */
function frame(w: number, h: number, seed: number): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      out[i] = (40 + x * 5 + seed * 3) % 220;
      out[i + 1] = (60 + y * 7 + ((x * y) % 13)) % 200;
      out[i + 2] = (90 + ((x + y + seed) % 17) * 6) % 230;
    }
  return out;
}

const meanAbsDiff = (a: Uint8Array, b: Uint8Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;

/** The drift a clip might bring in: darker, lower contrast, a warm tint. */
const drift = { scale: [0.9, 1.1, 0.95] as [number, number, number], offset: [3, 4, -2] as [number, number, number] };

describe('sRGB <-> L*a*b*', () => {
  it('round-trips every 8-bit colour on a 16-level grid exactly', () => {
    const lab = new Float32Array(3);
    const back = new Uint8Array(3);
    for (let r = 0; r < 256; r += 15)
      for (let g = 0; g < 256; g += 15)
        for (let b = 0; b < 256; b += 15) {
          rgbToLab(Uint8Array.of(r, g, b), 0, lab, 0);
          labToRgb(lab[0]!, lab[1]!, lab[2]!, back, 0);
          expect([...back]).toEqual([r, g, b]);
        }
  });
  it('white is L 100, a 0, b 0', () => {
    const lab = new Float32Array(3);
    rgbToLab(Uint8Array.of(255, 255, 255), 0, lab, 0);
    expect(lab[0]).toBeCloseTo(100, 3);
    expect(Math.abs(lab[1]!)).toBeLessThan(0.01);
    expect(Math.abs(lab[2]!)).toBeLessThan(0.01);
  });
});

describe('colour matching between clips', () => {
  const W = 24;
  const H = 16;
  const clean = Array.from({ length: 6 }, (_, k) => frame(W, H, k));

  it('the first clip is left as it is', () => {
    expect(matchClipColours(clean, 0, [])).toEqual(clean);
  });

  it('a clip whose guidance frames equal the previous tail is unchanged', () => {
    const out = matchClipColours(clean, 1, [clean[0]!]);
    out.forEach((f, i) => expect(meanAbsDiff(f, clean[i]!)).toBeLessThan(0.01));
  });

  it.each([1, 5])('removes a global drift, with %i guidance frame(s)', (guide) => {
    const drifted = clean.map((f) => applyColourTransfer(f, drift));
    expect(meanAbsDiff(drifted[2]!, clean[2]!)).toBeGreaterThan(4);
    const out = matchClipColours(drifted, guide, clean.slice(0, guide));
    out.forEach((f, i) => expect(meanAbsDiff(f, clean[i]!)).toBeLessThan(1));
  });

  it('the matched guidance frames have the previous tail\'s statistics', () => {
    const drifted = clean.map((f) => applyColourTransfer(f, drift));
    const out = matchClipColours(drifted, 1, [clean[0]!]);
    const want = labStats([clean[0]!]);
    const got = labStats([out[0]!]);
    for (let c = 0; c < 3; c++) {
      expect(got.mean[c]).toBeCloseTo(want.mean[c]!, 0);
      expect(got.std[c]).toBeCloseTo(want.std[c]!, 0);
    }
  });

  it('a flat channel moves its mean only; a scene-change contrast ratio is clamped', () => {
    const flat = { mean: [50, 0, 0] as [number, number, number], std: [0, 0, 0] as [number, number, number] };
    const t = colourTransfer(flat, { mean: [60, 2, -2], std: [30, 10, 10] });
    expect(t.scale).toEqual([1, 1, 1]);
    expect(t.offset).toEqual([10, 2, -2]);
    const wild = colourTransfer({ mean: [50, 0, 0], std: [2, 2, 2] }, { mean: [50, 0, 0], std: [40, 1, 2] });
    expect(wild.scale).toEqual([MAX_STD_RATIO, 1 / MAX_STD_RATIO, 1]);
  });

  it('refuses mismatched guidance counts', () => {
    expect(() => matchClipColours(clean, 5, [clean[0]!])).toThrow(/5 guidance frames/);
  });
});
