import { afterAll, describe, expect, it } from 'vitest';
import { primaryPersonIndex } from '../../../common/animate/detection';
import { personIssues } from '../../../common/animate/personChecks';
import { PreviewDetector } from '../../../main/core/animate/previewDetector';
import { rgbFrame } from '../../helpers/animateFrames';
import { realMedia } from '../../helpers/realMedia';

/** The issue's bad input on real media, through the real bundled models in the real worker. */
const detector = new PreviewDetector();
afterAll(() => detector.dispose());

async function issuesAt(path: string, atSec: number, where: string) {
  const d = await detector.detect(rgbFrame(path, atSec));
  const used = primaryPersonIndex(d.people);
  return { d, used, issues: personIssues(d, used, where) };
}

describe('bad input for Animate, on real media', () => {
  it('a tiny person: vtest.avi pedestrians are named as too small, with their size', async () => {
    const { d, used, issues } = await issuesAt(realMedia('vtest.avi'), 30, 'vtest.avi at 0:30.00');
    expect(used).toBeGreaterThanOrEqual(0);
    const tall = d.people[used]!.box.y2 - d.people[used]!.box.y1;
    expect(tall).toBeLessThan(0.2 * d.height);
    const tiny = issues.find((i) => i.kind === 'tiny_person');
    expect(tiny?.message).toMatch(new RegExp(`The person in vtest.avi at 0:30.00 is only ${Math.round(tall)} px tall \\(of 576\\): the pose and mask will be rough. Use a closer shot.`));
  });

  it('a portrait with no body (Megamind.avi, a talking head as the character): says a body is needed', async () => {
    const { issues } = await issuesAt(realMedia('Megamind.avi'), 3, 'Megamind.avi');
    const noBody = issues.find((i) => i.kind === 'no_body');
    expect(noBody?.message).toBe('Only a head and shoulders are visible in Megamind.avi: Animate follows a body, so choose a shot that shows at least the hips.');
  });

  it('messi5.jpg, a full-body player in view, has none of these problems', async () => {
    const { issues } = await issuesAt(realMedia('messi5.jpg'), 0, 'messi5.jpg');
    expect(issues.map((i) => i.kind).filter((k) => k !== 'several_people')).toEqual([]);
  });
});
