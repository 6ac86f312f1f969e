import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/logger';
import { createStudioCore, type StudioCore } from '../../../main/core/studioCore';
import { makeTempDir } from '../../helpers/generatedMedia';
import { makePreprocessFixture } from '../../helpers/preprocessFixture';
import { runCliProcess } from '../../helpers/studioProcess';

const open: StudioCore[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.dispose();
});

describe('installing the official preprocess pack', () => {
  it('wan-studio packs import takes a process_checkpoint folder; packs list says which models make previews; remove goes back', async () => {
    const home = makeTempDir('preprocess-install-home');
    const pack = makePreprocessFixture(join(makeTempDir('preprocess-install'), 'process_checkpoint'));
    const list = async () => {
      const r = await runCliProcess(['packs', 'list', '--home', home]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    expect(await list()).toContain('Previews: MoveNet MultiPose + MediaPipe Selfie (bundled preview models)');

    const installed = await runCliProcess(['packs', 'import', pack, '--home', home]);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toMatch(/Installed the preprocess pack \(det\/yolov10m\.onnx .*, pose2d\/vitpose_h_wholebody\.onnx .*\)\. Previews: YOLOv10m \+ ViTPose-H wholebody/);
    expect(existsSync(join(home, 'preprocess', 'det', 'yolov10m.onnx'))).toBe(true);
    expect(await list()).toContain(`Previews: YOLOv10m + ViTPose-H wholebody (official preprocess pack; mask by MediaPipe Selfie, as SAM2 has no ONNX export) (preprocess pack in ${join(home, 'preprocess')})`);

    const removed = await runCliProcess(['packs', 'remove', 'preprocess', '--home', home]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain('Previews: MoveNet MultiPose');
    expect(existsSync(join(home, 'preprocess'))).toBe(false);
  });

  it('a wrong folder is refused before anything is copied, each bad file named; the installed pack stays', async () => {
    const core = await createStudioCore({ home: makeTempDir('preprocess-bad-home'), log: silentLogger });
    open.push(core);
    const good = makePreprocessFixture(join(makeTempDir('preprocess-good'), 'process_checkpoint'));
    const ok = await core.dispatch('engines.installPreprocess', { path: good }, { transport: 'ipc' });
    expect(ok.ok).toBe(true);

    // The pose model where the detector should be, and no pose model at all.
    const bad = join(makeTempDir('preprocess-bad'), 'process_checkpoint');
    mkdirSync(join(bad, 'det'), { recursive: true });
    copyFileSync(join(good, 'pose2d', 'vitpose_h_wholebody.onnx'), join(bad, 'det', 'yolov10m.onnx'));
    const refused = await core.dispatch('engines.installPreprocess', { path: bad }, { transport: 'ipc' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.message).toContain(`Preprocess pack: ${bad} is not the official preprocessing folder`);
      expect(refused.error.message).toContain('det/yolov10m.onnx takes [batch, 3, 256, 192]; the YOLOv10m person detector takes [1, 3, 640, 640]');
      expect(refused.error.message).toContain('pose2d/vitpose_h_wholebody.onnx (the ViTPose-H wholebody pose model) is missing');
      expect(refused.error.message).toContain('Nothing was installed');
    }
    const status = await core.dispatch('engines.preprocessStatus', {}, { transport: 'ipc' });
    expect(status.ok && status.value).toMatchObject({ installed: true, previews: { id: 'official' } });

    // A browser page cannot name folders on this machine.
    const fromPage = await core.dispatch('engines.installPreprocess', { path: good }, { transport: 'ws' });
    expect(fromPage.ok).toBe(false);
    if (!fromPage.ok) expect(fromPage.error.code).toBe('forbidden');

    rmSync(bad, { recursive: true, force: true });
    const gone = await core.dispatch('engines.installPreprocess', { path: bad }, { transport: 'ipc' });
    expect(!gone.ok && gone.error.message).toContain('does not exist');
  });
});
