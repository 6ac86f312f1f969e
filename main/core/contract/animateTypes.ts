/** Animate preview shapes that cross the contract (plain data, JSON-safe). */

export interface KeypointDto {
  x: number;
  y: number;
  score: number;
}

export interface PersonPreviewDto {
  box: { x1: number; y1: number; x2: number; y2: number; score: number };
  body: KeypointDto[];
  face: KeypointDto[] | null;
  leftHand: KeypointDto[] | null;
  rightHand: KeypointDto[] | null;
  /** The person mask inside its rectangle, as run lengths (zeros first). */
  mask: { x0: number; y0: number; width: number; height: number; runs: number[] } | null;
}

export type PersonIssueKindDto = 'no_person' | 'several_people' | 'tiny_person' | 'leaving_frame' | 'no_body';

export interface FramePreviewDto {
  /** The moment actually analysed (the nearest stored frame when the whole video was analysed). */
  atSec: number;
  width: number;
  height: number;
  model: { id: 'bundled' | 'official'; label: string };
  people: PersonPreviewDto[];
  /** The person the render uses by Wan's rule (largest); -1 when there is none. */
  primary: number;
  issues: { kind: PersonIssueKindDto; message: string }[];
  /** The frame in the user's words, for messages: "dance.mp4 at 0:02.50". */
  where: string;
  /** Where it came from: computed now, or the library's stored analysis. */
  source: 'live' | 'stored';
}

export type PrecomputeState = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

export interface AnimatePrecomputeStatus {
  assetId: string;
  state: PrecomputeState;
  done: number;
  total: number;
  /** Frames analysed per second of wall time (running or finished). */
  fps: number | null;
  /** Seconds between analysed frames (the analysis is bounded: long videos are sampled sparser). */
  stepSec: number | null;
  model: string | null;
  message: string | null;
}

export type AnimatePrecomputeProgress = AnimatePrecomputeStatus;
