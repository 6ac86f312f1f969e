import { describe, expect, it } from 'vitest';
import { requests, channels } from '../../../main/core/contract/index';
import { StudioError } from '../../../main/core/contract/errors';
import { createRouter } from '../../../main/core/handlers/router';
import type { HandlerMap } from '../../../main/core/handlers/types';
import { silentLogger } from '../../../main/core/logger';
import { describeIssues } from '../../../main/core/contract/validation';

const problems = (channel: keyof typeof requests, input: unknown): string => {
  const r = requests[channel].input.safeParse(input);
  return r.success ? 'OK' : describeIssues(r.error.issues);
};

describe('contract input validation', () => {
  it.each([
    ['library.createProject', {}, 'name: is required'],
    ['library.createProject', { name: 42 }, 'name: must be text'],
    ['library.createProject', { name: '   ' }, 'name: must not be empty'],
    ['library.createProject', { name: 'x'.repeat(121) }, 'name: must be at most 120 characters'],
    ['library.createProject', { name: 'bell\u0007' }, 'name: must not contain control characters'],
    ['library.createProject', { name: 'ok', app: 'wan' }, 'app: must be one of s2v, animate'],
    ['library.createProject', { name: 'ok', admin: true }, 'Unrecognized key: "admin"'],
    ['library.renameProject', { id: '../../etc', name: 'x' }, 'id: is not a valid id'],
    ['library.getProject', { id: 7 }, 'id: must be an id string'],
    ['library.listProjects', { search: 'x'.repeat(201) }, 'search: must be at most 200 characters'],
    ['media.import', { projectId: 'abcdefgh', source: { kind: 'url', url: 'http://x' } }, "source.kind: must be { kind: 'path', path } or { kind: 'upload', uploadId, name }"],
    ['media.import', { projectId: 'abcdefgh', source: { kind: 'upload', uploadId: '../../x', name: 'a.wav' } }, 'source.uploadId: is not a valid upload id'],
    ['media.import', { projectId: 'abcdefgh', source: { kind: 'path', path: '' } }, 'source.path: must not be empty'],
    ['settings.update', { patch: { theme: 'neon' } }, 'patch.theme: must be one of system, dark, light'],
    ['settings.update', { patch: { ffmpegPath: 'bin/ffmpeg' } }, 'patch.ffmpegPath: must be an absolute path to the program'],
    ['settings.update', { patch: { apiKey: 'secret' } }, 'Unrecognized key: "apiKey"'],
    ['library.updateProjectState', { id: 'abcdefgh', patch: { s2v: { params: { prompt: 'x'.repeat(1024 * 1024) } } } }, 'patch.s2v.params.prompt: Prompt is 1,048,576 characters long; it can hold at most 10,000 (a render takes up to 2,000). Shorten it.'],
    ['library.updateProjectState', { id: 'abcdefgh', patch: { animate: { params: { n_prompt: 'x'.repeat(10_001) } } } }, 'Negative prompt is 10,001 characters long'],
    ['library.updateProjectState', { id: 'abcdefgh', patch: { s2v: { params: { seed: { $gt: 1 } } } } }, 'patch.s2v.params.seed: Seed must be text, a number, true/false or empty'],
  ] as const)('%s %j -> %s', (channel, input, message) => {
    expect(problems(channel, input)).toContain(message);
  });

  it('accepts the shapes the app sends, trimming names', () => {
    const r = requests['library.createProject'].input.safeParse({ name: '  Portrait "one" ../x  ', app: 'animate' });
    expect(r.success && r.data).toEqual({ name: 'Portrait "one" ../x', app: 'animate' });
    expect(problems('settings.update', { patch: { ffmpegPath: '/usr/bin/ffmpeg', theme: 'dark' } })).toBe('OK');
    expect(problems('media.import', { projectId: 'abcdefgh', source: { kind: 'upload', uploadId: 'a'.repeat(32), name: 'x.wav' } })).toBe('OK');
    expect(problems('library.updateProjectState', { id: 'abcdefgh', patch: { s2v: { params: { prompt: 'x'.repeat(2500), seed: null, fps: 16 } } } })).toBe('OK');
  });

  it('every channel is namespaced by domain', () => {
    for (const c of channels) expect(c).toMatch(/^(library|media|settings|render|cloud|engines|queue|animate|presets)\.[a-z][A-Za-z]+$/);
  });
});

describe('the router at the trust boundary', () => {
  const calls: unknown[] = [];
  const handlers = Object.fromEntries(channels.map((c) => [c, (input: unknown) => (calls.push(input), { echoed: c })])) as unknown as HandlerMap;
  handlers['library.deleteProject'] = () => {
    throw new StudioError('not_found', 'Project abc does not exist.');
  };
  handlers['library.renameProject'] = () => {
    throw new TypeError('cannot read properties of undefined');
  };
  const dispatch = createRouter(handlers, silentLogger);
  const ctx = { transport: 'ws' as const };

  it('rejects unknown channels without calling anything', async () => {
    calls.length = 0;
    expect(await dispatch('library.dropTables', {}, ctx)).toEqual({ ok: false, error: { code: 'invalid_input', message: 'Unknown request "library.dropTables".' } });
    expect(await dispatch('__proto__', {}, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await dispatch('toString', {}, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(calls).toEqual([]);
  });

  it('parses input before the handler sees it, and names the channel and field when it is wrong', async () => {
    calls.length = 0;
    expect(await dispatch('library.createProject', { name: 5 }, ctx)).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'library.createProject: name: must be text' },
    });
    expect(calls).toEqual([]);
    expect(await dispatch('library.createProject', { name: ' Trim me ' }, ctx)).toEqual({ ok: true, value: { echoed: 'library.createProject' } });
    expect(calls).toEqual([{ name: 'Trim me' }]);
  });

  it('refuses input nested deeper than any request needs, without overflowing the stack', async () => {
    calls.length = 0;
    let deep: unknown = 'x';
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(await dispatch('library.createProject', { name: deep }, ctx)).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'library.createProject: the input is nested more than 32 levels deep; no request needs that.' },
    });
    expect(calls).toEqual([]);
  });

  it('passes StudioErrors through and hides internal crashes behind a readable message', async () => {
    expect(await dispatch('library.deleteProject', { id: 'abcdefgh' }, ctx)).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'Project abc does not exist.' },
    });
    const crashed = await dispatch('library.renameProject', { id: 'abcdefgh', name: 'x' }, ctx);
    expect(crashed).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: 'Something went wrong while handling library.renameProject: cannot read properties of undefined. The details are in the log.',
      },
    });
  });
});
