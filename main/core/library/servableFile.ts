import { realpath } from 'node:fs/promises';
import { join, relative, isAbsolute, sep } from 'node:path';
import { resolveServableLibraryFile, toLibraryPath } from './paths';

export type ServableFile = { kind: 'file'; path: string } | { kind: 'refused' } | { kind: 'missing' };

const inside = (root: string, candidate: string): boolean => {
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
};

const errorCodeOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | null)?.code;

/**
 * The file a page may load for a library path, with every symlink resolved: a link placed in
 * thumbs/ or media/ that points at /etc/passwd (or anywhere outside its served folder) is
 * refused. The served folder itself may be a link (media/ moved to another disk); what counts is
 * that the file really lives inside it. The real path is returned so the file opened is the one checked.
 */
export async function resolveServableRealFile(home: string, libraryPath: string): Promise<ServableFile> {
  const lexical = resolveServableLibraryFile(home, libraryPath);
  if (!lexical) return { kind: 'refused' };
  const folder = toLibraryPath(home, lexical).split('/')[0] ?? '';
  try {
    const folderReal = await realpath(join(home, folder));
    const fileReal = await realpath(lexical);
    return inside(folderReal, fileReal) ? { kind: 'file', path: fileReal } : { kind: 'refused' };
  } catch (e) {
    // A link that loops is someone's trap, not a missing file.
    return errorCodeOf(e) === 'ELOOP' ? { kind: 'refused' } : { kind: 'missing' };
  }
}
