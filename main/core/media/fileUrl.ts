import { resolve } from 'node:path';

/**
 * ffmpeg treats "name:rest" as a protocol and a leading "-" as an option; the file: prefix on
 * an absolute path makes any user file name (colons, dashes, spaces, quotes) mean just that file.
 */
export const fileUrl = (path: string): string => `file:${resolve(path)}`;
