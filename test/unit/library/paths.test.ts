import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultUserDataDir, resolveInsideLibrary, resolveLibraryHome, resolveServableLibraryFile, toLibraryPath } from '../../../main/core/library/paths';

const home = resolve('/libs/Wan Studio');

describe('library paths', () => {
  it('keeps every resolved path inside the library', () => {
    expect(resolveInsideLibrary(home, 'media/ab/abc.png')).toBe(join(home, 'media/ab/abc.png'));
    for (const bad of ['../outside.png', 'media/../../outside', '/etc/passwd', 'C:\\Windows\\x', 'media/\0.png', '', '.', 'media/../..']) {
      expect(resolveInsideLibrary(home, bad), bad).toBeNull();
    }
    expect(resolveInsideLibrary(home, 'media/../thumbs/x.jpg')).toBe(join(home, 'thumbs/x.jpg'));
  });

  it('serves media, thumbnails and renders to the page, never the database', () => {
    expect(resolveServableLibraryFile(home, 'thumbs/ab/x.jpg')).toBe(join(home, 'thumbs/ab/x.jpg'));
    expect(resolveServableLibraryFile(home, 'outputs/p1/render.mp4')).not.toBeNull();
    expect(resolveServableLibraryFile(home, 'library.db')).toBeNull();
    expect(resolveServableLibraryFile(home, 'library.db-wal')).toBeNull();
    expect(resolveServableLibraryFile(home, 'tmp/uploads/x')).toBeNull();
    expect(resolveServableLibraryFile(home, 'media/../library.db')).toBeNull();
  });

  it('chooses the library home from --home, then WAN_STUDIO_HOME, then the OS user-data folder', () => {
    expect(resolveLibraryHome('/a/b', { WAN_STUDIO_HOME: '/c' })).toBe(resolve('/a/b'));
    expect(resolveLibraryHome(undefined, { WAN_STUDIO_HOME: '/c' })).toBe(resolve('/c'));
    expect(resolveLibraryHome(undefined, { XDG_CONFIG_HOME: '/x' })).toBe(defaultUserDataDir({ XDG_CONFIG_HOME: '/x' }));
    expect(defaultUserDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe(join('/x', 'Wan Studio'));
    expect(defaultUserDataDir({ APPDATA: 'C:/Users/a/AppData/Roaming' }, 'win32')).toBe(join('C:/Users/a/AppData/Roaming', 'Wan Studio'));
    expect(defaultUserDataDir({}, 'darwin')).toMatch(/Library[/\\]Application Support[/\\]Wan Studio$/);
  });

  it('stores library paths with forward slashes', () => {
    expect(toLibraryPath(home, join(home, 'media', 'ab', 'x.png'))).toBe('media/ab/x.png');
  });
});
