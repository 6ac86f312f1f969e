import { StudioError } from '../contract/errors';
import type { Channel, InputOf, OutputOf } from '../contract/index';
import { resolveLibraryHome } from '../library/paths';
import { createLogger } from '../logger';
import { createStudioCore, type StudioCore } from '../studioCore';

/** Opens the same core the app runs, on the library chosen by --home / WAN_STUDIO_HOME / the OS default. */
export function openCore(home: string | undefined, options: { resumeJobs?: boolean } = {}): Promise<StudioCore> {
  return createStudioCore({ home: resolveLibraryHome(home), log: createLogger('cli', undefined, 'warn'), resumeJobs: options.resumeJobs ?? false });
}

/** Runs a contract request as the local user: the CLI gets exactly the validation the app gets. */
export async function call<C extends Channel>(core: StudioCore, channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const envelope = await core.dispatch(channel, input, { transport: 'cli' });
  if (!envelope.ok) throw StudioError.fromPayload(envelope.error);
  return envelope.value as OutputOf<C>;
}
