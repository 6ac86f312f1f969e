import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { animateSizeByArea } from '../../../common/animate/animateSize';
import { silentLogger } from '../../../main/core/logger';
import { probeMedia } from '../../../main/core/media/probe';
import { createStudioCore } from '../../../main/core/studioCore';
import { realMedia } from '../../helpers/realMedia';
import { submitRender } from '../../helpers/renderJobs';
import { exporterPython, runExporterOk } from '../../helpers/wanExport';

/**
 * A local Animate render end to end: tools/wan-export makes a tiny random-weight pack in the official
 * Wan2.2-Animate-14B layout, the studio imports it, and a replacement render of real people (two
 * basketball players, the picked one replaced by messi5.jpg's footballer) goes through the editor's
 * draft, the queue, the main-side preparation and the worker to a video at the processing size and
 * rate with the driving video's sound. The pixels are noise (random weights): the plumbing is proved.
 */
let dir: string;
let pack: string;

beforeAll(async () => {
  exporterPython();
  dir = await mkdtemp(join(tmpdir(), 'wan-animate-e2e-'));
  runExporterOk(['tiny', '--app', 'animate', '--out', join(dir, 'ckpt')]);
  pack = join(dir, 'pack');
  runExporterOk(['export', '--app', 'animate', '--checkpoint', join(dir, 'ckpt'), '--out', pack, '--weights', 'float32']);
}, 600_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a local Animate render with the tiny exported pack', { timeout: 900_000 }, () => {
  it('is offered once the pack is imported, and renders the trimmed driving video (replacement, picked person) to a video with its sound', async () => {
    const driving = join(dir, 'players.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-loop', '1', '-i', realMedia('basketball1.png'), '-f', 'lavfi', '-i', 'sine=f=440:d=3', '-t', '3', '-r', '10', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-c:a', 'aac', '-shortest', driving]);
    const core = await createStudioCore({ home: join(dir, 'home'), log: silentLogger, env: {} });
    try {
      const project = core.library.createProject('Local Animate', 'animate');
      expect((await core.render.check(project.id, 'local', undefined)).engines.local).toEqual({ available: false, reason: 'No Animate model pack is installed: import one in Settings → Local engine.' });
      await core.packs.importFrom(pack);
      expect((await core.render.check(project.id, 'local', undefined)).engines.local).toEqual({ available: true, reason: null });
      const video = await core.library.importFile({ projectId: project.id, path: driving, displayName: 'players.mp4', move: false });
      const image = await core.library.importFile({ projectId: project.id, path: realMedia('messi5.jpg'), displayName: 'messi5.jpg', move: false });
      core.library.updateProjectState(project.id, {
        animate: {
          videoAssetId: video.asset.id,
          referenceAssetId: image.asset.id,
          videoTrim: { inSec: 0.5, outSec: 1.5 },
          person: { x: 0.3, y: 0.5, atSec: 1 },
          params: { mode: 'replacement', resolution_width: 512, resolution_height: 512, fps: -1, clip_len: 5, refert_num: 1, sampling_steps: 10, seed: 7, input_prompt: 'a footballer playing basketball' },
        },
      });
      const job = await core.render.settled((await submitRender(core, project.id, 'local')).id);
      expect(job.error).toBeNull();
      expect(job.status).toBe('completed');
      const output = core.library.outputs.get(job.outputId!);
      const info = await probeMedia(join(core.library.home, output.file));
      const size = animateSizeByArea(640, 480, 512 * 512);
      expect(info.video).toMatchObject({ width: size.width, height: size.height, fps: 10 });
      expect(info.video!.frameCount).toBe(10);
      expect(info.audio).not.toBeNull();
      expect(info.durationSec).toBeCloseTo(1, 1);
      // 10 frames in clips of 5 advancing by 4 (1 guidance frame): padded to 13, three clips.
      expect(output.settings).toMatchObject({ mode: 'replacement', seed: 7, processing: { ...size, fps: 10, frames: 10, clips: 3 } });
      // The prepared sequences and checkpoints are gone once the job is done.
      expect(existsSync(join(core.library.layout.jobs, job.id, 'animate'))).toBe(false);
      expect(existsSync(join(core.library.layout.jobs, job.id, 'checkpoints'))).toBe(false);
    } finally {
      await core.dispose();
    }
  });
});
