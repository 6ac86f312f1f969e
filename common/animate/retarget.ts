import { BODY, type Keypoint, type PersonPose } from './pose';

/**
 * Pose retargeting (retarget_flag), after the official retarget_pose.py (research/wan22.md §2.6),
 * in its basic form (no FLUX edit): the driving skeleton keeps every bone's angle, frame by frame,
 * while each bone takes the reference character's length; the result is placed on the reference
 * (neck on the reference's neck, or feet on its feet for full bodies) in reference pixels.
 */
/** The official joint score threshold; the bundled preview models score lower and pass their own (poseThreshold). */
export const RETARGET_SEEN = 0.5;

/** [parent, child] body indices, walked from the neck outward (parents before children). */
export const BONES: readonly (readonly [number, number])[] = [
  [BODY.Neck, BODY.RShoulder], [BODY.RShoulder, BODY.RElbow], [BODY.RElbow, BODY.RWrist],
  [BODY.Neck, BODY.LShoulder], [BODY.LShoulder, BODY.LElbow], [BODY.LElbow, BODY.LWrist],
  [BODY.Neck, BODY.RHip], [BODY.RHip, BODY.RKnee], [BODY.RKnee, BODY.RAnkle],
  [BODY.Neck, BODY.LHip], [BODY.LHip, BODY.LKnee], [BODY.LKnee, BODY.LAnkle],
  [BODY.Neck, BODY.Nose], [BODY.Nose, BODY.REye], [BODY.REye, BODY.REar], [BODY.Nose, BODY.LEye], [BODY.LEye, BODY.LEar],
  [BODY.LAnkle, BODY.LToe], [BODY.RAnkle, BODY.RToe],
];
/** Bones that are forced to the same ratio (the larger of the pair), as the official code does. */
const PAIRS: readonly (readonly [number, number])[] = [[0, 3], [1, 4], [2, 5], [6, 9], [7, 10], [8, 11], [13, 15], [14, 16], [17, 18]];

/** The joint test at a score threshold: seen joints are the ones retargeting may use. */
const seenAbove =
  (threshold: number) =>
  (k: Keypoint | undefined): k is Keypoint =>
    !!k && k.score >= threshold;
const len = (a: Keypoint, b: Keypoint) => Math.hypot(a.x - b.x, a.y - b.y);

/** Nose to mean ankle height, else nose to mean hip, else null. */
function height(body: readonly Keypoint[], threshold: number): number | null {
  const seen = seenAbove(threshold);
  const nose = body[BODY.Nose];
  const pairs = [[BODY.LAnkle, BODY.RAnkle], [BODY.LHip, BODY.RHip]];
  if (!seen(nose)) return null;
  for (const [a, b] of pairs) {
    const pa = body[a!];
    const pb = body[b!];
    if (seen(pa) && seen(pb)) return Math.abs(nose.y - (pa.y + pb.y) / 2);
  }
  return null;
}

/** Per-bone length ratios reference / driving, measured on one frame of each. */
export function boneRatios(driving: readonly Keypoint[], reference: readonly Keypoint[], threshold = RETARGET_SEEN): number[] {
  const seen = seenAbove(threshold);
  const hd = height(driving, threshold);
  const hr = height(reference, threshold);
  const fallback = hd && hr ? hr / hd : 1;
  const ratios = BONES.map(([a, b]) => {
    const [da, db, ra, rb] = [driving[a], driving[b], reference[a], reference[b]];
    if (!seen(da) || !seen(db) || !seen(ra) || !seen(rb)) return null;
    const d = len(da, db);
    return d > 1e-6 ? len(ra, rb) / d : null;
  });
  const shoulders = [ratios[0], ratios[3]].filter((r): r is number => r !== null);
  const missing = shoulders.length ? shoulders.reduce((s, r) => s + r, 0) / shoulders.length : fallback;
  const filled = ratios.map((r) => r ?? missing);
  for (const [a, b] of PAIRS) filled[a] = filled[b] = Math.max(filled[a]!, filled[b]!);
  return filled;
}

/** One driving frame retargeted onto the reference, in reference pixels. */
export function retargetBody(driving: readonly Keypoint[], ratios: readonly number[], anchor: { x: number; y: number }, threshold = RETARGET_SEEN): Keypoint[] {
  const seen = seenAbove(threshold);
  const out: Keypoint[] = driving.map(() => ({ x: 0, y: 0, score: 0 }));
  const neck = driving[BODY.Neck];
  if (!seen(neck)) return out;
  out[BODY.Neck] = { x: anchor.x, y: anchor.y, score: neck.score };
  BONES.forEach(([a, b], i) => {
    const [pa, pb, qa] = [driving[a], driving[b], out[a]];
    if (!seen(pa) || !seen(pb) || !qa || qa.score < threshold) return;
    const l = len(pa, pb) * ratios[i]!;
    const angle = Math.atan2(pb.y - pa.y, pb.x - pa.x);
    out[b] = { x: qa.x + l * Math.cos(angle), y: qa.y + l * Math.sin(angle), score: pb.score };
  });
  return out;
}

/** The retargeted pose of each driving frame: ratios from the first frame, neck on the reference's neck. */
export function retargetPoses(frames: readonly PersonPose[], reference: PersonPose, threshold = RETARGET_SEEN): PersonPose[] {
  const first = frames[0];
  const refNeck = reference.body[BODY.Neck];
  if (!first || !seenAbove(threshold)(refNeck)) return [...frames];
  const ratios = boneRatios(first.body, reference.body, threshold);
  return frames.map((f) => ({ ...f, body: retargetBody(f.body, ratios, refNeck, threshold), leftHand: null, rightHand: null, face: null }));
}
