import type { JobDto } from '../../main/core/contract/index';
import type { StudioCore } from '../../main/core/studioCore';

/** Queues a render through the contract, as the app would. */
export async function submitRender(core: StudioCore, projectId: string, engine: 'cloud' | 'local'): Promise<JobDto> {
  const env = await core.dispatch('render.submit', { projectId, engine }, { transport: 'ipc' });
  if (!env.ok) throw new Error(env.error.message);
  return env.value as JobDto;
}

/** Polls until `check` holds, or fails naming what it waited for. */
export async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
