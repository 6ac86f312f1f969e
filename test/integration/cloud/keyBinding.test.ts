import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, InputOf, OutputOf } from '../../../main/core/contract/index';
import { silentLogger } from '../../../main/core/logger';
import { createStudioCore, type StudioCore } from '../../../main/core/studioCore';
import type { FakeInfsh } from '../../fakes/infsh/fakeInfshServer';
import { startAttackerListener, type AttackerListener } from '../../helpers/attackerListener';
import { fastCloud, s2vProject, startFake, TEST_KEY } from '../../helpers/cloudStudio';
import { makeTempDir } from '../../helpers/generatedMedia';

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

async function call<C extends Channel>(core: StudioCore, channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const envelope = await core.dispatch(channel, input, { transport: 'cli' });
  if (!envelope.ok) throw new Error(envelope.error.message);
  return envelope.value as OutputOf<C>;
}

const openCore = (home: string, env: NodeJS.ProcessEnv) => createStudioCore({ home, env, log: silentLogger, cloudTimings: fastCloud });

describe('the saved key is bound to the API address it was entered for', () => {
  it('after the address changes, check and renders ask for the key again and nothing is sent to the new address', async () => {
    const core = await openCore(makeTempDir('key-binding'), {});
    try {
      await call(core, 'settings.update', { patch: { cloudBaseUrl: fake.baseUrl } });
      await call(core, 'cloud.setKey', { key: TEST_KEY });
      expect(await call(core, 'cloud.check', {})).toMatchObject({ ok: true });

      await call(core, 'settings.update', { patch: { cloudBaseUrl: attacker.url } });
      const status = await call(core, 'cloud.status', {});
      expect(status).toMatchObject({ keySource: 'none', baseUrl: attacker.url });
      const check = await call(core, 'cloud.check', {});
      expect(check.ok).toBe(false);
      expect(check.message).toContain(`The saved API key was entered for ${fake.baseUrl}`);
      expect(check.message).toContain('enter the key again in Settings → Cloud');

      const projectId = await s2vProject(core);
      const submitted = await core.dispatch('render.submit', { projectId, engine: 'cloud' }, { transport: 'cli' });
      expect(submitted.ok).toBe(false);
      if (!submitted.ok) expect(submitted.error.message).toContain('enter the key again in Settings → Cloud');
      expect(attacker.seen).toEqual([]);

      // Back at the address it was entered for, the saved key is used again.
      await call(core, 'settings.update', { patch: { cloudBaseUrl: fake.baseUrl } });
      expect(await call(core, 'cloud.check', {})).toMatchObject({ ok: true });
    } finally {
      await core.dispose();
    }
  });

  it('INFERENCE_API_KEY is not sent to an address from Settings, only to the INFERENCE_BASE_URL beside it', async () => {
    const home = makeTempDir('key-binding-env');
    const withSetting = await openCore(home, { INFERENCE_API_KEY: TEST_KEY });
    try {
      await call(withSetting, 'settings.update', { patch: { cloudBaseUrl: attacker.url } });
      const check = await call(withSetting, 'cloud.check', {});
      expect(check.ok).toBe(false);
      expect(check.message).toContain('INFERENCE_API_KEY is sent only to the public service');
      expect(attacker.authorized()).toBe(0);
    } finally {
      await withSetting.dispose();
    }
    const withEnvAddress = await openCore(home, { INFERENCE_API_KEY: TEST_KEY, INFERENCE_BASE_URL: fake.baseUrl });
    try {
      expect(await call(withEnvAddress, 'cloud.check', {})).toMatchObject({ ok: true });
    } finally {
      await withEnvAddress.dispose();
    }
  });
});
