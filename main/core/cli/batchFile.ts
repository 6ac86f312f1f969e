import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { StudioError } from '../contract/errors';
import { paramsFields, type FieldMeta } from '../contract/params/index';
import type { Asset, BatchVariation, StudioApp } from '../contract/index';

type Cell = string | number | boolean | null;
type Row = Record<string, Cell>;

const FILE_COLUMNS = { image: 'imageAssetId', audio: 'audioAssetId', video: 'videoAssetId', reference: 'referenceAssetId' } as const;
type FileColumn = keyof typeof FILE_COLUMNS;

/**
 * Reads a batch file (CSV with a header row, or JSON: an array of rows or { name, rows }) into
 * variations. Columns are parameter names, `label`, and files of the project by name or id
 * (image, audio, video, reference). Rows are counted from 1 (the first row after a CSV header).
 */
export async function readBatchFile(path: string, app: StudioApp, assets: readonly Asset[]): Promise<{ name: string | null; variations: BatchVariation[] }> {
  const text = await readFile(path, 'utf8').catch((e: unknown) => {
    throw new StudioError('not_found', `The batch file ${path} cannot be read (${e instanceof Error ? e.message : String(e)}). Check the path.`);
  });
  const ext = extname(path).toLowerCase();
  const { name, rows } = ext === '.csv' ? { name: null, rows: parseCsv(text, path) } : ext === '.json' ? parseJson(text, path) : notSupported(path);
  if (rows.length === 0) throw new StudioError('invalid_input', `The batch file ${path} has no rows. Add one row per render.`);
  return { name, variations: rows.map((row, i) => toVariation(row, i + 1, app, assets, path)) };
}

function notSupported(path: string): never {
  throw new StudioError('invalid_input', `The batch file ${path} must end in .csv or .json.`);
}

function parseJson(text: string, path: string): { name: string | null; rows: Row[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new StudioError('invalid_input', `The batch file ${path} is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  const holder = !Array.isArray(data) && data && typeof data === 'object' ? (data as { name?: unknown; rows?: unknown }) : null;
  const rows = Array.isArray(data) ? data : holder?.rows;
  if (!Array.isArray(rows)) throw new StudioError('invalid_input', `The batch file ${path} must hold an array of rows, or { "name": ..., "rows": [...] }.`);
  rows.forEach((r, i) => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) throw new StudioError('invalid_input', `The batch file ${path}, row ${i + 1}: must be an object of column: value.`);
  });
  return { name: typeof holder?.name === 'string' ? holder.name : null, rows: rows as Row[] };
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string, path: string): Row[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.length === 0) quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      record.push(field);
      if (record.some((f) => f.length > 0)) records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new StudioError('invalid_input', `The batch file ${path} ends inside a quoted field. Close the quote.`);
  record.push(field);
  if (record.some((f) => f.length > 0)) records.push(record);
  const [header, ...data] = records;
  if (!header) return [];
  const columns = header.map((h) => h.trim());
  return data.map((cells, i) => {
    if (cells.length > columns.length) throw new StudioError('invalid_input', `The batch file ${path}, row ${i + 1}: has ${cells.length} fields but the header names ${columns.length}.`);
    return Object.fromEntries(columns.map((c, j) => [c, cells[j] ?? '']));
  });
}

function toVariation(row: Row, n: number, app: StudioApp, assets: readonly Asset[], path: string): BatchVariation {
  const fields = paramsFields[app] as Record<string, FieldMeta>;
  const where = (column: string) => `The batch file ${path}, row ${n}, column ${column}`;
  const variation: BatchVariation = {};
  const params: Record<string, unknown> = {};
  const files: NonNullable<BatchVariation['files']> = {};
  for (const [column, raw] of Object.entries(row)) {
    if (raw === null || raw === '') continue;
    if (column === 'label') {
      variation.label = String(raw);
    } else if (column in FILE_COLUMNS) {
      const wanted = String(raw);
      const asset = assets.find((a) => a.id === wanted) ?? assets.find((a) => a.name === wanted);
      if (!asset) throw new StudioError('invalid_input', `${where(column)}: "${wanted}" is not a file in this project. Import it first, or use the name it has in the project.`);
      files[FILE_COLUMNS[column as FileColumn]] = asset.id;
    } else {
      const meta = fields[column];
      if (!meta) throw new StudioError('invalid_input', `${where(column)}: ${app} has no parameter "${column}". Use one of ${Object.keys(fields).join(', ')}, label, ${Object.keys(FILE_COLUMNS).join(', ')}.`);
      params[column] = typeof raw === 'string' ? cellValue(raw, meta, where(column)) : raw;
    }
  }
  if (Object.keys(params).length > 0) variation.params = params;
  if (Object.keys(files).length > 0) variation.files = files;
  return variation;
}

/** A CSV cell as the parameter's type (the core then checks its rules and names the field). */
function cellValue(raw: string, meta: FieldMeta, where: string): unknown {
  const text = raw.trim();
  if (meta.kind === 'text') return raw;
  if (meta.kind === 'bool') {
    if (/^(true|yes|1)$/i.test(text)) return true;
    if (/^(false|no|0)$/i.test(text)) return false;
    throw new StudioError('invalid_input', `${where}: "${raw}" must be true or false.`);
  }
  if (meta.kind === 'enum') {
    const option = meta.options.find((o) => String(o.value) === text);
    if (!option) throw new StudioError('invalid_input', `${where}: "${raw}" must be one of ${meta.options.map((o) => o.value).join(', ')}.`);
    return option.value;
  }
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new StudioError('invalid_input', `${where}: "${raw}" is not a number.`);
  return value;
}
