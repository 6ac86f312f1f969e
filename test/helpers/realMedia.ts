import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real people and speech for tests a person would judge (previews, screenshots): OpenCV's sample
 * data from Debian's opencv-doc package, fetched once with apt-get download (no install, no root)
 * and cached outside the repo. Megamind.avi is an animated character talking, with sound.
 */
const cacheDir = process.env.WAN_TEST_MEDIA_DIR ?? join(homedir(), '.cache', 'wan-studio-test-media');
const WANTED = ['Megamind.avi', 'messi5.jpg', 'basketball1.png', 'vtest.avi'] as const;
export type RealMediaName = (typeof WANTED)[number];

export function realMedia(name: RealMediaName): string {
  const path = join(cacheDir, name);
  if (existsSync(path)) return path;
  mkdirSync(cacheDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'opencv-doc-'));
  try {
    execFileSync('apt-get', ['download', 'opencv-doc'], { cwd: work, stdio: 'pipe' });
    const deb = execFileSync('sh', ['-c', 'ls opencv-doc_*.deb'], { cwd: work }).toString().trim();
    execFileSync('dpkg', ['-x', deb, 'x'], { cwd: work });
    for (const f of WANTED) copyFileSync(join(work, 'x', 'usr', 'share', 'doc', 'opencv-doc', 'examples', 'data', f), join(cacheDir, f));
  } catch (e) {
    throw new Error(`Could not fetch the test media (Debian package opencv-doc) into ${cacheDir}: ${(e as Error).message}. On Debian run "apt-get update"; elsewhere put ${WANTED.join(', ')} there or set WAN_TEST_MEDIA_DIR.`, { cause: e });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return path;
}

/** A portrait still: Megamind's face from 2 s into the clip. */
export function realPortrait(): string {
  const path = join(cacheDir, 'megamind-portrait.png');
  if (!existsSync(path)) execFileSync('ffmpeg', ['-v', 'error', '-y', '-ss', '2', '-i', realMedia('Megamind.avi'), '-frames:v', '1', path]);
  return path;
}
