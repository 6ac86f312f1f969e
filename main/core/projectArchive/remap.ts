import type { ProjectStatePatch } from '../library/projectState';

/** The archive's editor state with its media ids replaced by the ids the import gave them. */
export function remapState(state: ProjectStatePatch, ids: Map<string, string>): ProjectStatePatch {
  const map = (id: string | null | undefined) => (id ? (ids.get(id) ?? null) : id);
  return {
    ...state,
    s2v: state.s2v && { ...state.s2v, imageAssetId: map(state.s2v.imageAssetId), audioAssetId: map(state.s2v.audioAssetId) },
    animate: state.animate && { ...state.animate, videoAssetId: map(state.animate.videoAssetId), referenceAssetId: map(state.animate.referenceAssetId) },
  };
}

const MAX_NAME = 120;

/** "Name", or "Name (2)", "Name (3)"... when the library has it already (case does not matter). */
export function uniqueProjectName(wanted: string, taken: string[]): string {
  const used = new Set(taken.map((n) => n.toLowerCase()));
  if (!used.has(wanted.toLowerCase())) return wanted;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${wanted.slice(0, MAX_NAME - suffix.length)}${suffix}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}
