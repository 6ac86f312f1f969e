import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioErrorPayload, Transport, UserSettings } from '../../../main/core/contract/index';
import { resolveTool } from '../../../main/core/media/ffmpegBinaries';
import { silentLogger } from '../../../main/core/logger';
import { createStudioCore, type StudioCore } from '../../../main/core/studioCore';
import { makeTempDir } from '../../helpers/generatedMedia';

let core: StudioCore;
beforeAll(async () => {
  core = await createStudioCore({ home: makeTempDir('settings-access'), env: {}, log: silentLogger });
});
afterAll(() => core.dispose());

const ffmpeg = resolveTool('ffmpeg').path;
const ffprobe = resolveTool('ffprobe').path;

async function update(patch: Partial<UserSettings>, transport: Transport): Promise<{ ok: true } | { ok: false; error: StudioErrorPayload }> {
  const r = await core.dispatch('settings.update', { patch }, { transport });
  return r.ok ? { ok: true } : r;
}

/** A program that leaves a mark when it runs, and prints what it is told to. */
function markingProgram(prints: string): { path: string; ran: () => boolean } {
  const dir = makeTempDir('marking-program');
  const mark = join(dir, 'ran');
  const path = join(dir, 'tool.sh');
  writeFileSync(path, `#!/bin/sh\ntouch '${mark}'\necho '${prints}'\n`);
  chmodSync(path, 0o755);
  return { path, ran: () => existsSync(mark) };
}

describe('a browser page (WebSocket) may not change tool paths or the API address', () => {
  it.each([
    ['ffmpegPath', 'FFmpeg path'],
    ['ffprobePath', 'FFprobe path'],
    ['cloudBaseUrl', 'API address'],
  ] as const)('%s is refused as forbidden, naming "%s", the app window and the CLI', async (name, label) => {
    const program = markingProgram('ffmpeg version 9');
    const value = name === 'cloudBaseUrl' ? 'http://127.0.0.1:9' : program.path;
    const before = core.library.readSettings();
    const r = await update({ [name]: value }, 'ws');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('forbidden');
    expect(r.error.message).toContain(`"${label}" cannot be changed from a browser page`);
    expect(r.error.message).toContain('Wan Studio app window');
    expect(r.error.message).toContain(`wan-studio settings set ${name} VALUE`);
    expect(core.library.readSettings()).toEqual(before);
    expect(program.ran()).toBe(false);
  });

  it('the page may still save its other settings, sending the tool paths unchanged (as the form does)', async () => {
    const current = core.library.readSettings();
    expect(await update({ theme: 'dark', ffmpegPath: current.ffmpegPath ?? '', ffprobePath: current.ffprobePath ?? '', cloudBaseUrl: current.cloudBaseUrl }, 'ws')).toEqual({ ok: true });
    expect(core.library.readSettings().theme).toBe('dark');
  });

  it('the app window and the CLI may change them', async () => {
    expect(await update({ cloudBaseUrl: 'https://proxy.example' }, 'ipc')).toEqual({ ok: true });
    expect(await update({ cloudBaseUrl: 'http://localhost:8080/' }, 'cli')).toEqual({ ok: true });
    expect(await update({ ffmpegPath: ffmpeg, ffprobePath: ffprobe }, 'ipc')).toEqual({ ok: true });
    expect(core.library.readSettings()).toMatchObject({ ffmpegPath: ffmpeg, ffprobePath: ffprobe, cloudBaseUrl: 'http://localhost:8080/' });
    expect(await update({ ffmpegPath: '', ffprobePath: '', cloudBaseUrl: '' }, 'cli')).toEqual({ ok: true });
    expect(core.library.readSettings()).toMatchObject({ ffmpegPath: null, ffprobePath: null, cloudBaseUrl: null });
  });
});

describe('a browser page may not turn cloud fallback on (it lets renders spend money)', () => {
  it('turning it on from a page is refused as forbidden, naming "Cloud fallback" and how to turn it on', async () => {
    expect(core.library.readSettings().cloudFallback).toBe(false);
    const r = await update({ cloudFallback: true }, 'ws');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('forbidden');
    expect(r.error.message).toContain('"Cloud fallback" cannot be changed from a browser page');
    expect(r.error.message).toContain('paid cloud tasks');
    expect(r.error.message).toContain('wan-studio settings set cloudFallback true');
    expect(core.library.readSettings().cloudFallback).toBe(false);
  });

  it('nor hidden among other settings it may change: nothing of the patch is saved', async () => {
    const before = core.library.readSettings();
    const r = await update({ theme: before.theme === 'dark' ? 'light' : 'dark', cloudConcurrency: 3, cloudFallback: true }, 'ws');
    expect(r.ok).toBe(false);
    expect(core.library.readSettings()).toEqual(before);
  });

  it('the app window and the CLI may turn it on; the page may send it unchanged and may turn it off', async () => {
    expect(await update({ cloudFallback: true }, 'ipc')).toEqual({ ok: true });
    expect(await update({ cloudFallback: true, cloudConcurrency: 2 }, 'ws')).toEqual({ ok: true });
    expect(await update({ cloudFallback: false }, 'ws')).toEqual({ ok: true });
    expect(core.library.readSettings().cloudFallback).toBe(false);
    expect(await update({ cloudFallback: true }, 'cli')).toEqual({ ok: true });
    expect(core.library.readSettings().cloudFallback).toBe(true);
    expect(await update({ cloudFallback: false }, 'cli')).toEqual({ ok: true });
  });
});

describe('a chosen ffmpeg/ffprobe is checked before it is saved', () => {
  it('a program that is not ffmpeg is refused, naming the "FFmpeg path" field, and not saved', async () => {
    const program = markingProgram('hello');
    const r = await update({ ffmpegPath: program.path }, 'ipc');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_input');
    expect(r.error.message).toContain(`The "FFmpeg path" (${program.path}) is not ffmpeg`);
    expect(r.error.message).toContain('leave "FFmpeg path" empty');
    expect(core.library.readSettings().ffmpegPath).toBeNull();
  });

  it('ffprobe is not accepted as ffmpeg, nor ffmpeg as ffprobe', async () => {
    const asFfmpeg = await update({ ffmpegPath: ffprobe }, 'cli');
    expect(asFfmpeg.ok || asFfmpeg.error.message).toContain('"FFmpeg path"');
    const asFfprobe = await update({ ffprobePath: ffmpeg }, 'cli');
    expect(asFfprobe.ok || asFfprobe.error.message).toContain('"FFprobe path"');
  });

  it('a path that cannot run says so', async () => {
    const r = await update({ ffprobePath: join(makeTempDir('no-tool'), 'ffprobe') }, 'cli');
    expect(r.ok || r.error.message).toMatch(/"FFprobe path" \(.+\) could not be run \(ENOENT\)/);
  });
});
