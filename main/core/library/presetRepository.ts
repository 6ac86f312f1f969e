import { StudioError } from '../contract/errors';
import { builtinPresets, type PresetDto } from '../contract/presets';
import type { StudioApp } from '../contract/types';
import type { Db } from './database';
import { newId } from './ids';

interface PresetRow {
  id: string;
  app: StudioApp;
  name: string;
  params_json: string;
}

const toDto = (r: PresetRow): PresetDto => ({ id: r.id, app: r.app, name: r.name, params: JSON.parse(r.params_json) as Record<string, unknown>, builtin: false });

/** The user's presets (the presets table); built-in ones live in the contract and are listed first. */
export class PresetRepository {
  constructor(
    private readonly db: Db,
    private readonly paramsVersion: number,
  ) {}

  list(app: StudioApp): PresetDto[] {
    const rows = this.db.prepare('SELECT id, app, name, params_json FROM presets WHERE app = ? AND builtin = 0 ORDER BY name COLLATE NOCASE').all(app) as PresetRow[];
    return [...builtinPresets.filter((p) => p.app === app), ...rows.map(toDto)];
  }

  save(app: StudioApp, name: string, params: Record<string, unknown>): PresetDto {
    this.assertFree(app, name, null);
    const { seed: _seed, ...kept } = params;
    const id = newId();
    this.db.prepare('INSERT INTO presets (id, app, name, params_json, params_version, builtin, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)').run(id, app, name, JSON.stringify(kept), this.paramsVersion, Date.now());
    return this.get(id);
  }

  rename(id: string, name: string): PresetDto {
    const preset = this.get(id);
    this.assertFree(preset.app, name, id);
    this.db.prepare('UPDATE presets SET name = ? WHERE id = ?').run(name, id);
    return this.get(id);
  }

  delete(id: string): void {
    this.get(id);
    this.db.prepare('DELETE FROM presets WHERE id = ?').run(id);
  }

  private get(id: string): PresetDto {
    if (builtinPresets.some((p) => p.id === id)) throw new StudioError('conflict', 'Built-in presets cannot be changed. Save your own with “Save as preset”.');
    const row = this.db.prepare('SELECT id, app, name, params_json FROM presets WHERE id = ? AND builtin = 0').get(id) as PresetRow | undefined;
    if (!row) throw new StudioError('not_found', 'That preset no longer exists. Pick another.');
    return toDto(row);
  }

  private assertFree(app: StudioApp, name: string, except: string | null): void {
    const taken = this.list(app).find((p) => p.name.toLowerCase() === name.toLowerCase() && p.id !== except);
    if (taken) throw new StudioError('conflict', `Preset name: “${name}” is already taken. Choose another name.`);
  }
}
