import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Envelope } from '../../main/core/contract/errors';
import type { ServerMessage } from '../../main/core/contract/wire';
import { forkAdapterFactory } from '../../main/core/engines/local/forkAdapter';
import { makeFixturePack } from '../../main/core/engines/local/fixturePack';
import { silentLogger } from '../../main/core/logger';
import { resolveTool } from '../../main/core/media/ffmpegBinaries';
import { createStudioCore } from '../../main/core/studioCore';
import type { FakeInfsh } from '../fakes/infsh/fakeInfshServer';
import { startAttackerListener, type AttackerListener } from '../helpers/attackerListener';
import { startFake, TEST_KEY } from '../helpers/cloudStudio';
import { makePng, makeTempDir, makeWav } from '../helpers/generatedMedia';
import { submitRender } from '../helpers/renderJobs';
import { runCliProcess, startServe, type ServeHandle } from '../helpers/studioProcess';

/**
 * The key drill: with the real CLI and `wan-studio serve` processes, the fake inference.sh and a
 * second listener playing the attacker, try every way a page (or a changed setting) could send
 * the API key somewhere else, and check that spawned programs never see it.
 */

let fake: FakeInfsh;
let attacker: AttackerListener;
const counts = { wsRedirects: 0, cliRedirects: 0, envRedirects: 0, checksAtApi: 0, childEnvs: 0 };

beforeAll(async () => {
  fake = await startFake();
  attacker = await startAttackerListener();
});
afterAll(async () => {
  await fake.stop();
  await attacker.stop();
  console.log(
    `key drill: ${counts.wsRedirects} WebSocket redirect attempts, ${counts.cliRedirects} CLI address changes, ${counts.envRedirects} environment cases, ` +
      `${counts.checksAtApi} checks answered by the API address, ${attacker.seen.length} requests at the attacker (${attacker.authorized()} with Authorization), ` +
      `${counts.childEnvs} child environments without the key`,
  );
});

/** No INFERENCE_* from the parent: each case sets its own. */
const clean = { INFERENCE_API_KEY: '', INFERENCE_BASE_URL: '' };

