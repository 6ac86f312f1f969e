import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../../../main/core/media/runProcess';
import { makeTempDir } from '../../helpers/generatedMedia';
import { isAlive } from '../../helpers/processes';

describe('runProcess is bounded by its timeout', () => {
  it('even when the program leaves a background process holding its output open', async () => {
    const pidFile = join(makeTempDir('run-bounds'), 'orphan.pid');
    // The shell exits at once; its background sleep keeps stdout open for two minutes.
    const r = await runProcess('/bin/sh', ['-c', `sleep 120 & echo $! > '${pidFile}'`], { timeoutMs: 1000 });
    expect(r.timedOut).toBe(true);
    const orphan = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
    if (orphan > 0 && isAlive(orphan)) process.kill(orphan, 'SIGKILL');
  });
});
