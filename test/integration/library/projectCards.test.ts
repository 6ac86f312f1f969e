import { describe, expect, it } from 'vitest';
import { Library } from '../../../main/core/library/library';
import { makeTempDir } from '../../helpers/generatedMedia';

describe('library cards: where the newest render stands', () => {
  it('shows none, then queued, running with its progress, then the newest job of the project', async () => {
    const lib = await Library.open(makeTempDir('cards'));
    try {
      const p = lib.createProject('Cards');
      const other = lib.createProject('Other');
      expect(lib.listProjects().find((x) => x.id === p.id)?.lastRender).toBeNull();
      const first = lib.jobs.create({ projectId: p.id, app: 's2v', engine: 'cloud', params: {}, paramsVersion: 1 });
      expect(lib.projects.get(p.id).lastRender).toEqual({ status: 'queued', progress: 0 });
      lib.jobs.markRunning(first.id, 'Rendering');
      lib.jobs.setProgress(first.id, 0.42, 'Rendering');
      expect(lib.projects.get(p.id).lastRender).toEqual({ status: 'running', progress: 0.42 });
      // Another project's job never shows on this card.
      lib.jobs.create({ projectId: other.id, app: 's2v', engine: 'cloud', params: {}, paramsVersion: 1 });
      expect(lib.projects.get(p.id).lastRender).toEqual({ status: 'running', progress: 0.42 });
      // A newer job of this project takes over the card.
      lib.jobs.create({ projectId: p.id, app: 's2v', engine: 'cloud', params: {}, paramsVersion: 1 });
      expect(lib.projects.get(p.id).lastRender?.status).toBe('queued');
    } finally {
      lib.close();
    }
  });
});
