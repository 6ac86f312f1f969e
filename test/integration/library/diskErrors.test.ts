import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePng, makeTempDir, makeWav } from '../../helpers/generatedMedia';
import { cliEntry } from '../../helpers/studioProcess';

/**
 * A full disk and a read-only library folder, for real: the CLI runs inside a private mount
 * namespace (unshare, no root needed where user namespaces are allowed) on a 3 MB tmpfs.
 */
const SCRIPT = String.raw`
set -u
mnt="$1"; node="$2"; cli="$3"; big="$4"; small="$5"; small2="$6"
mount -t tmpfs -o size=3m tmpfs "$mnt" || { echo "MOUNT_FAILED"; exit 90; }
home="$mnt/lib"
"$node" "$cli" projects create Full --home "$home" > /dev/null 2>&1; echo "@create=$?"
"$node" "$cli" import Full "$big" --home "$home" 2>&1; echo "@import_big=$?"
"$node" "$cli" projects list --json --home "$home" 2>&1; echo "@list=$?"
echo "@tmpfiles=$(find "$home/tmp" -type f | wc -l)"
echo "@mediafiles=$(find "$home/media" -type f | wc -l)"
"$node" "$cli" import Full "$small" --home "$home" 2>&1; echo "@import_small=$?"
mount -o remount,ro "$mnt"
"$node" "$cli" import Full "$small2" --home "$home" 2>&1; echo "@import_ro=$?"
"$node" "$cli" projects list --home "$home" 2>&1; echo "@list_ro=$?"
`;

describe('a full or read-only library folder', () => {
  it('reports which folder is full or read-only, and leaves the library as it was', () => {
    const src = makeTempDir('disk-src');
    const big = makeWav(join(src, 'long take.wav'), 60, 44100); // about 5 MB: more than the 3 MB disk
    const small = makePng(join(src, 'small.png'), '64x64');
    const small2 = makePng(join(src, 'other.png'), '72x72');
    const mnt = makeTempDir('disk-mnt');
    const r = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', SCRIPT, 'sh', mnt, process.execPath, cliEntry, big, small, small2], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const out = `${r.stdout}${r.stderr}`;
    expect(out, out).not.toContain('MOUNT_FAILED');
    const code = (name: string) => Number(new RegExp(`@${name}=(\\d+)`).exec(out)?.[1]);

    expect(code('create')).toBe(0);
    expect(code('import_big')).toBe(1);
    // Refused before the copy: the file is larger than the free space, and the message says by how much.
    expect(out).toMatch(new RegExp(`long take\\.wav \\([\\d.]+ MB\\) does not fit: the disk holding the library \\(${mnt}/lib\\) has [\\d.]+ [KM]?B free\\. Free at least [\\d.]+ [KM]?B and try again`));
    // Nothing half-imported: the project is still empty, no temp or media files remain.
    const listed = JSON.parse(out.slice(out.indexOf('['), out.indexOf(']') + 1)) as Array<{ name: string; assetCount: number }>;
    expect(listed).toEqual([expect.objectContaining({ name: 'Full', assetCount: 0 })]);
    expect(code('tmpfiles')).toBe(0);
    expect(code('mediafiles')).toBe(0);
    // The library still works once the big file is out of the way.
    expect(code('import_small')).toBe(0);
    expect(out).toMatch(/Imported: small\.png/);

    expect(code('import_ro')).toBe(1);
    expect(out).toContain(`the library folder ${mnt}/lib is read-only or not writable`);
    expect(out).toMatch(/Make it writable, or choose another library folder with --home or WAN_STUDIO_HOME/);
    expect(code('list_ro')).toBe(1);
  });
});
