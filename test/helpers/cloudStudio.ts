import { join } from 'node:path';
import { createLogger, silentLogger, type Logger } from '../../main/core/logger';
import { createStudioCore, type StudioCore, type StudioCoreOptions } from '../../main/core/studioCore';
import { FakeInfsh, type FakeOptions } from '../fakes/infsh/fakeInfshServer';
import { makeMp4, makePng, makeTempDir, makeWav } from './generatedMedia';

export const TEST_KEY = 'inf_test_key_5f1b2c9a';

/** Fast timings so fault tests finish in seconds; the logic is the production one. */
export const fastCloud: StudioCoreOptions['cloudTimings'] = {
  pollIntervalMs: 40,
  reconnectBaseMs: 20,
  streamIdleMs: 2000,
  streamCheckMs: 250,
  cancelConfirmMs: 3000,
  retry: { baseDelayMs: 20, maxDelayMs: 120, maxRateLimitWaitMs: 5000 },
};

export interface LogCapture {
  logger: Logger;
  lines: string[];
}

/** A real logger writing into memory, so tests can check what was logged (and that no key was). */
export function captureLog(): LogCapture {
  const lines: string[] = [];
  return { lines, logger: createLogger('test', (line) => lines.push(line), 'debug') };
}

export async function startFake(options: FakeOptions = {}): Promise<FakeInfsh> {
  return new FakeInfsh({ apiKeys: [TEST_KEY], ...options }).start();
}

export async function openCloudCore(fake: FakeInfsh, options: Partial<StudioCoreOptions> & { home?: string; key?: string | null } = {}): Promise<StudioCore> {
  const env: NodeJS.ProcessEnv = { INFERENCE_BASE_URL: fake.baseUrl };
  if (options.key !== null) env.INFERENCE_API_KEY = options.key ?? TEST_KEY;
  return createStudioCore({ home: options.home ?? makeTempDir('cloud-home'), env, cloudTimings: fastCloud, renderOptions: { progressIntervalMs: 20 }, log: silentLogger, ...options });
}

/** A project with a portrait and a voice chosen in the S2V editor, ready to render. */
export async function s2vProject(core: StudioCore, params: Record<string, unknown> = { prompt: 'a person talking to the camera', resolution: '480p' }): Promise<string> {
  const dir = makeTempDir('cloud-media');
  const project = core.library.createProject('Cloud S2V', 's2v');
  const image = await core.library.importFile({ projectId: project.id, path: makePng(join(dir, 'portrait.png'), '240x320'), displayName: 'portrait.png', move: false });
  const audio = await core.library.importFile({ projectId: project.id, path: makeWav(join(dir, 'voice.wav'), 2, 44100), displayName: 'voice.wav', move: false });
  core.library.updateProjectState(project.id, { s2v: { imageAssetId: image.asset.id, audioAssetId: audio.asset.id, params } });
  return project.id;
}

export async function animateProject(core: StudioCore, params: Record<string, unknown> = { mode: 'replacement', resolution_width: 512, resolution_height: 512, fps: 16 }): Promise<string> {
  const dir = makeTempDir('cloud-media');
  const project = core.library.createProject('Cloud Animate', 'animate');
  const video = await core.library.importFile({ projectId: project.id, path: makeMp4(join(dir, 'driving.mp4'), 2, '320x240'), displayName: 'driving.mp4', move: false });
  const image = await core.library.importFile({ projectId: project.id, path: makePng(join(dir, 'character.png'), '200x300'), displayName: 'character.png', move: false });
  core.library.updateProjectState(project.id, { animate: { videoAssetId: video.asset.id, referenceAssetId: image.asset.id, params } });
  return project.id;
}
