/**
 * A person's pose in the shapes Wan Animate uses (research/wan22.md §2.5): a 20-point OpenPose-like
 * body, two 21-point hands and 68 face landmarks, in pixels of the frame they were found in.
 * Both the official ViTPose wholebody output (133 points) and the bundled preview model's COCO-17
 * points map onto it, so drawing, face crops and masks do not care which model ran.
 */

export interface Keypoint {
  readonly x: number;
  readonly y: number;
  readonly score: number;
}

export interface PersonBox {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly score: number;
}

export interface PersonPose {
  readonly box: PersonBox;
  /** Nose, Neck, RShoulder, RElbow, RWrist, LShoulder, LElbow, LWrist, RHip, RKnee, RAnkle, LHip, LKnee, LAnkle, REye, LEye, REar, LEar, LToe, RToe. */
  readonly body: readonly Keypoint[];
  readonly leftHand: readonly Keypoint[] | null;
  readonly rightHand: readonly Keypoint[] | null;
  /** 68 landmarks (iBUG order) when the model gives them; null for body-only models. */
  readonly face: readonly Keypoint[] | null;
}

export const BODY_NAMES = ['Nose', 'Neck', 'RShoulder', 'RElbow', 'RWrist', 'LShoulder', 'LElbow', 'LWrist', 'RHip', 'RKnee', 'RAnkle', 'LHip', 'LKnee', 'LAnkle', 'REye', 'LEye', 'REar', 'LEar', 'LToe', 'RToe'] as const;
export const BODY = Object.fromEntries(BODY_NAMES.map((n, i) => [n, i])) as Record<(typeof BODY_NAMES)[number], number>;

/** Each body point is the mean of two COCO-WholeBody points (split_kp2ds_for_aa). */
const PAIR_A = [0, 6, 6, 8, 10, 5, 7, 9, 12, 14, 16, 11, 13, 15, 2, 1, 4, 3, 17, 20];
const PAIR_B = [0, 5, 6, 8, 10, 5, 7, 9, 12, 14, 16, 11, 13, 15, 2, 1, 4, 3, 18, 21];

const mean = (a: Keypoint, b: Keypoint): Keypoint => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, score: (a.score + b.score) / 2 });
const missing: Keypoint = { x: 0, y: 0, score: 0 };

/** The official grouping of 133 wholebody points. */
export function poseFromWholebody(points: readonly Keypoint[], box: PersonBox): PersonPose {
  if (points.length !== 133) throw new Error(`A wholebody pose has 133 points, not ${points.length}.`);
  return {
    box,
    body: PAIR_A.map((a, i) => mean(points[a]!, points[PAIR_B[i]!]!)),
    leftHand: points.slice(91, 112),
    rightHand: points.slice(112, 133),
    face: points.slice(23, 91),
  };
}

/** COCO-17 (MoveNet): the same grouping for the 18 points it has; toes, hands and face are absent. */
export function poseFromCoco17(points: readonly Keypoint[], box: PersonBox): PersonPose {
  if (points.length !== 17) throw new Error(`A COCO pose has 17 points, not ${points.length}.`);
  const body = PAIR_A.map((a, i) => (i >= 18 ? missing : mean(points[a]!, points[PAIR_B[i]!]!)));
  return { box, body, leftHand: null, rightHand: null, face: null };
}

/** Keypoints scaled from one frame size to another (e.g. from the source frame to the ref canvas). */
export function scalePose(pose: PersonPose, sx: number, sy: number): PersonPose {
  const s = (k: Keypoint): Keypoint => ({ x: k.x * sx, y: k.y * sy, score: k.score });
  const list = (l: readonly Keypoint[] | null) => (l ? l.map(s) : null);
  const b = pose.box;
  return { box: { x1: b.x1 * sx, y1: b.y1 * sy, x2: b.x2 * sx, y2: b.y2 * sy, score: b.score }, body: pose.body.map(s), leftHand: list(pose.leftHand), rightHand: list(pose.rightHand), face: list(pose.face) };
}
