import { z } from 'zod';
import { event, out, request } from './define';
import { appSchema, idSchema, importSourceSchema, projectNameSchema, projectStatePatchSchema } from './schemas';
import type { LibraryChangedEvent, Project, ProjectArchiveDto, ProjectDetail, ProjectImportDto, ProjectState } from './types';

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
  /**
   * Writes the project (media, trims, parameters, the app's presets, the chosen outputs; all
   * outputs when outputIds is left out) into a .wanproj archive in the library, for download.
   */
  'library.exportProject': request(
    z.object({ projectId: idSchema, outputIds: z.array(idSchema).max(1000, { error: 'at most 1000 outputs' }).optional() }).strict(),
    out<ProjectArchiveDto>(),
  ),
  /** Brings a .wanproj archive in as a new project (a taken name gets " (2)"); a bad archive changes nothing. */
  'library.importProject': request(z.object({ source: importSourceSchema }).strict(), out<ProjectImportDto>()),
} as const;

export const libraryEvents = {
  'library.changed': event<LibraryChangedEvent>(),
} as const;
