import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../../main/core/media/probe';
import type { FakeInfsh } from '../../fakes/infsh/fakeInfshServer';
import { startFake, TEST_KEY } from '../../helpers/cloudStudio';
import { makeMp4, makePng, makeTempDir, makeWav } from '../../helpers/generatedMedia';
import { runCliProcess } from '../../helpers/studioProcess';

let fake: FakeInfsh;
beforeAll(async () => {
  fake = await startFake();
});
afterAll(() => fake.stop());

// The parent's INFERENCE_* must not leak into these runs.
const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ INFERENCE_API_KEY: '', INFERENCE_BASE_URL: fake.baseUrl, ...extra });

describe('wan-studio cloud', () => {
  it('run s2v: prints progress and the output path of a real video', async () => {
    const home = makeTempDir('cli-cloud');
    const src = makeTempDir('cli-cloud-src');
    const r = await runCliProcess(
      ['cloud', 'run', 's2v', '--image', makePng(join(src, 'face.png'), '240x320'), '--audio', makeWav(join(src, 'line.wav'), 2), '--prompt', 'a person speaking calmly', '--resolution', '480p', '--seed', '42', '--home', home],
      env({ INFERENCE_API_KEY: TEST_KEY }),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Uploading inputs/);
    expect(r.stdout).toMatch(/Rendering/);
    const file = /^Done: (.+\.mp4) \(seed 42\)$/m.exec(r.stdout)?.[1];
    expect(file).toBeDefined();
    const info = await probeMedia(file!);
    expect(info.video).not.toBeNull();
    expect(r.stdout + r.stderr).not.toContain(TEST_KEY);
  });

  it('run animate --mode replacement with --json lines', async () => {
    const home = makeTempDir('cli-cloud-anim');
    const src = makeTempDir('cli-cloud-anim-src');
    const r = await runCliProcess(
      ['cloud', 'run', 'animate', '--video', makeMp4(join(src, 'moves.mp4'), 2), '--image', makePng(join(src, 'hero.png'), '200x300'), '--mode', 'replacement', '--resolution-width', '512', '--resolution-height', '512', '--json', '--home', home],
      env({ INFERENCE_API_KEY: TEST_KEY }),
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; file?: string; job?: { params: Record<string, unknown> } });
    const result = lines.at(-1)!;
    expect(result.type).toBe('result');
    expect(existsSync(result.file!)).toBe(true);
    expect(lines.find((l) => l.type === 'job')?.job?.params).toMatchObject({ mode: 'replacement', resolution_width: 512 });
  });

  it('bad parameters are refused before anything is uploaded, naming the field and the rule', async () => {
    const home = makeTempDir('cli-cloud-bad');
    const src = makeTempDir('cli-cloud-bad-src');
    const before = fake.requests.length;
    const r = await runCliProcess(
      ['cloud', 'run', 'animate', '--video', makeMp4(join(src, 'm.mp4'), 1), '--image', makePng(join(src, 'h.png')), '--clip-len', '76', '--home', home],
      env({ INFERENCE_API_KEY: TEST_KEY }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Frames per clip 76: must be 4n+1, like 73 or 77');
    expect(fake.requests.length).toBe(before);
    const usage = await runCliProcess(['cloud', 'run', 's2v', '--image', 'x.png', '--home', home], env());
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--audio is required for s2v');
  });

  it('key set stores the key in a 0600 file that status reports without showing it; clear removes it', async () => {
    const home = makeTempDir('cli-cloud-key');
    const set = await runCliProcess(['cloud', 'key', 'set', '--home', home], env(), `${TEST_KEY}\n`);
    expect(set.code).toBe(0);
    const file = join(home, 'secrets', 'inference-api-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The key is saved with the API address it was entered for (it is sent to that address only).
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ key: TEST_KEY, address: fake.baseUrl });
    const status = await runCliProcess(['cloud', 'status', '--home', home], env());
    expect(status.stdout).toContain('API key: stored (file)');
    expect(status.stdout).toContain(`Service: ${fake.baseUrl} (env)`);
    expect(status.stdout).not.toContain(TEST_KEY);
    const schema = await runCliProcess(['cloud', 'schema', 's2v', '--home', home], env());
    expect(schema.code).toBe(0);
    expect(schema.stdout).toContain("infsh/wan-2-2-s2v: the live schema matches the studio's parameters.");
    const clear = await runCliProcess(['cloud', 'key', 'clear', '--home', home], env());
    expect(clear.code).toBe(0);
    expect(existsSync(file)).toBe(false);
    const noKey = await runCliProcess(['cloud', 'schema', 'animate', '--home', home], env());
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/No inference.sh API key is set/);
  });
});
