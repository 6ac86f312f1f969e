import { primaryPersonIndex, type FrameDetection } from '../../../common/animate/detection';
import { encodeRuns } from '../../../common/animate/maskRle';
import { personIssues } from '../../../common/animate/personChecks';
import type { FramePreviewDto } from '../contract/animateTypes';

const r1 = (v: number) => Math.round(v * 10) / 10;
const r3 = (v: number) => Math.round(v * 1000) / 1000;
const kp = (k: { x: number; y: number; score: number }) => ({ x: r1(k.x), y: r1(k.y), score: r3(k.score) });

/** A worker detection as the page gets it: rounded numbers, masks as run lengths, issues named. */
export function toFramePreview(d: FrameDetection, atSec: number, where: string, source: FramePreviewDto['source']): FramePreviewDto {
  const primary = primaryPersonIndex(d.people);
  return {
    atSec,
    width: d.width,
    height: d.height,
    model: d.model,
    people: d.people.map((p) => ({
      box: { x1: r1(p.box.x1), y1: r1(p.box.y1), x2: r1(p.box.x2), y2: r1(p.box.y2), score: r3(p.box.score) },
      body: p.body.map(kp),
      face: p.face?.map(kp) ?? null,
      leftHand: p.leftHand?.map(kp) ?? null,
      rightHand: p.rightHand?.map(kp) ?? null,
      mask: p.mask ? { x0: p.mask.x0, y0: p.mask.y0, width: p.mask.width, height: p.mask.height, runs: encodeRuns(p.mask.data) } : null,
    })),
    primary,
    issues: personIssues(d, primary, where),
    where,
    source,
  };
}
