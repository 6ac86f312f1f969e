import { afterAll, describe, expect, it } from 'vitest';
import { Library } from '../../../main/core/library/library';
import { planRender } from '../../../main/core/render/renderPlan';
import { makeTempDir } from '../../helpers/generatedMedia';
import { realMedia } from '../../helpers/realMedia';

/** The local Animate limits show before a job is queued, and only for this computer. */
const opened: Library[] = [];
afterAll(() => opened.forEach((l) => l.close()));

describe('local Animate limits in the render plan', () => {
  it('vtest.avi (79.5 s) untrimmed is refused for this computer naming the field and what to do; the cloud takes it; trimmed to 20 s it plans', async () => {
    const library = await Library.open(makeTempDir('animate-plan-lib'));
    opened.push(library);
    const project = library.createProject('Plan', 'animate');
    const video = (await library.importFile({ projectId: project.id, path: realMedia('vtest.avi'), displayName: 'vtest.avi', move: false })).asset;
    const image = (await library.importFile({ projectId: project.id, path: realMedia('messi5.jpg'), displayName: 'messi5.jpg', move: false })).asset;
    library.updateProjectState(project.id, { animate: { videoAssetId: video.id, referenceAssetId: image.id, params: { mode: 'animation', fps: -1 } } });
    expect(() => planRender(library, project.id, 'animate', undefined, 'local')).toThrow(
      'The render cannot start: Driving video: 79.5 s is longer than the 60 s limit of a local Animate render. Trim it to 60 s or less, or render it in the cloud.',
    );
    expect(planRender(library, project.id, 'animate', undefined, 'cloud').app).toBe('animate');
    library.updateProjectState(project.id, { animate: { videoTrim: { inSec: 10, outSec: 30 } } });
    expect(planRender(library, project.id, 'animate', undefined, 'local').inputSeconds).toBeCloseTo(20, 1);

    // A pack from an older exporter (MatMul attention, 40 heads): the default size cannot fit, and the plan says which size would.
    const older = { app: 'animate' as const, dit: { heads: 40, attention: 'matmul' as const } };
    expect(() => planRender(library, project.id, 'animate', undefined, 'local', older)).toThrow(
      /^The render cannot start: Width and Height 1200x752 need about \d+ GB for the model's attention over a clip of 77 frames; this computer has \d+ GB\. Choose a smaller Width and Height \(at most about [\d,]+ pixels per frame, e\.g\. \d+x\d+\) or render in the cloud\./,
    );
    expect(planRender(library, project.id, 'animate', undefined, 'cloud', older).app).toBe('animate');
    expect(planRender(library, project.id, 'animate', undefined, 'local', { app: 'animate', dit: { heads: 40, attention: 'multihead' } }).app).toBe('animate');
  });
});
