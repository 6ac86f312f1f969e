import type { EngineAvailability } from '../engines/engine';
import type { JobEngine } from '../library/jobRepository';

export interface RouteInputs {
  appLabel: string;
  local: EngineAvailability;
  cloud: EngineAvailability;
  /** The user allowed "Automatic" jobs to go to the cloud (Settings → Render queue). */
  cloudFallback: boolean;
  localBusy: boolean;
  cloudFull: boolean;
}

/** Start on an engine (and why), wait for one to free up, or fail (and why, with what to do). */
export type Route = { kind: 'start'; engine: JobEngine; reason: string } | { kind: 'wait' } | { kind: 'fail'; reason: string };

/**
 * Where an "Automatic" job runs, decided when it is about to start (not when it was queued):
 * this machine when a pack for the app is installed and the GPU is free; else the cloud when a key
 * is set and the user allowed cloud fallback (it costs money, so it is off until they say yes).
 */
export function routeAutomatic(r: RouteInputs): Route {
  if (r.local.available && !r.localBusy) return { kind: 'start', engine: 'local', reason: `Automatic: ran on this computer (an ${r.appLabel} model pack is installed and the GPU was free).` };
  const cloudAllowed = r.cloud.available && r.cloudFallback;
  if (cloudAllowed && !r.cloudFull) {
    const why = r.local.available ? 'the GPU was busy with another render' : `no local engine (${r.local.reason ?? 'unavailable'})`;
    return { kind: 'start', engine: 'cloud', reason: `Automatic: sent to the cloud because ${why} and cloud fallback is allowed in Settings.` };
  }
  if (r.local.available || cloudAllowed) return { kind: 'wait' };
  return { kind: 'fail', reason: unroutable(r) };
}

/** Why neither engine can take an "Automatic" job, and what the user can do. */
export function unroutable(r: Pick<RouteInputs, 'local' | 'cloud' | 'cloudFallback'>): string {
  const cloud = !r.cloud.available
    ? (r.cloud.reason ?? 'the cloud is unavailable.')
    : 'cloud fallback is off: allow it in Settings → Render queue, or choose Cloud for this render.';
  return `No engine can render this automatically. This computer: ${r.local.reason ?? 'unavailable.'} Cloud: ${cloud}`;
}
