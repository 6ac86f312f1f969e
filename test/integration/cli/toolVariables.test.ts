import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTool } from '../../../main/core/media/ffmpegBinaries';
import { makeTempDir } from '../../helpers/generatedMedia';
import { runCliProcess, startServe } from '../../helpers/studioProcess';

/** A program that is not ffmpeg (a stand-in for "any program"). */
function impostor(dir: string): string {
  const path = join(dir, 'not-ffmpeg');
  writeFileSync(path, `#!/bin/sh\necho "hello from $0"\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('FFMPEG_PATH and FFPROBE_PATH are checked at start', () => {
  it('a variable pointing at another program stops the CLI and serve with a message naming the variable', async () => {
    const dir = makeTempDir('tool-vars');
    const path = impostor(dir);
    const home = makeTempDir('tool-vars-home');
    const list = await runCliProcess(['projects', 'list', '--home', home], { FFMPEG_PATH: path });
    expect(list.code).not.toBe(0);
    expect(list.stderr).toContain(`FFMPEG_PATH is set to ${path}, which is not ffmpeg: running it with -version did not print "ffmpeg version …". Point FFMPEG_PATH at the ffmpeg program`);

    // ffmpeg is not ffprobe: the check reads what the program says it is.
    const ffmpeg = resolveTool('ffmpeg').path;
    const probe = await runCliProcess(['projects', 'list', '--home', home], { FFPROBE_PATH: ffmpeg });
    expect(probe.code).not.toBe(0);
    expect(probe.stderr).toContain(`FFPROBE_PATH is set to ${ffmpeg}, which is not ffprobe`);

    const serve = await startServe(home, [], { FFMPEG_PATH: path }).then(
      async (s) => ({ started: true, exit: await s.stop() }),
      (e: unknown) => ({ started: false, exit: String(e) }),
    );
    expect(serve.started).toBe(false);
    expect(serve.exit).toContain('FFMPEG_PATH is set to');
  }, 60_000);

  it('the real ffmpeg and ffprobe in the variables pass the check', async () => {
    const home = makeTempDir('tool-vars-ok');
    const env = { FFMPEG_PATH: resolveTool('ffmpeg').path, FFPROBE_PATH: resolveTool('ffprobe').path };
    const result = await runCliProcess(['projects', 'list', '--home', home], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);
});
