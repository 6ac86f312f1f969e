import { z } from 'zod';
import type { CloudSchemaDifference } from '../../contract/cloudTypes';
import type { StudioApp } from '../../contract/types';
import { cloudAppNames, localOnlyFields, paramsFields, paramsSchemas } from '../../contract/params/index';
import type { CloudHttp } from './cloudHttp';

interface JsonSchemaProp {
  type?: string;
  anyOf?: Array<{ type?: string; const?: unknown }>;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  $ref?: string;
}

/** Inputs that are files, not parameters: the studio sends them from project assets. */
const FILE_FIELDS: Record<StudioApp, string[]> = { s2v: ['image', 'audio'], animate: ['driving_video', 'reference_image'] };

const show = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

function ourField(schema: z.ZodType): { type: string; default: unknown; min?: number; max?: number; options?: unknown[] } {
  const base = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as JsonSchemaProp;
  // A union of literals (refert_num: 1 | 5) is an integer field with a fixed set of values.
  const consts = base.anyOf?.every((a) => 'const' in a) ? base.anyOf.map((a) => a.const) : null;
  if (consts) return { type: consts.every((c) => Number.isInteger(c)) ? 'integer' : 'string', default: base.default, options: consts };
  const type = base.type ?? base.anyOf?.map((a) => a.type).filter(Boolean).join('|') ?? 'unknown';
  return { type: String(type), default: base.default, min: base.minimum, max: base.maximum, options: base.enum };
}

/** Compares the live input schema (GET /apps/infsh/<name>) with ours, field by field. */
export function diffSchemas(app: StudioApp, live: { properties?: Record<string, JsonSchemaProp> }): CloudSchemaDifference[] {
  const ours = paramsSchemas[app].shape as Record<string, z.ZodType>;
  const theirs = live.properties ?? {};
  const diffs: CloudSchemaDifference[] = [];
  for (const [field, prop] of Object.entries(theirs)) {
    if (FILE_FIELDS[app].includes(field)) continue;
    const mine = ours[field];
    if (!mine) {
      diffs.push({ field, kind: 'missing_in_studio', ours: null, theirs: show(prop.type ?? prop.anyOf) });
      continue;
    }
    const o = ourField(mine);
    const theirType = prop.type ?? prop.anyOf?.map((a) => a.type).join('|');
    if (theirType && !o.type.split('|').includes(theirType.split('|')[0] ?? '') && !(theirType === 'integer' && o.type === 'number')) {
      diffs.push({ field, kind: 'type', ours: o.type, theirs: theirType });
    }
    if (prop.default !== undefined && show(prop.default) !== show(o.default)) diffs.push({ field, kind: 'default', ours: show(o.default), theirs: show(prop.default) });
    if (prop.minimum !== undefined && prop.minimum !== o.min) diffs.push({ field, kind: 'minimum', ours: show(o.min), theirs: show(prop.minimum) });
    if (prop.maximum !== undefined && prop.maximum !== o.max) diffs.push({ field, kind: 'maximum', ours: show(o.max), theirs: show(prop.maximum) });
    if (prop.enum && show(prop.enum) !== show(o.options)) diffs.push({ field, kind: 'enum', ours: show(o.options), theirs: show(prop.enum) });
  }
  const localOnly = localOnlyFields(paramsFields[app]);
  for (const field of Object.keys(ours)) {
    if (!(field in theirs) && !localOnly.includes(field)) diffs.push({ field, kind: 'missing_in_cloud', ours: ourField(ours[field] as z.ZodType).type, theirs: null });
  }
  return diffs;
}

export async function fetchSchemaDiff(http: CloudHttp, app: StudioApp, signal?: AbortSignal): Promise<{ app: string; differences: CloudSchemaDifference[] }> {
  const name = cloudAppNames[app];
  const dto = await http.request<{ version?: { input_schema?: { properties?: Record<string, JsonSchemaProp> } } }>('GET', `/apps/${name}`, { idempotent: true, signal });
  return { app: name, differences: diffSchemas(app, dto.version?.input_schema ?? {}) };
}
