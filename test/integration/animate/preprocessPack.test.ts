import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BODY } from '../../../common/animate/pose';
import { PreviewDetector } from '../../../main/core/animate/previewDetector';
import { decodeHeatmap, poseCrop } from '../../../native/preview/official/vitpose';
import { nms, yoloPeople } from '../../../native/preview/official/yolo';
import { rgbFrame } from '../../helpers/animateFrames';
import { makeTempDir } from '../../helpers/generatedMedia';
import { FIXTURE_BOXES_640, fixturePeak, makePreprocessFixture } from '../../helpers/preprocessFixture';
import { realMedia } from '../../helpers/realMedia';
import { runCliProcess } from '../../helpers/studioProcess';

const pack = makePreprocessFixture(join(makeTempDir('preprocess-pack'), 'process_checkpoint'));
const detector = new PreviewDetector(undefined, undefined, () => pack);
afterAll(() => detector.dispose());

describe('the official preprocessing (YOLOv10m + ViTPose wholebody) when a preprocess pack is installed', () => {
  it('reads both YOLO output layouts, keeps persons only, and suppresses overlaps', () => {
    const e2e = new Float32Array([10, 20, 110, 220, 0.9, 0, 300, 20, 400, 220, 0.7, 5, 12, 22, 112, 222, 0.5, 0]);
    expect(yoloPeople(e2e, [1, 3, 6], 1280, 640)).toEqual([{ x1: 20, y1: 20, x2: 220, y2: 220, score: expect.closeTo(0.9, 5) }]);
    // [1, 84, N]: cx, cy, w, h, then 80 class scores per column.
    const n = 2;
    const v8 = new Float32Array(84 * n);
    [v8[0], v8[n], v8[2 * n], v8[3 * n], v8[4 * n]] = [320, 320, 100, 200, 0.8];
    [v8[1], v8[n + 1], v8[2 * n + 1], v8[3 * n + 1], v8[4 * n + 1], v8[6 * n + 1]] = [100, 100, 50, 50, 0.1, 0.9];
    expect(yoloPeople(v8, [1, 84, n], 640, 640)).toEqual([{ x1: 270, y1: 220, x2: 370, y2: 420, score: expect.closeTo(0.8, 5) }]);
    expect(() => yoloPeople(v8, [1, 5, 5], 640, 640)).toThrow(/expected \[1, N, 6\] or \[1, 84, N\]/);
    expect(nms([{ x1: 0, y1: 0, x2: 10, y2: 10, score: 0.5 }, { x1: 0, y1: 0, x2: 10, y2: 9, score: 0.9 }])).toHaveLength(1);
  });

  it('DARK decoding finds a sub-pixel peak; the crop is 1.25x the box at aspect 192:256', () => {
    const [w, h] = [48, 64];
    const hm = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) hm[y * w + x] = Math.exp(-((x - 20.3) ** 2 + (y - 30.6) ** 2) / 8);
    const d = decodeHeatmap(hm, w, h);
    expect(d.x).toBeCloseTo(20.3, 1);
    expect(d.y).toBeCloseTo(30.6, 1);
    expect(poseCrop({ x1: 100, y1: 100, x2: 200, y2: 500, score: 1 }, 1000, 1000)).toEqual({ cx: 150, cy: 300, w: 375, h: 500 });
    // A missing box (score -1) uses the whole frame.
    expect(poseCrop({ x1: 0, y1: 0, x2: 0, y2: 0, score: -1 }, 640, 480).cx).toBe(320);
  });

  it('runs the pack through ONNX Runtime in the worker: boxes scaled to the frame, 133 keypoints back-projected, grouped like Wan', async () => {
    const frame = rgbFrame(realMedia('messi5.jpg'));
    const d = await detector.detect(frame);
    expect(d.model.id).toBe('official');
    expect(d.people).toHaveLength(1);
    const p = d.people[0]!;
    const [x1, , , y2] = FIXTURE_BOXES_640[0]!;
    const [kx, ky] = [frame.width / 640, frame.height / 640];
    expect(p.box.x1).toBeCloseTo(x1! * kx, 3);
    expect(p.box.y2).toBeCloseTo(y2! * ky, 3);
    const crop = poseCrop(p.box, frame.width, frame.height);
    const at = (j: number) => ({ x: (fixturePeak(j).x * crop.w) / 48 + crop.cx - crop.w / 2, y: (fixturePeak(j).y * crop.h) / 64 + crop.cy - crop.h / 2 });
    expect(p.body[BODY.Nose]!.x).toBeCloseTo(at(0).x, 1);
    expect(p.body[BODY.Nose]!.y).toBeCloseTo(at(0).y, 1);
    expect(p.body[BODY.Nose]!.score).toBeCloseTo(0.9, 3);
    // Neck = mean of the shoulders (5, 6).
    expect(p.body[BODY.Neck]!.x).toBeCloseTo((at(5).x + at(6).x) / 2, 1);
    expect(p.face).toHaveLength(68);
    expect(p.face![0]!.x).toBeCloseTo(at(23).x, 1);
    expect(p.leftHand).toHaveLength(21);
    expect(p.rightHand![20]!.y).toBeCloseTo(at(132).y, 1);
    expect(p.mask?.data.some((v) => v === 1)).toBe(true);
  });

  it('the CLI takes --preprocess DIR and says which models made the preview; a folder without the files is refused', async () => {
    const dir = makeTempDir('preprocess-cli');
    const r = await runCliProcess(['preview', 'face', '--image', realMedia('messi5.jpg'), '--preprocess', pack, '--out', join(dir, 'face.png')]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ model: expect.stringContaining('YOLOv10m + ViTPose-H wholebody'), people: 1 });
    const bad = await runCliProcess(['preview', 'pose', '--image', realMedia('messi5.jpg'), '--preprocess', dir, '--out', join(dir, 'x.png')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('not a preprocess pack (it needs det/yolov10m.onnx and pose2d/vitpose_h_wholebody.onnx');
  });
});
