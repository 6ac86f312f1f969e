import type { z } from 'zod';
import { personPickSchema, type projectStatePatchSchema } from '../contract/schemas';
import type { ProjectState } from '../contract/types';

export type ProjectStatePatch = z.output<typeof projectStatePatchSchema>;

export const defaultProjectState = (): ProjectState => ({
  s2v: { imageAssetId: null, audioAssetId: null, audioTrim: { inSec: 0, outSec: null }, params: {} },
  animate: { videoAssetId: null, referenceAssetId: null, videoTrim: { inSec: 0, outSec: null }, params: {}, person: null },
  engine: 'auto',
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads what is stored, keeping only known sections and falling back to defaults for the rest. */
export function parseStoredState(json: string): ProjectState {
  const base = defaultProjectState();
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch {
    return base;
  }
  if (!isObject(stored)) return base;
  return applyPatch(base, {
    s2v: isObject(stored.s2v) ? (stored.s2v as ProjectStatePatch['s2v']) : undefined,
    animate: isObject(stored.animate) ? storedAnimate(stored.animate) : undefined,
    engine: stored.engine === 'local' || stored.engine === 'cloud' || stored.engine === 'auto' ? stored.engine : undefined,
  });
}

/** A stored pick that no longer reads as one (an older or damaged file) is dropped: the largest person again. */
function storedAnimate(animate: Record<string, unknown>): ProjectStatePatch['animate'] {
  const person = personPickSchema.safeParse(animate.person);
  return { ...(animate as ProjectStatePatch['animate']), person: person.success ? person.data : null };
}

/** Field-level merge: a patch replaces the fields it names and keeps the others. */
export function applyPatch(state: ProjectState, patch: ProjectStatePatch): ProjectState {
  return {
    s2v: { ...state.s2v, ...definedOnly(patch.s2v) },
    animate: { ...state.animate, ...(otherVideo(state, patch) ? { person: null } : {}), ...definedOnly(patch.animate) },
    engine: patch.engine ?? state.engine,
  };
}

/** A picked person belongs to one video: choosing another one goes back to the largest person. */
const otherVideo = (state: ProjectState, patch: ProjectStatePatch): boolean => patch.animate?.videoAssetId !== undefined && patch.animate.videoAssetId !== state.animate.videoAssetId;

const definedOnly = <T extends object>(o: T | undefined): Partial<T> =>
  o ? (Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>) : {};

/** The asset ids a state refers to, with the field each sits in (for validation and cleanup). */
export function referencedAssets(state: ProjectState): Array<{ field: string; id: string }> {
  const refs: Array<{ field: string; id: string | null }> = [
    { field: 's2v.imageAssetId', id: state.s2v.imageAssetId },
    { field: 's2v.audioAssetId', id: state.s2v.audioAssetId },
    { field: 'animate.videoAssetId', id: state.animate.videoAssetId },
    { field: 'animate.referenceAssetId', id: state.animate.referenceAssetId },
  ];
  return refs.filter((r): r is { field: string; id: string } => r.id !== null);
}

/** The same state with every reference to a removed asset cleared. */
export function withoutAsset(state: ProjectState, assetId: string): ProjectState {
  const clear = (id: string | null) => (id === assetId ? null : id);
  return {
    ...state,
    s2v: { ...state.s2v, imageAssetId: clear(state.s2v.imageAssetId), audioAssetId: clear(state.s2v.audioAssetId) },
    animate: {
      ...state.animate,
      videoAssetId: clear(state.animate.videoAssetId),
      referenceAssetId: clear(state.animate.referenceAssetId),
      // The pick is a person in that video: gone with it.
      person: state.animate.videoAssetId === assetId ? null : state.animate.person,
    },
  };
}
