import { z } from 'zod';
import { event, out, request } from './define';
import { appSchema, idSchema, projectNameSchema, projectStatePatchSchema } from './schemas';
import type { LibraryChangedEvent, Project, ProjectDetail, ProjectState } from './types';

export const libraryRequests = {
  'library.listProjects': request(
    z.object({ search: z.string().max(200, { error: 'must be at most 200 characters' }).optional() }).strict(),
    out<Project[]>(),
  ),
  'library.getProject': request(z.object({ id: idSchema }).strict(), out<ProjectDetail>()),
  'library.createProject': request(
    z.object({ name: projectNameSchema, app: appSchema.optional() }).strict(),
    out<Project>(),
  ),
  'library.renameProject': request(z.object({ id: idSchema, name: projectNameSchema }).strict(), out<Project>()),
  'library.deleteProject': request(z.object({ id: idSchema }).strict(), out<{ deleted: true }>()),
  'library.updateProjectState': request(z.object({ id: idSchema, patch: projectStatePatchSchema }).strict(), out<ProjectState>()),
} as const;

export const libraryEvents = {
  'library.changed': event<LibraryChangedEvent>(),
} as const;
