import { execFileSync } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { maskParamsOf } from '../../../common/animate/maskAugment';
import { PreviewDetector } from '../../../main/core/animate/previewDetector';
import { animateParamsSchema } from '../../../main/core/contract/params/index';
import { AnimateFramePreparer } from '../../../main/core/engines/local/animateFramePrep';
import { detectAhead } from '../../../main/core/engines/local/detectAhead';
import { realMedia } from '../../helpers/realMedia';
import { report } from '../helpers/benchTools';

/**
 * The Animate preparation's frame loop on 40 frames of vtest.avi at a replacement size (1104x816):
 * each frame's detection awaited before it is prepared (the baseline), against the next frame's
 * detection asked for while this one is prepared (detectAhead). Best of three, alternating.
 */
const size = { width: 1104, height: 816 };
const FRAMES = 40;
const detector = new PreviewDetector();
afterAll(() => detector.dispose());

function frames(): Buffer[] {
  const all = execFileSync('ffmpeg', ['-v', 'error', '-i', realMedia('vtest.avi'), '-frames:v', String(FRAMES), '-vf', `scale=${size.width}:${size.height}:force_original_aspect_ratio=decrease,pad=${size.width}:${size.height}:(ow-iw)/2:(oh-ih)/2`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 30 });
  const bytes = size.width * size.height * 3;
  return Array.from({ length: FRAMES }, (_, i) => all.subarray(i * bytes, (i + 1) * bytes));
}

const preparer = () =>
  new AnimateFramePreparer({ size, frameSize: size, faceSize: 512, replacement: true, pick: null, retargetTo: null, mask: maskParamsOf(animateParamsSchema.parse({ mode: 'replacement' })) });

async function* iterate(list: Buffer[]) {
  for (const rgb of list) yield { rgb };
}

it('detection one frame ahead against detection then preparation, per frame', { timeout: 600_000 }, async () => {
  const list = frames();
  const detect = (rgb: Buffer) => detector.detect({ ...size, rgb });
  await detect(list[0]!); // the models load once, outside the timings
  const sequential = async () => {
    const p = preparer();
    const t = performance.now();
    for (const rgb of list) p.prepare(rgb, await detect(rgb));
    expect(p.sawPerson).toBe(true);
    return performance.now() - t;
  };
  const ahead = async () => {
    const p = preparer();
    const t = performance.now();
    for await (const f of detectAhead(iterate(list), detect)) p.prepare(f.rgb, f.detection);
    expect(p.sawPerson).toBe(true);
    return performance.now() - t;
  };
  let base = Infinity;
  let prefetch = Infinity;
  for (let round = 0; round < 3; round++) {
    base = Math.min(base, await sequential());
    prefetch = Math.min(prefetch, await ahead());
  }
  report('Animate preparation: detection one frame ahead', {
    'detect, then prepare': `${(base / FRAMES).toFixed(0)} ms/frame`,
    'detect ahead': `${(prefetch / FRAMES).toFixed(0)} ms/frame`,
    'ratio (ahead / baseline)': (prefetch / base).toFixed(2),
  });
});
