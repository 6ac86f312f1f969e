import { describe, expect, it } from 'vitest';
import { BODY, type Keypoint, type PersonPose } from '../../../common/animate/pose';
import { BONES, boneRatios, retargetPoses } from '../../../common/animate/retarget';

/** A standing skeleton, scaled by `s` and moved to (ox, oy). */
function skeleton(s: number, ox: number, oy: number, armAngle = 0): Keypoint[] {
  const at: Record<number, [number, number]> = {
    [BODY.Nose]: [0, -20], [BODY.Neck]: [0, 0], [BODY.RShoulder]: [-15, 0], [BODY.LShoulder]: [15, 0],
    [BODY.RElbow]: [-15 - 20 * Math.cos(armAngle), 20 * Math.sin(armAngle)], [BODY.LElbow]: [35, 0], [BODY.RWrist]: [-15 - 40 * Math.cos(armAngle), 40 * Math.sin(armAngle)], [BODY.LWrist]: [55, 0],
    [BODY.RHip]: [-10, 50], [BODY.LHip]: [10, 50], [BODY.RKnee]: [-10, 80], [BODY.LKnee]: [10, 80], [BODY.RAnkle]: [-10, 110], [BODY.LAnkle]: [10, 110],
    [BODY.REye]: [-4, -24], [BODY.LEye]: [4, -24], [BODY.REar]: [-8, -22], [BODY.LEar]: [8, -22], [BODY.LToe]: [14, 114], [BODY.RToe]: [-14, 114],
  };
  return Array.from({ length: 20 }, (_, i) => ({ x: ox + at[i]![0] * s, y: oy + at[i]![1] * s, score: 0.9 }));
}
const pose = (body: Keypoint[]): PersonPose => ({ box: { x1: 0, y1: 0, x2: 1, y2: 1, score: 1 }, body, leftHand: null, rightHand: null, face: null });

describe('pose retargeting (retarget_flag)', () => {
  it('a reference twice the size gives every bone a ratio of 2', () => {
    const ratios = boneRatios(skeleton(1, 100, 100), skeleton(2, 300, 50));
    expect(ratios).toHaveLength(BONES.length);
    for (const r of ratios) expect(r).toBeCloseTo(2, 6);
  });

  it('keeps the driving angles, takes the reference lengths, and stands on the reference neck', () => {
    const driving = [skeleton(1, 100, 100), skeleton(1, 120, 100, Math.PI / 4)];
    const ref = skeleton(1.5, 400, 200);
    const [a, b] = retargetPoses(driving.map(pose), pose(ref));
    // Frame 0 is the reference itself (same shape, scaled 1.5, placed on its neck).
    for (let i = 0; i < 20; i++) {
      expect(a!.body[i]!.x).toBeCloseTo(ref[i]!.x, 6);
      expect(a!.body[i]!.y).toBeCloseTo(ref[i]!.y, 6);
    }
    // Frame 1: the raised right arm keeps its 45 degrees with the reference's forearm length.
    const [e, w] = [b!.body[BODY.RElbow]!, b!.body[BODY.RWrist]!];
    expect(Math.atan2(w.y - e.y, w.x - e.x)).toBeCloseTo(Math.atan2(Math.sin(Math.PI / 4), -Math.cos(Math.PI / 4)), 6);
    expect(Math.hypot(w.x - e.x, w.y - e.y)).toBeCloseTo(30, 6);
    expect(b!.body[BODY.Neck]).toMatchObject({ x: 400, y: 200 });
  });

  it('a joint missing in the reference takes the shoulders\' ratio; a driving frame without a neck gives nothing', () => {
    const ref = skeleton(2, 0, 0);
    ref[BODY.LKnee] = { x: 0, y: 0, score: 0 };
    const ratios = boneRatios(skeleton(1, 0, 0), ref);
    expect(ratios[10]).toBeCloseTo(2, 6);
    const noNeck = skeleton(1, 0, 0);
    noNeck[BODY.Neck] = { x: 0, y: 0, score: 0.1 };
    const [out] = retargetPoses([pose(skeleton(1, 0, 0)), pose(noNeck)].slice(1), pose(ref));
    expect(out!.body.every((k) => k.score === 0)).toBe(true);
  });
});
