import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTool } from '../../../main/core/media/ffmpegBinaries';
import type { FakeInfsh } from '../../fakes/infsh/fakeInfshServer';
import { startAttackerListener, type AttackerListener } from '../../helpers/attackerListener';
import { startFake, TEST_KEY } from '../../helpers/cloudStudio';
import { makeTempDir } from '../../helpers/generatedMedia';
import { runCliProcess } from '../../helpers/studioProcess';

let fake: FakeInfsh;
let attacker: AttackerListener;
beforeAll(async () => {
  fake = await startFake();
  attacker = await startAttackerListener();
});
afterAll(async () => {
  await fake.stop();
  await attacker.stop();
});

// The parent's INFERENCE_* must not leak into these runs. Each step is a real CLI process (about 1 s each).
const env = { INFERENCE_API_KEY: '', INFERENCE_BASE_URL: '' };
const cli = (home: string, ...args: string[]) => runCliProcess([...args, '--home', home], env);

describe('wan-studio settings', () => {
  it('get, set and unset a tool path; a program that is not ffmpeg is refused naming the "FFmpeg path"', async () => {
    const home = makeTempDir('cli-settings');
    const all = await cli(home, 'settings', 'get');
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('ffmpegPath: (not set)');
    expect(all.stdout).toContain('theme: system');

    const ffmpeg = resolveTool('ffmpeg').path;
    const set = await cli(home, 'settings', 'set', 'ffmpeg-path', ffmpeg);
    expect(set.stderr).toBe('');
    expect(set.stdout).toContain(`ffmpegPath set to ${ffmpeg}.`);
    expect((await cli(home, 'settings', 'get', 'ffmpegPath')).stdout).toBe(`${ffmpeg}\n`);

    const notFfmpeg = join(makeTempDir('cli-settings-prog'), 'ffmpeg');
    writeFileSync(notFfmpeg, '#!/bin/sh\necho hello\n');
    chmodSync(notFfmpeg, 0o755);
    const refused = await cli(home, 'settings', 'set', 'ffmpegPath', notFfmpeg);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`The "FFmpeg path" (${notFfmpeg}) is not ffmpeg`);
    expect((await cli(home, 'settings', 'get', 'ffmpegPath')).stdout).toBe(`${ffmpeg}\n`);

    expect((await cli(home, 'settings', 'unset', 'ffmpegPath')).stdout).toContain('ffmpegPath unset.');
    expect((await cli(home, 'settings', 'get', 'ffmpegPath')).stdout).toBe('\n');
    expect((await cli(home, 'settings', 'set', 'theme', 'dark')).code).toBe(0);
    expect((await cli(home, 'settings', 'unset', 'theme')).stdout).toContain('theme set to system.');
  }, 120_000);

  it('usage mistakes exit 2 with the help', async () => {
    const home = makeTempDir('cli-settings-usage');
    const unknown = await cli(home, 'settings', 'get', 'apiKey');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown setting "apiKey"');
    expect((await cli(home, 'settings', 'set', 'theme')).code).toBe(2);
    const bad = await cli(home, 'settings', 'set', 'theme', 'purple');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('patch.theme: must be one of system, dark, light');
  }, 60_000);
});

describe('wan-studio cloud check and the API address', () => {
  it('checks the key; after the address changes the key must be entered again; plain http off this computer is refused', async () => {
    const home = makeTempDir('cli-cloud-check');
    expect((await cli(home, 'settings', 'set', 'cloudBaseUrl', fake.baseUrl)).code).toBe(0);
    const noKey = await cli(home, 'cloud', 'check');
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('No API key');
    expect((await runCliProcess(['cloud', 'key', 'set', '--home', home], env, `${TEST_KEY}\n`)).stdout).toContain(`for ${fake.baseUrl}`);

    const ok = await cli(home, 'cloud', 'check');
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain(`Connected to ${fake.baseUrl}; the key was accepted.`);

    const moved = await cli(home, 'settings', 'set', 'cloudBaseUrl', attacker.url);
    expect(moved.stdout).toContain(`cloudBaseUrl set to ${attacker.url}.`);
    expect(moved.stdout).toContain('Note: The saved API key was entered for');
    const refused = await cli(home, 'cloud', 'check');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('enter the key again in Settings → Cloud');
    expect(attacker.authorized()).toBe(0);

    const plain = await cli(home, 'settings', 'set', 'cloudBaseUrl', 'http://api.example.com');
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('patch.cloudBaseUrl: must use https://');
  }, 120_000);
});
