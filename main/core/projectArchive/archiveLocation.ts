import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { slugify } from '../contract/format';
import type { Library } from '../library/library';
import { ARCHIVE_EXTENSION } from './manifest';

/** outputs/<project>/archives/: the project's last exported archive, served for download like a render. */
export const ARCHIVES_FOLDER = 'archives';

export async function archiveTarget(library: Library, projectId: string, projectName: string): Promise<{ path: string; downloadName: string }> {
  const dir = join(library.layout.outputs, projectId, ARCHIVES_FOLDER);
  await mkdir(dir, { recursive: true });
  const downloadName = `${slugify(projectName, 6) || 'project'}${ARCHIVE_EXTENSION}`;
  return { path: join(dir, downloadName), downloadName };
}
