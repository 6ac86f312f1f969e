import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../../../main/core/media/runProcess';
import { APP_ICON_SIZES, iconPng, iconsDir, windowIconFor } from '../../../main/electron/appIcon';
import { repoRoot } from '../../helpers/studioProcess';

const resources = join(repoRoot, 'resources');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Walks a PNG's chunks, checking each CRC; returns the IHDR facts and the chunk types in order. */
function readPng(png: Buffer): { width: number; height: number; bitDepth: number; colorType: number; chunks: string[] } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  const chunks: string[] = [];
  let at = 8;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length), `CRC of chunk ${chunks.length}`).toBe(crc32(typeAndData));
    chunks.push(typeAndData.subarray(0, 4).toString('latin1'));
    at += 12 + length;
  }
  expect(at).toBe(png.length);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), bitDepth: png.readUInt8(24), colorType: png.readUInt8(25), chunks };
}

/** Decodes with the real ffmpeg to RGBA pixels: the file is an image a real decoder reads. */
async function decodeRgba(file: string): Promise<Buffer> {
  const r = await runProcess('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1']);
  expect(r.code, r.stderrTail).toBe(0);
  return r.stdout;
}

describe('the app icon set in resources/icons', () => {
  it.each(APP_ICON_SIZES)('%ipx is a valid RGBA PNG of that size, opaque in the middle and transparent in the corners', async (size) => {
    const file = iconPng(resources, size);
    const info = readPng(readFileSync(file));
    expect(info).toMatchObject({ width: size, height: size, bitDepth: 8, colorType: 6 });
    expect(info.chunks[0]).toBe('IHDR');
    expect(info.chunks).toContain('IDAT');
    expect(info.chunks.at(-1)).toBe('IEND');
    const rgba = await decodeRgba(file);
    expect(rgba.length).toBe(size * size * 4);
    const alpha = (x: number, y: number) => rgba[(y * size + x) * 4 + 3] as number;
    expect(alpha(0, 0)).toBe(0);
    expect(alpha(size - 1, size - 1)).toBe(0);
    expect(alpha(size >> 1, size >> 1)).toBe(255);
  });

  it('icon.ico holds the PNGs up to 256 px, each entry pointing at a whole PNG of the size it declares', () => {
    const ico = readFileSync(join(iconsDir(resources), 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const e = 6 + 16 * i;
      const declared = ico.readUInt8(e) || 256;
      const png = ico.subarray(ico.readUInt32LE(e + 12), ico.readUInt32LE(e + 12) + ico.readUInt32LE(e + 8));
      expect(readPng(png)).toMatchObject({ width: declared, height: declared });
      sizes.push(declared);
    }
    expect(sizes).toEqual(APP_ICON_SIZES.filter((s) => s <= 256));
  });

  it('icon.icns holds PNG elements whose types match their pixel sizes, up to 512 px', () => {
    const icns = readFileSync(join(iconsDir(resources), 'icon.icns'));
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const pixels: Record<string, number> = { icp4: 16, icp5: 32, ic11: 32, ic12: 64, ic07: 128, ic08: 256, ic13: 256, ic09: 512, ic14: 512 };
    const seen: string[] = [];
    for (let at = 8; at < icns.length; ) {
      const type = icns.toString('latin1', at, at + 4);
      const length = icns.readUInt32BE(at + 4);
      const info = readPng(icns.subarray(at + 8, at + length));
      expect(info.width, type).toBe(pixels[type]);
      seen.push(type);
      at += length;
    }
    expect(seen.sort()).toEqual(Object.keys(pixels).sort());
  });

  it('the window gets the .ico on Windows and the 512 px PNG elsewhere, both present', () => {
    expect(windowIconFor('win32', resources)).toBe(join(resources, 'icons', 'icon.ico'));
    for (const platform of ['linux', 'darwin', 'win32'] as const) expect(readFileSync(windowIconFor(platform, resources)).length).toBeGreaterThan(0);
    expect(readPng(readFileSync(windowIconFor('linux', resources))).width).toBe(512);
  });
});
