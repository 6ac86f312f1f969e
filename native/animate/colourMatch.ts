import { labToRgb, rgbToLab } from './lab';

/**
 * Colour matching between Animate clips (drift control, docs/animate-local.md). Every clip after the
 * first re-generates its `refert_num` guidance frames: the same picture as the previous clip's last
 * frames, so any difference in their colour statistics is drift the clip brought in. The whole clip
 * is moved so that its guidance frames' per-channel L*a*b* mean and standard deviation equal those of
 * the previous clip's last frames (Reinhard-style transfer). Frames are RGB24 buffers.
 */
export type Triple = [number, number, number];
export interface LabStats {
  mean: Triple;
  std: Triple;
}
/** lab' = lab * scale + offset, per channel. */
export interface ColourTransfer {
  scale: Triple;
  offset: Triple;
}

/** A standard deviation ratio outside this range is not drift but a scene change: it is clamped. */
export const MAX_STD_RATIO = 2;
/** Below this spread (in L*a*b* units) a channel is flat and only its mean is moved. */
const FLAT_STD = 0.5;

export function labStats(frames: readonly Uint8Array[]): LabStats {
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  const lab = new Float32Array(3);
  let n = 0;
  for (const frame of frames) {
    for (let i = 0; i + 2 < frame.length; i += 3) {
      rgbToLab(frame, i, lab, 0);
      for (let c = 0; c < 3; c++) {
        sum[c]! += lab[c]!;
        sq[c]! += lab[c]! * lab[c]!;
      }
      n++;
    }
  }
  if (n === 0) throw new RangeError('colour statistics need at least one pixel');
  const mean = sum.map((s) => s / n) as Triple;
  const std = sq.map((s, c) => Math.sqrt(Math.max(0, s / n - mean[c]! ** 2))) as Triple;
  return { mean, std };
}

/** The transfer that gives pixels with statistics `from` the statistics `to`. */
export function colourTransfer(from: LabStats, to: LabStats): ColourTransfer {
  const scale = [0, 1, 2].map((c) => {
    if (from.std[c]! < FLAT_STD || to.std[c]! < FLAT_STD) return 1;
    return Math.min(MAX_STD_RATIO, Math.max(1 / MAX_STD_RATIO, to.std[c]! / from.std[c]!));
  }) as Triple;
  const offset = [0, 1, 2].map((c) => to.mean[c]! - from.mean[c]! * scale[c]!) as Triple;
  return { scale, offset };
}

export function applyColourTransfer(frame: Uint8Array, t: ColourTransfer): Uint8Array {
  const out = new Uint8Array(frame.length);
  const lab = new Float32Array(3);
  for (let i = 0; i + 2 < frame.length; i += 3) {
    rgbToLab(frame, i, lab, 0);
    labToRgb(lab[0]! * t.scale[0] + t.offset[0], lab[1]! * t.scale[1] + t.offset[1], lab[2]! * t.scale[2] + t.offset[2], out, i);
  }
  return out;
}

/**
 * A clip's decoded frames, colour-matched to the clip before it. `guideFrames` is how many leading
 * frames re-generate `previousTail` (the previous clip's last output frames, already matched);
 * 0 (the first clip) returns the frames as they are.
 */
export function matchClipColours(frames: readonly Uint8Array[], guideFrames: number, previousTail: readonly Uint8Array[]): Uint8Array[] {
  if (guideFrames === 0) return [...frames];
  if (previousTail.length !== guideFrames || frames.length < guideFrames)
    throw new RangeError(`colour matching needs ${guideFrames} guidance frames in the clip and as many from the previous clip (got ${frames.length} and ${previousTail.length})`);
  const t = colourTransfer(labStats(frames.slice(0, guideFrames)), labStats(previousTail));
  return frames.map((f) => applyColourTransfer(f, t));
}
