import type { Size } from '../../../../common/animate/animateSize';
import type { DetectedPerson, FrameDetection } from '../../../../common/animate/detection';
import { resizeRgbRegion } from '../../../../common/animate/faceCrop';
import { augmentMask, type MaskParams } from '../../../../common/animate/maskAugment';
import { pickedPersonIndex, type PickPoint } from '../../../../common/animate/personPick';
import { BODY } from '../../../../common/animate/pose';
import { blankCanvas, drawPose } from '../../../../common/animate/poseDraw';
import { faceRect, personMask, poseThreshold } from '../../../../common/animate/previewImages';
import { boneRatios, retargetBody } from '../../../../common/animate/retarget';
import { letterboxRgb } from './animateFrames';

/** What one processing frame gives each sequence. */
export interface PreparedFrame {
  /** width x height RGB24: the pose as Wan draws it. */
  pose: Uint8Array;
  /** faceSize x faceSize RGB24. */
  face: Uint8Array;
  /** Replacement: the frame with the character's area black (official src_bg). */
  background: Uint8Array | null;
  /** Replacement: the augmented mask, 255 where the character goes. */
  mask: Uint8Array | null;
}

export interface FramePrepOptions {
  /** The processing size every sequence has. */
  size: Size;
  /** The size of the frames handed in (the processing size in replacement, the video's in animation). */
  frameSize: Size;
  faceSize: number;
  replacement: boolean;
  pick: PickPoint | null;
  /** retarget_flag in animation mode: the character's person, on the processing-size reference. */
  retargetTo: DetectedPerson | null;
  mask: MaskParams;
}

/**
 * The per-frame part of the Animate preparation (research/wan22.md §2.4), with the same pieces the
 * previews draw: the picked person (the largest without a pick), the pose on a black canvas (drawn at
 * the frame's size and letterboxed to the processing size, or retargeted and drawn on the character's
 * canvas), the face crop, and in replacement the augmented mask and the background. Keeps only what
 * the next frame needs (the last face, the retargeting ratios), never the frames.
 */
export class AnimateFramePreparer {
  readonly size: Size;
  /** Whether any frame so far had a person in it. */
  sawPerson = false;
  private lastFace: Uint8Array;
  private ratios: number[] | null = null;

  constructor(private readonly o: FramePrepOptions) {
    this.size = o.size;
    this.lastFace = new Uint8Array(o.faceSize * o.faceSize * 3);
  }

  prepare(rgb: Uint8Array, detection: FrameDetection): PreparedFrame {
    const used = pickedPersonIndex(detection, this.o.pick);
    const person = used >= 0 ? detection.people[used]! : null;
    if (person) this.sawPerson = true;
    const mask = this.o.replacement ? this.mask(detection, person) : null;
    return {
      pose: this.pose(detection, person),
      face: this.face(rgb, detection, person),
      mask,
      background: mask ? background(rgb, mask) : null,
    };
  }

  private pose(detection: FrameDetection, person: DetectedPerson | null): Uint8Array {
    const { width, height } = this.size;
    const threshold = poseThreshold(detection);
    const target = this.o.retargetTo;
    if (!person) return blankCanvas(width, height).data;
    if (target) {
      // The bone ratios come from the first frame with a person, as the official code takes frame 0.
      this.ratios ??= boneRatios(person.body, target.body, threshold);
      const body = retargetBody(person.body, this.ratios, target.body[BODY.Neck]!, threshold);
      return drawPose(blankCanvas(width, height), { ...person, body, leftHand: null, rightHand: null, face: null }, threshold).data;
    }
    const drawn = drawPose(blankCanvas(detection.width, detection.height), person, threshold);
    return detection.width === width && detection.height === height ? drawn.data : letterboxRgb(drawn.data, detection.width, detection.height, width, height);
  }

  /** The face crop; a frame where the face cannot be found repeats the last one (black before any). */
  private face(rgb: Uint8Array, detection: FrameDetection, person: DetectedPerson | null): Uint8Array {
    const rect = person ? faceRect(detection, person) : null;
    if (rect) this.lastFace = resizeRgbRegion(rgb, detection.width, rect, this.o.faceSize);
    return this.lastFace;
  }

  private mask(detection: FrameDetection, person: DetectedPerson | null): Uint8Array {
    const out = new Uint8Array(detection.width * detection.height);
    if (!person) return out;
    const augmented = augmentMask(personMask(detection, person), this.o.mask).mask.data;
    for (let i = 0; i < out.length; i++) out[i] = augmented[i] ? 255 : 0;
    return out;
  }
}

/** The frame with the character's area zeroed, as the official src_bg = frame * (1 - mask). */
function background(rgb: Uint8Array, mask: Uint8Array): Uint8Array {
  const out = Uint8Array.from(rgb);
  for (let i = 0; i < mask.length; i++) if (mask[i]) out.fill(0, i * 3, i * 3 + 3);
  return out;
}
