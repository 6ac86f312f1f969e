import type { EngineAvailabilityDto } from '../contract/renderTypes';
import type { EngineChoice } from '../contract/types';
import type { JobRecord } from '../library/jobRepository';
import { unroutable } from '../queue/routing';

export interface EngineStatus {
  local: EngineAvailabilityDto;
  cloud: EngineAvailabilityDto;
}

export interface EnginePick {
  /** The engine that runs, or null when the choice cannot be honoured. */
  runsOn: 'local' | 'cloud' | null;
  /** Why nothing runs, as a sentence to show (null when something does). */
  reason: string | null;
  /** Why it runs there, as a sentence to show (null when nothing runs). */
  why: string | null;
}

/** Reasons are full sentences; joining them must not double their periods. */
const sentence = (s: string | null, fallback: string): string => {
  const t = (s ?? fallback).trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
};

const appLabel = (app: JobRecord['app']): string => (app === 's2v' ? 'S2V' : 'Animate');

/**
 * Which engine a choice runs on: "This computer" and "Cloud" are honoured or refused with the
 * reason. Automatic takes this computer when a pack for the app is installed, else the cloud only
 * when it is available (a key is set) and the user allowed cloud fallback. The queue starts an
 * Automatic job from the same rule (routeAutomatic) when the job starts, so both the Render summary
 * and queuing use this one function and the summary names the engine that actually runs.
 */
export function pickEngine(choice: EngineChoice, status: EngineStatus, app: JobRecord['app'], cloudFallback: boolean): EnginePick {
  const { local, cloud } = status;
  if (choice === 'local') {
    return local.available
      ? { runsOn: 'local', reason: null, why: 'You chose this computer.' }
      : { runsOn: null, why: null, reason: `This computer cannot render this project: ${sentence(local.reason, 'no local engine')} Choose Cloud or Automatic, or install a model pack in Settings.` };
  }
  if (choice === 'cloud') {
    return cloud.available
      ? { runsOn: 'cloud', reason: null, why: 'You chose the cloud.' }
      : { runsOn: null, why: null, reason: `The cloud cannot render this project: ${sentence(cloud.reason, 'unavailable')}` };
  }
  if (local.available) {
    const busy = cloud.available && cloudFallback ? 'goes to the cloud (cloud fallback is allowed)' : 'waits for it';
    return { runsOn: 'local', reason: null, why: `Automatic: this computer, because an ${appLabel(app)} model pack is installed. If the GPU is busy when the render starts, it ${busy}.` };
  }
  if (cloud.available && cloudFallback) {
    return { runsOn: 'cloud', reason: null, why: `Automatic: the cloud, because there is no local engine (${local.reason ?? 'unavailable'}) and cloud fallback is allowed in Settings.` };
  }
  return { runsOn: null, why: null, reason: unroutable({ local, cloud, cloudFallback }) };
}
