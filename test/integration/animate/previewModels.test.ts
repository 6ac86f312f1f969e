import { afterAll, describe, expect, it } from 'vitest';
import { primaryPersonIndex, type DetectedPerson, type FrameDetection } from '../../../common/animate/detection';
import { augmentMask } from '../../../common/animate/maskAugment';
import { personMask } from '../../../common/animate/previewImages';
import { PreviewDetector } from '../../../main/core/animate/previewDetector';
import { rgbFrame } from '../../helpers/animateFrames';
import { realMedia } from '../../helpers/realMedia';

/** The real bundled models, in the real inference worker, on real photos and video of people. */
const detector = new PreviewDetector();
afterAll(() => detector.dispose());

interface Region {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}
const iou = (a: Region, b: Region) => {
  const ix = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const iy = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = ix * iy;
  return inter / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
};
const confident = (p: DetectedPerson) => p.body.filter((k) => k.score >= 0.3);
const inside = (k: { x: number; y: number }, r: Region, slack = 0) => k.x >= r.x1 - slack && k.x <= r.x2 + slack && k.y >= r.y1 - slack && k.y <= r.y2 + slack;

/** Every confident joint lies in the replacement mask built with the default parameters. */
function expectMaskCoversJoints(detection: FrameDetection, person: DetectedPerson): void {
  const mask = augmentMask(personMask(detection, person), { iterations: 3, kernelSize: 7, wSubdivisions: 2, hSubdivisions: 2 }).mask;
  for (const k of confident(person)) {
    const x = Math.min(detection.width - 1, Math.max(0, Math.round(k.x)));
    const y = Math.min(detection.height - 1, Math.max(0, Math.round(k.y)));
    expect(mask.data[y * detection.width + x], `joint at ${x},${y}`).toBe(1);
  }
}

describe('bundled preview models on real people', () => {
  it('messi5.jpg: one player, box and joints on him, the mask covers the joints', async () => {
    const frame = rgbFrame(realMedia('messi5.jpg'));
    const d = await detector.detect(frame);
    expect(d.model.id).toBe('bundled');
    const player = d.people[primaryPersonIndex(d.people)]!;
    // The player spans about x 70..455, y 60..330 of the 548 x 342 photo (checked by eye).
    const truth = { x1: 70, y1: 60, x2: 455, y2: 330 };
    expect(iou(player.box, truth)).toBeGreaterThan(0.6);
    expect(confident(player).length).toBeGreaterThanOrEqual(10);
    for (const k of confident(player)) expect(inside(k, truth, 25), JSON.stringify(k)).toBe(true);
    expectMaskCoversJoints(d, player);
  });

  it('basketball1.png: both people found, each box on its person, joints inside their boxes', async () => {
    const d = await detector.detect(rgbFrame(realMedia('basketball1.png')));
    // Left: the player holding the ball (x 30..165); right: the man at the edge (x 430..640).
    const left = { x1: 30, y1: 80, x2: 165, y2: 480 };
    const right = { x1: 430, y1: 20, x2: 640, y2: 480 };
    const onLeft = d.people.find((p) => iou(p.box, left) > 0.5);
    const onRight = d.people.find((p) => iou(p.box, right) > 0.5);
    expect(onLeft).toBeDefined();
    expect(onRight).toBeDefined();
    for (const p of [onLeft!, onRight!]) {
      for (const k of confident(p)) expect(inside(k, p.box, 20)).toBe(true);
      expectMaskCoversJoints(d, p);
    }
    expect(confident(onLeft!).length).toBeGreaterThanOrEqual(12);
  });

  it('vtest.avi frames: pedestrians found, small boxes of walking people with joints inside', async () => {
    for (const at of [5, 20, 40]) {
      const frame = rgbFrame(realMedia('vtest.avi'), at);
      const d = await detector.detect(frame);
      expect(d.people.length, `people at ${at} s`).toBeGreaterThanOrEqual(1);
      for (const p of d.people) {
        const tall = p.box.y2 - p.box.y1;
        // Pedestrians in this 768 x 576 street view are 40..300 px tall, taller than wide.
        expect(tall).toBeGreaterThan(30);
        expect(tall).toBeLessThan(320);
        expect(tall).toBeGreaterThan((p.box.x2 - p.box.x1) * 0.9);
        for (const k of confident(p)) expect(inside(k, p.box, 10)).toBe(true);
        expectMaskCoversJoints(d, p);
      }
    }
  });

  it('a frame with nobody in it gives no people, and the worker stays up for the next frame', async () => {
    const grey = { width: 320, height: 240, rgb: new Uint8Array(320 * 240 * 3).fill(128) };
    expect((await detector.detect(grey)).people).toEqual([]);
    expect((await detector.detect(rgbFrame(realMedia('messi5.jpg')))).people.length).toBeGreaterThanOrEqual(1);
  });
});
