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
  };
}
