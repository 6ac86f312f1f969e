import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../helpers/generatedMedia';
import { realMedia } from '../../helpers/realMedia';
import { runCliProcess } from '../../helpers/studioProcess';

const size = (png: string) => execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', png]).toString().trim();

describe('wan-studio preview pose|mask|face', () => {
  it('writes each picture for a video frame and prints the person box as JSON', async () => {
    const dir = makeTempDir('preview-cli');
    const video = realMedia('vtest.avi');
    for (const kind of ['pose', 'mask', 'face'] as const) {
      const out = join(dir, `${kind}.png`);
      const r = await runCliProcess(['preview', kind, '--video', video, '--at', '2.5', '--out', out, '--mask-columns', '3', '--mask-rows', '2']);
      expect(r.code, r.stderr).toBe(0);
      const printed = JSON.parse(r.stdout) as { person: number; people: number; box: { x1: number; y1: number; x2: number; y2: number }; model: string; frame: { width: number } };
      expect(printed.person).toBeGreaterThanOrEqual(1);
      expect(printed.box.x2).toBeGreaterThan(printed.box.x1);
      expect(printed.box.y2).toBeGreaterThan(printed.box.y1);
      expect(printed.model).toContain('MoveNet');
      expect(size(out)).toBe(kind === 'face' ? '512,512' : '768,576');
    }
  });

  it('takes --image, and --person picks another person', async () => {
    const dir = makeTempDir('preview-cli-img');
    const image = realMedia('basketball1.png');
    const first = await runCliProcess(['preview', 'pose', '--image', image, '--out', join(dir, 'a.png')]);
    expect(first.code, first.stderr).toBe(0);
    const a = JSON.parse(first.stdout) as { person: number; people: number; box: { x1: number } };
    expect(a.people).toBeGreaterThanOrEqual(2);
    const other = a.person === 1 ? 2 : 1;
    const second = await runCliProcess(['preview', 'pose', '--image', image, '--person', String(other), '--out', join(dir, 'b.png')]);
    expect(second.code, second.stderr).toBe(0);
    const b = JSON.parse(second.stdout) as { person: number; box: { x1: number } };
    expect(b.person).toBe(other);
    expect(b.box.x1).not.toBe(a.box.x1);
  });

  it('says clearly what is wrong: no person, a time past the end, bad mask parameters', async () => {
    const dir = makeTempDir('preview-cli-bad');
    const grey = join(dir, 'grey.png');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=gray:s=320x240', '-frames:v', '1', grey]);
    const none = await runCliProcess(['preview', 'mask', '--image', grey, '--out', join(dir, 'x.png')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('No person found in grey.png');
    const late = await runCliProcess(['preview', 'mask', '--video', realMedia('vtest.avi'), '--at', '999', '--out', join(dir, 'y.png')]);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/--at 999 s is past the end of vtest.avi \(79\.\d+ s long\)/);
    const bad = await runCliProcess(['preview', 'mask', '--image', grey, '--mask-kernel', '40', '--out', join(dir, 'z.png')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('mask_kernel_size: must be at most 15');
  });
});
