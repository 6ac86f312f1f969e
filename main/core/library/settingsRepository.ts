import { userSettingsPatchSchema } from '../contract/schemas';
import type { UserSettings } from '../contract/types';
import type { Db } from './database';

export const defaultUserSettings: UserSettings = {
  theme: 'system',
  ffmpegPath: null,
  ffprobePath: null,
  defaultApp: 's2v',
  cloudBaseUrl: null,
  localProvider: null,
  cloudConcurrency: 2,
  cloudFallback: false,
  soundOnEnd: false,
};

/** Settings as one row per key, so a newer app's extra keys survive an older app's writes. */
export class SettingsRepository {
  constructor(private readonly db: Db) {}

  read(): UserSettings {
    const rows = this.db.prepare<[], { key: string; value_json: string }>('SELECT key, value_json FROM settings').all();
    const stored: Record<string, unknown> = {};
    for (const r of rows) {
      try {
        stored[r.key] = JSON.parse(r.value_json) as unknown;
      } catch {
        // A damaged value falls back to its default rather than breaking every settings read.
      }
    }
    const out: UserSettings = { ...defaultUserSettings };
    for (const key of Object.keys(defaultUserSettings) as Array<keyof UserSettings>) {
      if (!(key in stored)) continue;
      // A value written by another version or damaged on disk falls back to its default.
      const parsed = userSettingsPatchSchema.shape[key].safeParse(stored[key]);
      if (parsed.success && parsed.data !== undefined) (out as unknown as Record<string, unknown>)[key] = parsed.data;
    }
    return out;
  }

  write(patch: Partial<UserSettings>, now: number): void {
    const upsert = this.db.prepare(
      'INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at',
    );
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        upsert.run(key, JSON.stringify(value), now);
      }
    })();
  }
}
