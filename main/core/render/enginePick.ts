import type { EngineAvailabilityDto } from '../contract/renderTypes';
import type { EngineChoice } from '../contract/types';

export interface EngineStatus {
  local: EngineAvailabilityDto;
  cloud: EngineAvailabilityDto;
}

export interface EnginePick {
  /** The engine that runs, or null when the choice cannot be honoured. */
  runsOn: 'local' | 'cloud' | null;
  /** Why nothing runs, as a sentence to show (null when something does). */
  reason: string | null;
}

/** Reasons are full sentences; joining them must not double their periods. */
const sentence = (s: string | null, fallback: string): string => {
  const t = (s ?? fallback).trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
};

/**
 * Which engine a choice runs on: "This computer" and "Cloud" are honoured or refused with the
 * reason; Automatic takes this computer when it can, else the cloud. Both the Render summary
 * and queuing use this, so the summary names the engine that actually runs.
 */
export function pickEngine(choice: EngineChoice, status: EngineStatus): EnginePick {
  const { local, cloud } = status;
  if (choice === 'local') {
    return local.available ? { runsOn: 'local', reason: null } : { runsOn: null, reason: `This computer cannot render this project: ${sentence(local.reason, 'no local engine')} Choose Cloud or Automatic.` };
  }
  if (choice === 'cloud') {
    return cloud.available ? { runsOn: 'cloud', reason: null } : { runsOn: null, reason: `The cloud cannot render this project: ${sentence(cloud.reason, 'unavailable')}` };
  }
  if (local.available) return { runsOn: 'local', reason: null };
  if (cloud.available) return { runsOn: 'cloud', reason: null };
  return { runsOn: null, reason: `No engine can render this project. This computer: ${sentence(local.reason, 'unavailable')} Cloud: ${sentence(cloud.reason, 'unavailable')}` };
}