/** A page's WebSocket to the real server: requests answered by id, as the browser client does. */
async function pageSocket(server: ServeHandle): Promise<{ call: (channel: string, input: unknown) => Promise<Envelope<unknown>>; close: () => void }> {
  const exchange = await fetch(`${server.url}`, { redirect: 'manual' });
  const cookie = (exchange.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/ws`, { headers: { Origin: server.origin, Cookie: cookie } });
  const waiting = new Map<number, (e: Envelope<unknown>) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as ServerMessage;
    if (msg.t === 'res') waiting.get(msg.id)?.(msg.envelope);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let next = 1;
  return {
    call: (channel, input) =>
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ t: 'req', id, channel, input }));
      }),
    close: () => ws.close(),
  };
}

const authorizedAtApi = () => fake.requests.filter((r) => r.headers.authorization !== undefined);

function expectKeyOnlyAtApi(): void {
  expect(attacker.authorized()).toBe(0);
  expect(attacker.seen.map((r) => r.headers.authorization).filter(Boolean)).toEqual([]);
  for (const r of authorizedAtApi()) {
    expect(r.host).toBe('api');
    expect(r.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
  }
  expect(fake.requests.filter((r) => r.host === 'storage' && r.headers.authorization !== undefined)).toEqual([]);
}

describe('the key never leaves for another address', () => {
  it('a page cannot redirect a saved key over the WebSocket', async () => {
    const home = makeTempDir('drill-stored');
    expect((await runCliProcess(['settings', 'set', 'cloudBaseUrl', fake.baseUrl, '--home', home], clean)).code).toBe(0);
    expect((await runCliProcess(['cloud', 'key', 'set', '--home', home], clean, TEST_KEY)).code).toBe(0);
    const server = await startServe(home, [], clean);
    const page = await pageSocket(server);
    try {
      const port = new URL(attacker.url).port;
      const addresses = [
        attacker.url,
        `${attacker.url}/`,
        `${attacker.url}/v1`,
        `http://localhost:${port}`,
        `http://[::1]:${port}`,
        `HTTP://127.0.0.1:${port}`,
        `http://127.0.0.2:${port}`,
        `https://127.0.0.1:${port}`,
        'http://evil.example',
        'https://evil.example',
        `http://user:pw@127.0.0.1:${port}`,
        '',
        null,
      ];
      for (const cloudBaseUrl of addresses) {
        for (const patch of [{ cloudBaseUrl }, { theme: 'dark', cloudBaseUrl }]) {
          counts.wsRedirects++;
          const update = await page.call('settings.update', { patch });
          expect(update.ok).toBe(false);
          if (!update.ok) expect(['forbidden', 'invalid_input']).toContain(update.error.code);
          const check = await page.call('cloud.check', {});
          expect(check).toMatchObject({ ok: true, value: { ok: true } });
          counts.checksAtApi++;
        }
      }
      // Other channels that reach the service, and a key of the page's own: still only the API address.
      expect((await page.call('cloud.schemaDiff', { app: 's2v' })).ok).toBe(true);
      counts.wsRedirects++;
      expect((await page.call('settings.update', { patch: { ffmpegPath: '/bin/sh' } })).ok).toBe(false);
      expectKeyOnlyAtApi();
    } finally {
      page.close();
      await server.stop();
    }
  }, 120_000);

  it('after the user changes the address, neither the saved key nor INFERENCE_API_KEY follows it', async () => {
    const home = makeTempDir('drill-moved');
    const attackerBefore = attacker.seen.length;
    expect((await runCliProcess(['settings', 'set', 'cloudBaseUrl', fake.baseUrl, '--home', home], clean)).code).toBe(0);
    expect((await runCliProcess(['cloud', 'key', 'set', '--home', home], clean, TEST_KEY)).code).toBe(0);
    // The user (CLI) moves the address to a listener that is not the service the key was entered for.
    counts.cliRedirects++;
    expect((await runCliProcess(['settings', 'set', 'cloudBaseUrl', attacker.url, '--home', home], clean)).code).toBe(0);
    for (const env of [clean, { ...clean, INFERENCE_API_KEY: TEST_KEY }]) {
      counts.envRedirects++;
      const server = await startServe(home, [], env);
      const page = await pageSocket(server);
      try {
        const check = await page.call('cloud.check', {});
        expect(check).toMatchObject({ ok: true, value: { ok: false } });
        expect(check.ok && (check.value as { message: string }).message).toContain('enter the key again in Settings → Cloud');
        const status = await page.call('cloud.status', {});
        expect(status).toMatchObject({ ok: true, value: { keySource: 'none' } });
      } finally {
        page.close();
        await server.stop();
      }
    }
    // Plain http off this computer is refused outright, and INFERENCE_BASE_URL must follow the same rule.
    counts.cliRedirects++;
    expect((await runCliProcess(['settings', 'set', 'cloudBaseUrl', 'http://evil.example', '--home', home], clean)).code).toBe(1);
    counts.envRedirects++;
    const plainEnv = await runCliProcess(['cloud', 'check', '--home', home], { INFERENCE_API_KEY: TEST_KEY, INFERENCE_BASE_URL: 'http://evil.example' });
    expect(plainEnv.code).toBe(1);
    expect(plainEnv.stderr).toContain('must use https://');
    expect(attacker.seen.length).toBe(attackerBefore);
    expectKeyOnlyAtApi();
  }, 120_000);

  it('an API address that redirects elsewhere does not carry the key along', async () => {
    // The address the key was entered for answers every request with a redirect to the attacker.
    const redirector = createServer((req, res) => res.writeHead(307, { Location: `${attacker.url}${req.url ?? '/'}` }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    const redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
    const before = attacker.seen.length;
    try {
      const home = makeTempDir('drill-redirect');
      expect((await runCliProcess(['settings', 'set', 'cloudBaseUrl', redirectorUrl, '--home', home], clean)).code).toBe(0);
      expect((await runCliProcess(['cloud', 'key', 'set', '--home', home], clean, TEST_KEY)).code).toBe(0);
      counts.cliRedirects++;
      const check = await runCliProcess(['cloud', 'check', '--home', home], clean);
      expect(check.stdout + check.stderr).toContain(`redirected to another address (${attacker.url})`);
      for (const env of [clean, { INFERENCE_API_KEY: TEST_KEY, INFERENCE_BASE_URL: redirectorUrl }]) {
        counts.envRedirects++;
        await runCliProcess(['cloud', 'schema', 's2v', '--home', home], env);
      }
    } finally {
      redirector.closeAllConnections();
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
    // Redirects that leave the API address are refused: the attacker is never reached at all.
    expect(attacker.seen.length).toBe(before);
    expectKeyOnlyAtApi();
  }, 120_000);
});

describe('spawned programs never see the key', () => {
  it('ffmpeg and ffprobe run by the server and by a cloud render get no INFERENCE_API_KEY', async () => {
    const dumps = makeTempDir('drill-env-dumps');
    const wrapper = (name: 'ffmpeg' | 'ffprobe'): string => {
      const path = join(makeTempDir(`drill-${name}`), name);
      // Passes the binary check (the real tool answers -version) and leaves the environment it got.
      writeFileSync(path, `#!/bin/sh\nenv > '${dumps}/${name}.'$$\nexec '${resolveTool(name).path}' "$@"\n`);
      chmodSync(path, 0o755);
      return path;
    };
    const home = makeTempDir('drill-children');
    const withKey = { INFERENCE_API_KEY: TEST_KEY, INFERENCE_BASE_URL: fake.baseUrl };
    expect((await runCliProcess(['settings', 'set', 'ffmpegPath', wrapper('ffmpeg'), '--home', home], withKey)).code).toBe(0);
    expect((await runCliProcess(['settings', 'set', 'ffprobePath', wrapper('ffprobe'), '--home', home], withKey)).code).toBe(0);

    const server = await startServe(home, [], withKey);
    const page = await pageSocket(server);
    try {
      expect((await page.call('settings.get', {})).ok).toBe(true);
    } finally {
      page.close();
      await server.stop();
    }
    const src = makeTempDir('drill-children-src');
    const render = await runCliProcess(
      ['cloud', 'run', 's2v', '--image', makePng(join(src, 'face.png'), '240x320'), '--audio', makeWav(join(src, 'line.wav'), 1), '--prompt', 'a person speaking', '--resolution', '480p', '--home', home],
      withKey,
    );
    expect(render.stderr).toBe('');
    expect(render.code).toBe(0);

    const files = readdirSync(dumps);
    expect(files.filter((f) => f.startsWith('ffmpeg.')).length).toBeGreaterThan(0);
    expect(files.filter((f) => f.startsWith('ffprobe.')).length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(join(dumps, f), 'utf8');
      expect(text).not.toContain(TEST_KEY);
      expect(text).not.toContain('INFERENCE_');
      expect(text).toMatch(/^PATH=/m);
      counts.childEnvs++;
    }
    expectKeyOnlyAtApi();
  }, 120_000);

  it('the inference worker of a local render gets no INFERENCE_API_KEY', async () => {
    const WORKER_KEY = 'inf_worker_drill_key_0d3e';
    const saved = process.env.INFERENCE_API_KEY;
    process.env.INFERENCE_API_KEY = WORKER_KEY;
    const environments: string[] = [];
    const packDir = makeTempDir('drill-pack');
    await makeFixturePack(packDir);
    const core = await createStudioCore({
      home: makeTempDir('drill-worker-home'),
      log: silentLogger,
      localOptions: {
        sampling: { steps: 2 },
        // The production fork adapter; its environment is read from /proc while the worker waits for its first message.
        workerFactory: (entry) => {
          const worker = forkAdapterFactory(entry);
          environments.push(readFileSync(`/proc/${worker.pid}/environ`, 'utf8'));
          return worker;
        },
      },
    });
    try {
      expect((await core.dispatch('engines.importPack', { path: packDir }, { transport: 'cli' })).ok).toBe(true);
      const dir = makeTempDir('drill-worker-media');
      const project = core.library.createProject('Drill', 's2v');
      const image = await core.library.importFile({ projectId: project.id, path: makePng(join(dir, 'face.png'), '240x320'), displayName: 'face.png', move: false });
      const audio = await core.library.importFile({ projectId: project.id, path: makeWav(join(dir, 'voice.wav'), 1, 44100), displayName: 'voice.wav', move: false });
      core.library.updateProjectState(project.id, { s2v: { imageAssetId: image.asset.id, audioAssetId: audio.asset.id, params: { prompt: 'a person talking', resolution: '480p', seed: 3 } } });
      const job = await core.render.settled((await submitRender(core, project.id, 'local')).id);
      expect(job.error).toBeNull();
    } finally {
      await core.dispose();
      if (saved === undefined) delete process.env.INFERENCE_API_KEY;
      else process.env.INFERENCE_API_KEY = saved;
    }
    expect(environments.length).toBeGreaterThan(0);
    for (const text of environments) {
      const names = text.split('\0').map((v) => v.split('=')[0]);
      expect(names).toContain('PATH');
      expect(names).not.toContain('INFERENCE_API_KEY');
      expect(text).not.toContain(WORKER_KEY);
      counts.childEnvs++;
    }
  }, 120_000);
});
