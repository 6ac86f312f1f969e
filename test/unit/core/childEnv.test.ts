import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { childEnv, isPassedToChildren } from '../../../main/core/childEnv';
import { ForkAdapter } from '../../../main/core/engines/local/forkAdapter';
import { runProcess } from '../../../main/core/media/runProcess';
import { makeTempDir } from '../../helpers/generatedMedia';

const SECRET = 'inf_child_env_secret_93ab';

describe('childEnv', () => {
  it('passes what programs need and nothing secret-looking', () => {
    const env = childEnv({
      PATH: '/usr/bin',
      HOME: '/home/u',
      LANG: 'de_DE.UTF-8',
      LC_ALL: 'C',
      TMPDIR: '/tmp/x',
      CUDA_VISIBLE_DEVICES: '0',
      INFERENCE_API_KEY: SECRET,
      INFERENCE_BASE_URL: 'https://elsewhere.example',
      AWS_SECRET_ACCESS_KEY: 'x',
      GITHUB_TOKEN: 'x',
      LC_API_KEY: 'x',
      NODE_OPTIONS: '--require /tmp/evil.js',
      FFREPORT: 'file=/tmp/r.log',
      WAN_STUDIO_HOME: '/lib',
    });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/u', LANG: 'de_DE.UTF-8', LC_ALL: 'C', TMPDIR: '/tmp/x', CUDA_VISIBLE_DEVICES: '0' });
    expect(isPassedToChildren('INFERENCE_API_KEY')).toBe(false);
    expect(isPassedToChildren('NVIDIA_DRIVER_CAPABILITIES')).toBe(true);
  });
});

describe('spawned children', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.INFERENCE_API_KEY;
    process.env.INFERENCE_API_KEY = SECRET;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.INFERENCE_API_KEY;
    else process.env.INFERENCE_API_KEY = saved;
  });

  it('a tool run (ffmpeg, ffprobe) does not see INFERENCE_API_KEY but has PATH', async () => {
    const r = await runProcess('/usr/bin/env', [], { timeoutMs: 10_000 });
    const text = r.stdout.toString('utf8');
    expect(r.code).toBe(0);
    expect(text).toMatch(/^PATH=/m);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('INFERENCE_API_KEY');
  });

  it('a forked worker does not see INFERENCE_API_KEY', async () => {
    const entry = join(makeTempDir('child-env'), 'dump.mjs');
    writeFileSync(entry, 'process.stderr.write(JSON.stringify(process.env)); process.exit(0);\n');
    const worker = new ForkAdapter(entry);
    let text = '';
    worker.onStderr((t) => (text += t));
    await new Promise<void>((resolve) => worker.onExit(() => resolve()));
    const env = JSON.parse(text) as Record<string, string>;
    expect(env.PATH).toBe(process.env.PATH);
    expect(Object.values(env)).not.toContain(SECRET);
    expect(Object.keys(env)).not.toContain('INFERENCE_API_KEY');
  });
});
