import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError } from '../contract/errors';
import { cleanDisplayName } from '../contract/format';
import { toLibraryPath } from '../library/paths';
import { archiveTarget } from '../projectArchive/archiveLocation';
import { exportProjectArchive } from '../projectArchive/exportProject';
import { importProjectArchive } from '../projectArchive/importProject';
import type { HandlersFor, StudioServices } from './types';

export function libraryHandlers({ library, events }: StudioServices): HandlersFor<'library'> {
  return {
    'library.listProjects': ({ search }) => library.listProjects(search),
    'library.getProject': ({ id }) => library.getProject(id),
    'library.createProject': ({ name, app }) => {
      const project = library.createProject(name, app);
      events.emit('library.changed', { kind: 'project', projectId: project.id });
      return project;
    },
    'library.renameProject': ({ id, name }) => {
      const project = library.renameProject(id, name);
      events.emit('library.changed', { kind: 'project', projectId: id });
      return project;
    },
    'library.updateProjectState': ({ id, patch }) => library.updateProjectState(id, patch),
    'library.deleteProject': async ({ id }) => {
      await library.deleteProject(id);
      events.emit('library.changed', { kind: 'project', projectId: id });
      return { deleted: true as const };
    },
    'library.exportProject': async ({ projectId, outputIds }, ctx) => {
      const project = library.projects.get(projectId);
      const target = await archiveTarget(library, projectId, project.name);
      const { sizeBytes } = await exportProjectArchive(library, { projectId, outputIds, target: target.path, signal: ctx.signal });
      return { file: toLibraryPath(library.home, target.path), downloadName: target.downloadName, sizeBytes };
    },
    'library.importProject': async ({ source }, ctx) => {
      if (source.kind === 'path' && ctx.transport === 'ws') {
        throw new StudioError('forbidden', 'Importing by file path is only possible in the desktop app. Upload the archive instead.');
      }
      const fromUpload = source.kind === 'upload';
      const path = fromUpload ? join(library.layout.uploads, source.uploadId) : source.path;
      const displayName = cleanDisplayName(fromUpload ? source.name : (source.path.split(/[\\/]/).pop() ?? source.path));
      try {
        const result = await importProjectArchive(library, { path, displayName, signal: ctx.signal });
        events.emit('library.changed', { kind: 'project', projectId: result.project.id });
        return result;
      } finally {
        // An upload is ours: used or refused, it is not kept.
        if (fromUpload) await rm(path, { force: true });
      }
    },
  };
}
