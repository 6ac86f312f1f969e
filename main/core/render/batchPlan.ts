import { StudioError } from '../contract/errors';
import type { BatchVariation, ProjectState, StudioApp } from '../contract/index';
import type { Library } from '../library/library';
import { tryPlanRender, type RenderPlan } from './renderPlan';

export interface PlannedVariation {
  plan: RenderPlan;
  /** What differs in this job from the others of its batch. */
  label: string;
}

const MAX_ROWS_NAMED = 8;

/**
 * Plans every variation of a batch over the editor's draft: each row's parameters are laid over
 * the draft's, its files replace the draft's choices. Every row is checked before any is queued;
 * a bad row is named with its number (from 1) and the field, and then nothing is queued.
 */
export function planBatch(library: Library, projectId: string, app: StudioApp, variations: readonly BatchVariation[]): PlannedVariation[] {
  const base = library.projects.readState(projectId);
  const problems: string[] = [];
  const plans: RenderPlan[] = [];
  variations.forEach((v, i) => {
    const planned = tryPlanRender(library, projectId, app, withVariation(base, app, v));
    if ('problems' in planned) problems.push(`row ${i + 1}${v.label ? ` (${v.label})` : ''}: ${planned.problems.join('; ')}`);
    else plans.push(planned);
  });
  if (problems.length > 0) {
    const more = problems.length > MAX_ROWS_NAMED ? `; and ${problems.length - MAX_ROWS_NAMED} more rows` : '';
    throw new StudioError('invalid_input', `The batch was not queued (nothing was): ${problems.slice(0, MAX_ROWS_NAMED).join('; ')}${more}. Fix those rows and queue it again.`);
  }
  const labels = differenceLabels(library, variations);
  return plans.map((plan, i) => {
    const label = variations[i]?.label ?? labels[i];
    return { plan, label: label !== undefined && label.length > 0 ? label : `#${i + 1}` };
  });
}

const WHOLE = { inSec: 0, outSec: null };

/** The draft's trim belongs to the draft's file: a row with another audio or video uses that file whole. */
function withVariation(base: ProjectState, app: StudioApp, v: BatchVariation): ProjectState {
  const files = v.files ?? {};
  if (app === 's2v') {
    const audioAssetId = files.audioAssetId ?? base.s2v.audioAssetId;
    return {
      ...base,
      s2v: {
        ...base.s2v,
        params: { ...base.s2v.params, ...(v.params ?? {}) },
        imageAssetId: files.imageAssetId ?? base.s2v.imageAssetId,
        audioAssetId,
        audioTrim: audioAssetId === base.s2v.audioAssetId ? base.s2v.audioTrim : WHOLE,
      },
    };
  }
  const videoAssetId = files.videoAssetId ?? base.animate.videoAssetId;
  return {
    ...base,
    animate: {
      ...base.animate,
      params: { ...base.animate.params, ...(v.params ?? {}) },
      videoAssetId,
      videoTrim: videoAssetId === base.animate.videoAssetId ? base.animate.videoTrim : WHOLE,
      referenceAssetId: files.referenceAssetId ?? base.animate.referenceAssetId,
    },
  };
}

/** "seed 7 · guide_scale 2": the parameters and files whose values differ between the rows. */
export function differenceLabels(library: Library, variations: readonly BatchVariation[]): string[] {
  const keys = new Set<string>();
  for (const v of variations) for (const k of Object.keys(v.params ?? {})) keys.add(k);
  const fileKeys = new Set<string>();
  for (const v of variations) for (const [k, id] of Object.entries(v.files ?? {})) if (id) fileKeys.add(k);
  const differs = (values: unknown[]) => new Set(values.map((x) => JSON.stringify(x ?? null))).size > 1;
  const paramKeys = [...keys].filter((k) => differs(variations.map((v) => v.params?.[k])));
  const assetKeys = [...fileKeys].filter((k) => differs(variations.map((v) => (v.files as Record<string, unknown> | undefined)?.[k])));
  return variations.map((v) => {
    const parts = paramKeys.map((k) => `${k} ${short(v.params?.[k])}`);
    for (const k of assetKeys) {
      const id = (v.files as Record<string, string | null | undefined> | undefined)?.[k];
      parts.push(id ? (library.assets.find(id)?.name ?? id) : 'draft file');
    }
    return parts.join(' · ');
  });
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? `"${value}"` : value === undefined ? 'as drafted' : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 39)}…"` : text;
}
