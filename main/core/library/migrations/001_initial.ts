import type { Migration } from './types';

export const initial: Migration = {
  version: 1,
  name: 'initial library: projects, assets, jobs, outputs, presets, settings',
  up: `
    CREATE TABLE projects (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      app         TEXT NOT NULL CHECK (app IN ('s2v', 'animate')),
      created_at  INTEGER NOT NULL,
      updated_at  INTEGER NOT NULL
    );
    CREATE INDEX projects_by_updated ON projects (updated_at DESC);

    CREATE TABLE assets (
      id           TEXT PRIMARY KEY,
      project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
      kind         TEXT NOT NULL CHECK (kind IN ('image', 'audio', 'video')),
      name         TEXT NOT NULL,
      sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
      size_bytes   INTEGER NOT NULL CHECK (size_bytes > 0),
      file         TEXT NOT NULL,
      thumb        TEXT,
      container    TEXT NOT NULL,
      duration_sec REAL,
      width        INTEGER,
      height       INTEGER,
      fps          REAL,
      video_codec  TEXT,
      audio_codec  TEXT,
      sample_rate  INTEGER,
      channels     INTEGER,
      rotation     INTEGER NOT NULL DEFAULT 0,
      has_alpha    INTEGER NOT NULL DEFAULT 0,
      probe_json   TEXT NOT NULL,
      created_at   INTEGER NOT NULL,
      UNIQUE (project_id, sha256)
    );
    CREATE INDEX assets_by_project ON assets (project_id, created_at);
    CREATE INDEX assets_by_hash ON assets (sha256);

    CREATE TABLE jobs (
      id              TEXT PRIMARY KEY,
      project_id      TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
      app             TEXT NOT NULL CHECK (app IN ('s2v', 'animate')),
      engine          TEXT NOT NULL CHECK (engine IN ('local', 'cloud')),
      params_json     TEXT NOT NULL,
      params_version  INTEGER NOT NULL,
      status          TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
      progress        REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
      created_at      INTEGER NOT NULL,
      started_at      INTEGER,
      finished_at     INTEGER,
      error           TEXT,
      remote_task_id  TEXT
    );
    CREATE INDEX jobs_by_project ON jobs (project_id, created_at);

    CREATE TABLE outputs (
      id             TEXT PRIMARY KEY,
      project_id     TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
      job_id         TEXT REFERENCES jobs (id) ON DELETE SET NULL,
      file           TEXT NOT NULL,
      poster         TEXT,
      settings_json  TEXT NOT NULL,
      seed           INTEGER,
      created_at     INTEGER NOT NULL
    );
    CREATE INDEX outputs_by_project ON outputs (project_id, created_at);

    CREATE TABLE presets (
      id              TEXT PRIMARY KEY,
      app             TEXT NOT NULL CHECK (app IN ('s2v', 'animate')),
      name            TEXT NOT NULL,
      params_json     TEXT NOT NULL,
      params_version  INTEGER NOT NULL,
      builtin         INTEGER NOT NULL DEFAULT 0,
      created_at      INTEGER NOT NULL,
      UNIQUE (app, name)
    );

    CREATE TABLE settings (
      key         TEXT PRIMARY KEY,
      value_json  TEXT NOT NULL,
      updated_at  INTEGER NOT NULL
    );
  `,
};
