import type { FieldMeta } from '../../main/core/contract/params/index';
import type { BatchVariation } from '../../main/core/contract/index';

export type BatchKind = 'seeds' | 'prompts' | 'sweep' | 'files';

export type BuiltBatch = { variations: BatchVariation[]; error: null } | { variations: BatchVariation[]; error: string };

const MAX_SEED = 2 ** 31 - 1;

/** Seeds the user can read back: a run of random whole numbers, separated by commas. */
export function randomSeeds(n: number): string {
  return Array.from({ length: n }, () => Math.floor(Math.random() * MAX_SEED)).join(', ');
}

const split = (text: string) => text.split(/[\s,;]+/).map((s) => s.trim()).filter((s) => s.length > 0);

/**
 * Turns what the user typed into the batch's variations: one seed each, one prompt per line, or
 * one value of the swept parameter each. Problems name the value that is wrong.
 */
export function buildVariations(kind: BatchKind, text: string, field: string, meta: FieldMeta | undefined): BuiltBatch {
  if (kind === 'prompts') {
    const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
    return { variations: lines.map((prompt) => ({ params: { prompt } })), error: lines.length === 0 ? 'Write one prompt per line.' : null } as BuiltBatch;
  }
  const values = split(text);
  if (values.length === 0) return { variations: [], error: kind === 'seeds' ? 'List the seeds, separated by commas.' : `List the values of ${field}, separated by commas.` };
  if (kind === 'seeds') {
    const bad = values.find((v) => !/^\d+$/.test(v) || Number(v) > MAX_SEED);
    if (bad) return { variations: [], error: `Seed "${bad}" must be a whole number from 0 to ${MAX_SEED}.` };
    return { variations: values.map((v) => ({ params: { seed: Number(v) } })), error: null };
  }
  if (!meta) return { variations: [], error: 'Choose the parameter to sweep.' };
  const out: BatchVariation[] = [];
  for (const v of values) {
    let value: unknown = v;
    if (meta.kind === 'int' || meta.kind === 'number' || meta.kind === 'seed') {
      value = Number(v);
      if (!Number.isFinite(value as number)) return { variations: [], error: `${field}: "${v}" is not a number.` };
    } else if (meta.kind === 'enum') {
      const option = meta.options.find((o) => String(o.value) === v);
      if (!option) return { variations: [], error: `${field}: "${v}" must be one of ${meta.options.map((o) => o.value).join(', ')}.` };
      value = option.value;
    } else if (meta.kind === 'bool') {
      if (v !== 'true' && v !== 'false') return { variations: [], error: `${field}: "${v}" must be true or false.` };
      value = v === 'true';
    }
    out.push({ params: { [field]: value } });
  }
  return { variations: out, error: null };
}

/** One render per chosen project file (audio for S2V, driving video for Animate), in the order shown. */
export function fileVariations(key: 'audioAssetId' | 'videoAssetId', ids: readonly string[]): BuiltBatch {
  if (ids.length === 0) return { variations: [], error: `Tick the ${key === 'audioAssetId' ? 'audio files' : 'driving videos'} to render.` };
  return { variations: ids.map((id) => ({ files: { [key]: id } })), error: null };
}
