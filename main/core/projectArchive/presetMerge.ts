import { builtinPresets } from '../contract/presets';
import type { StudioApp } from '../contract/types';
import { PARAMS_VERSION } from '../contract/params/index';
import type { Db } from '../library/database';
import { newId } from '../library/ids';

interface ArchivePreset {
  app: StudioApp;
  name: string;
  params: Record<string, unknown>;
}

const sameParams = (a: Record<string, unknown>, b: Record<string, unknown>): boolean => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
};

/**
 * Adds the archive's presets to this library's: one that is already here (same name, or the
 * name an earlier import gave it, and same parameters) is skipped; a name taken by other parameters gets " (imported)", then a number.
 * Runs inside the caller's transaction. Returns how many were added.
 */
export function addArchivePresets(db: Db, presets: ArchivePreset[]): number {
  let added = 0;
  for (const p of presets) {
    const { seed: _seed, ...params } = p.params;
    const existing = db.prepare('SELECT name, params_json FROM presets WHERE app = ?').all(p.app) as Array<{ name: string; params_json: string }>;
    // Already here: under its name, or under the name an earlier import of it got.
    const lower = p.name.toLowerCase();
    const ours = existing.filter((e) => e.name.toLowerCase() === lower || e.name.toLowerCase().startsWith(`${lower.slice(0, 64)} (imported`));
    if (ours.some((e) => sameParams(JSON.parse(e.params_json) as Record<string, unknown>, params))) continue;
    const names = new Set([...existing, ...builtinPresets.filter((b) => b.app === p.app)].map((e) => e.name.toLowerCase()));
    let name = p.name;
    for (let n = 1; names.has(name.toLowerCase()); n++) name = `${p.name.slice(0, 64)} (imported${n > 1 ? ` ${n}` : ''})`;
    db.prepare('INSERT INTO presets (id, app, name, params_json, params_version, builtin, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)').run(
      newId(),
      p.app,
      name,
      JSON.stringify(params),
      PARAMS_VERSION,
      Date.now(),
    );
    added++;
  }
  return added;
}
