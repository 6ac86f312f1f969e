import { describe, expect, it } from 'vitest';
import type { FrameDetection } from '../../../common/animate/detection';
import { faceCropRect, resizeRgbRegion } from '../../../common/animate/faceCrop';
import { linearAxis } from '../../../common/animate/linearAxis';
import { personIssues } from '../../../common/animate/personChecks';
import { BODY, poseFromCoco17, poseFromWholebody, type Keypoint } from '../../../common/animate/pose';
import { blankCanvas, bodyStickWidth, drawPose, POSE_COLORS } from '../../../common/animate/poseDraw';
import { YOLO_SIZE, yoloInput } from '../../../native/preview/official/yolo';

const kp = (x: number, y: number, score = 0.9): Keypoint => ({ x, y, score });
const box = { x1: 0, y1: 0, x2: 100, y2: 200, score: 0.9 };

describe('pose grouping, drawing and face crops as Wan Animate has them', () => {
  it('groups 133 wholebody points: neck is the shoulders mean, toes the mean of two foot points, hands and 68 face points', () => {
    const points = Array.from({ length: 133 }, (_, i) => kp(i, 2 * i));
    const pose = poseFromWholebody(points, box);
    expect(pose.body).toHaveLength(20);
    expect(pose.body[BODY.Neck]).toEqual(kp(5.5, 11));
    expect(pose.body[BODY.LToe]).toEqual(kp(17.5, 35));
    expect(pose.body[BODY.RToe]).toEqual(kp(20.5, 41));
    expect(pose.body[BODY.RShoulder]).toEqual(kp(6, 12));
    expect(pose.leftHand?.[0]).toEqual(kp(91, 182));
    expect(pose.rightHand?.[20]).toEqual(kp(132, 264));
    expect(pose.face).toHaveLength(68);
    expect(pose.face?.[0]).toEqual(kp(23, 46));
  });

  it('maps COCO-17 onto the same body with no toes, hands or face', () => {
    const pose = poseFromCoco17(Array.from({ length: 17 }, (_, i) => kp(i, i)), box);
    expect(pose.body[BODY.Neck]).toEqual(kp(5.5, 5.5));
    expect(pose.body[BODY.LToe]?.score).toBe(0);
    expect(pose.face).toBeNull();
  });

  it('draws limbs at 60% of the palette and joints in full colour, with the v2 stick width', () => {
    expect(bodyStickWidth(1280, 720)).toBe(2);
    expect(bodyStickWidth(300, 300)).toBe(1);
    const body = Array.from({ length: 20 }, () => kp(0, 0, 0));
    body[BODY.Neck] = kp(100, 50);
    body[BODY.RShoulder] = kp(60, 50);
    const canvas = drawPose(blankCanvas(200, 200), { box, body, leftHand: null, rightHand: null, face: null });
    const at = (x: number, y: number) => Array.from(canvas.data.subarray((y * 200 + x) * 3, (y * 200 + x) * 3 + 3));
    // Limb 0 (neck -> right shoulder) midpoint: red at 0.6.
    expect(at(80, 50)).toEqual([153, 0, 0]);
    // The neck joint (index 1) in its full colour.
    expect(at(100, 50)).toEqual([...POSE_COLORS[1]!]);
    expect(at(150, 150)).toEqual([0, 0, 0]);
  });

  it('crops the face like the official code: area x1.3, 3/4 of the extra height above, clipped, truncated', () => {
    const rect = faceCropRect([kp(100, 100), kp(200, 100), kp(100, 240), kp(200, 240)], 1000, 1000)!;
    const s = Math.sqrt(1.3);
    const dx = (100 * s - 100) / 2;
    const dy = (140 * s - 140) / 4;
    expect(rect).toEqual({ x0: Math.trunc(100 - dx), y0: Math.trunc(100 - 3 * dy), x1: Math.trunc(200 + dx), y1: Math.trunc(240 + dy) });
    expect(faceCropRect([kp(2, 2), kp(50, 60)], 40, 40)).toEqual(expect.objectContaining({ x0: 0, y0: 0, x1: 40, y1: 40 }));
    expect(faceCropRect([], 10, 10)).toBeNull();
  });

  it('resizes a flat region to a flat 512 x 512 picture', () => {
    const rgb = new Uint8Array(20 * 10 * 3).fill(77);
    const out = resizeRgbRegion(rgb, 20, { x0: 2, y0: 1, x1: 12, y1: 9 });
    expect(out.length).toBe(512 * 512 * 3);
    expect(out.every((v) => v === 77)).toBe(true);
  });

  it('says what is wrong with a frame: no person, several, tiny, cut off, no body', () => {
    const where = 'clip.mp4 at 2 s';
    const body = (score: number) => Array.from({ length: 20 }, () => kp(50, 50, score));
    const person = (b: typeof box, s = 0.9) => ({ box: b, body: body(s), leftHand: null, rightHand: null, face: null, mask: null });
    const frame = (people: FrameDetection['people']): FrameDetection => ({ width: 640, height: 480, model: { id: 'bundled', label: 'x' }, people });
    expect(personIssues(frame([]), -1, where).map((i) => i.kind)).toEqual(['no_person']);
    expect(personIssues(frame([]), -1, where)[0]!.message).toContain('No person found in clip.mp4 at 2 s');
    const big = person({ x1: 100, y1: 50, x2: 300, y2: 450, score: 0.9 });
    const small = person({ x1: 400, y1: 100, x2: 420, y2: 140, score: 0.9 });
    expect(personIssues(frame([big, small]), 0, where).map((i) => i.kind)).toEqual(['several_people']);
    expect(personIssues(frame([small]), 0, where).map((i) => i.kind)).toEqual(['tiny_person']);
    expect(personIssues(frame([person({ x1: 0, y1: 50, x2: 200, y2: 450, score: 0.9 })]), 0, where).map((i) => i.kind)).toEqual(['leaving_frame']);
    expect(personIssues(frame([person({ x1: 100, y1: 50, x2: 300, y2: 450, score: 0.9 }, 0.1)]), 0, where).map((i) => i.kind)).toEqual(['no_body']);
  });
});

describe('bilinear resizing as cv2.resize INTER_LINEAR', () => {
  it('places samples at half-pixel centres and clamps the edges: 2 pixels to 4 are a, 3a/4 + b/4, a/4 + 3b/4, b', () => {
    const axis = linearAxis(2, 4);
    expect([...axis.i0]).toEqual([0, 0, 0, 1]);
    expect([...axis.i1]).toEqual([1, 1, 1, 1]);
    expect([...axis.w]).toEqual([0, 0.25, 0.75, 0]);
    const rgb = Uint8Array.from([0, 0, 0, 200, 100, 40]);
    expect([...resizeRgbRegion(rgb, 2, { x0: 0, y0: 0, x1: 2, y1: 1 }, 4).subarray(0, 12)]).toEqual([0, 0, 0, 50, 25, 10, 150, 75, 30, 200, 100, 40]);
  });

  it('the face crop (bytes) and the YOLO input (floats / 255) sample a frame alike', () => {
    const width = 97;
    const height = 61;
    const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 131 + (i >> 7) * 17) % 256);
    const bytes = resizeRgbRegion(rgb, width, { x0: 0, y0: 0, x1: width, y1: height }, YOLO_SIZE);
    const floats = yoloInput(rgb, width, height);
    const plane = YOLO_SIZE * YOLO_SIZE;
    let worst = 0;
    for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(bytes[p * 3 + c]! - floats[c * plane + p]! * 255));
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-3);
  });
});
