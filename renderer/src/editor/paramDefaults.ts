import { paramsFields, paramsSchemas, type FieldMeta } from '../../../main/core/contract/params/index';
import type { StudioApp } from '../../../main/core/contract/types';

const cache = new Map<StudioApp, Record<string, unknown>>();

/** Each field's own default (the prompt has none), from the same schema the core validates with. */
export function paramDefaults(app: StudioApp): Record<string, unknown> {
  const hit = cache.get(app);
  if (hit) return hit;
  const shape = paramsSchemas[app].shape as Record<string, { safeParse: (v: unknown) => { success: boolean; data?: unknown } }>;
  const d: Record<string, unknown> = {};
  for (const [k, schema] of Object.entries(shape)) {
    const r = schema.safeParse(undefined);
    if (r.success) d[k] = r.data;
  }
  cache.set(app, d);
  return d;
}

/** The settings that differ from the app's defaults, as "Label value" (prompt and seed shown apart). */
export function changedSettings(app: StudioApp, settings: Record<string, unknown>): string[] {
  const defaults = paramDefaults(app);
  const fields = paramsFields[app] as Record<string, FieldMeta>;
  return Object.entries(settings)
    .filter(([k, v]) => k !== 'seed' && k !== 'prompt' && k !== 'input_prompt' && fields[k] && v !== defaults[k] && v !== '')
    .map(([k, v]) => {
      const meta = fields[k] as FieldMeta;
      const shown = meta.kind === 'enum' ? (meta.options.find((o) => o.value === v)?.label ?? String(v)) : meta.kind === 'bool' ? (v ? 'on' : 'off') : String(v);
      return `${meta.label} ${shown}`;
    });
}

/** Only the app's own parameters, for loading stored settings back into the editor. */
export function knownParams(app: StudioApp, settings: Record<string, unknown>): Record<string, unknown> {
  const fields = paramsFields[app] as Record<string, FieldMeta>;
  return Object.fromEntries(Object.entries(settings).filter(([k]) => k in fields));
}
